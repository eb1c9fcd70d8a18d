"""Puts the Team load panel into a supervisor's or admin's window, with "View > Team load"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from sync.session import SyncSession
from sync.store import Change
from ui.team_load_panel import STAFF, TeamLoadPanel


def install_team_load(window: QMainWindow, session: SyncSession) -> None:
    """Give a supervisor's or admin's window the Team load dock and "View > Team load" once
    the server says who signed in; an agent's window never gets either."""
    state: dict[str, TeamLoadPanel] = {}

    def on_change(change: Change) -> None:
        me = session.store.me
        if change.kind != "reset" or me is None or me.role not in STAFF or state:
            return
        panel = TeamLoadPanel(session, window)
        state["panel"] = panel
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
        # A supervisor opens the app to watch the team: the panel gets most of the height
        # (once the window has laid the dock out, or the request is lost).
        QTimer.singleShot(
            0,
            lambda: window.resizeDocks(
                [panel], [int(window.height() * 0.62)], Qt.Orientation.Vertical
            ),
        )
        view = next(
            (a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"),
            None,
        )
        menu = view if isinstance(view, QMenu) else window.menuBar().addMenu("&View")
        # Not the dock's own toggle action: that one is named after its (changing) title.
        toggle = QAction("Team load", window)
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.setShortcut("Ctrl+Shift+L")
        toggle.toggled.connect(panel.setVisible)
        # Closed with its own button: untick. (Not hidden with the window: isHidden is explicit.)
        panel.visibilityChanged.connect(lambda _: toggle.setChecked(not panel.isHidden()))
        menu.addAction(toggle)
        # The View menu hides while empty; it has an entry now.
        menu.menuAction().setVisible(True)
        # A MainWindow says when it closes: stop the panel's tasks and dialogs first.
        closed = getattr(window, "closed", None)
        if closed is not None:
            closed.connect(panel.shutdown)

    session.store.observe(on_change)
    on_change(Change("reset"))
