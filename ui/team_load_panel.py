"""The supervisor's live Team load panel: who is working on what, the team's figures, two
charts, and actions on an agent (set away or offline, move priority work on, read a claimed
conversation). Only supervisors and admins get it; the server enforces the same."""

from __future__ import annotations

import time
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import AgentLoad, TeamLoad
from routing_client.client import LinkState
from sync.session import SyncSession
from sync.store import Change
from ui.read_only_conversation import ReadOnlyConversationDialog
from ui.tasks import owner_of
from ui.team_load_charts import LoadChart, QueueChart
from ui.team_load_figures import FlatLayout, LoadBarDelegate, PanelBody, TeamFigures
from ui.team_load_model import Column, TeamLoadModel, agent_lines

STAFF = ("supervisor", "admin")
ConversationRole = Qt.ItemDataRole.UserRole + 10


class TeamLoadPanel(QDockWidget):
    """A dock with one team's live load, refreshed from `team_load` events."""

    failed = Signal(str)

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__("Team load", parent)
        self.setObjectName("teamLoadPanel")
        self.session = session
        self.store = session.store
        self.load: TeamLoad | None = None
        self.team_id: str | None = None
        self.dialogs: list[ReadOnlyConversationDialog] = []

        body = PanelBody(self)
        self.team_picker = QComboBox(body)
        self.team_picker.setAccessibleName("Team")
        self.team_picker.activated.connect(self._team_picked)
        self.team_name = ""
        self.figures = TeamFigures(body)
        self.model = TeamLoadModel(self, names=self.store.member_name)
        self.table = QTableView(body)
        self.table.setAccessibleName("Agents")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(Column.Load, LoadBarDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # Compact rows: a team of five fits the docked table without scrolling.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 110), (1, 170), (2, 120), (3, 120), (4, 70)):
            self.table.setColumnWidth(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._agent_changed())
        self.model.modelReset.connect(self._agent_changed)
        self.model.dataChanged.connect(lambda *_: self._agent_changed())

        self.away_button = QPushButton("Set away", body)
        self.offline_button = QPushButton("Set offline", body)
        self.move_button = QPushButton("Move priority work on", body)
        self.open_button = QPushButton("Open read-only", body)
        self.away_button.clicked.connect(lambda: self.set_presence("away"))
        self.offline_button.clicked.connect(lambda: self.set_presence("offline"))
        self.move_button.clicked.connect(self.move_priority_on)
        self.open_button.clicked.connect(self.open_selected_conversation)
        self.agent_title = QLabel("", body)
        self.agent_title.setObjectName("teamLoadAgent")
        self.claimed = QListWidget(body)
        self.claimed.setAccessibleName("The agent's conversations")
        self.claimed.itemDoubleClicked.connect(lambda _: self.open_selected_conversation())
        self.claimed.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel("", body)
        self.status.setObjectName("teamLoadStatus")
        self.status.setWordWrap(True)
        self.load_chart = LoadChart(body)
        self.queue_chart = QueueChart(body)

        self.empty = QLabel("Loading the team's load…", body)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(body)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._content(body))

        # The team and the time of the last push go in the dock's title: no row of their own
        # (the picker row shows only for someone in several teams).
        self.picker_row = QWidget(body)
        top = QHBoxLayout(self.picker_row)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel("Team:", self.picker_row))
        top.addWidget(self.team_picker)
        top.addStretch(1)
        layout = FlatLayout(body)
        layout.setContentsMargins(6, 2, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.picker_row)
        layout.addWidget(self.figures)
        layout.addWidget(self.stack, 1)
        # Below its minimum (a small window) the panel scrolls rather than clipping.
        scroller = QScrollArea(self)
        scroller.setObjectName("teamLoadScroller")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(body)
        self.setWidget(scroller)

        # Ages ("away for 3 min") move with the clock between pushes.
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self.store.observe(self._on_change)
        session.observe_link(self._link_changed)
        self._fill_teams()
        if session.link.status == "online":
            self._subscribe_soon()
        self._update_buttons()

    def _content(self, parent: QWidget) -> QWidget:
        actions = QWidget(parent)
        buttons = QHBoxLayout()
        for button in (self.away_button, self.offline_button, self.move_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        side = QVBoxLayout(actions)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(4)
        heading = QHBoxLayout()
        heading.addWidget(self.agent_title, 1)
        heading.addWidget(self.open_button)
        side.addLayout(heading)
        side.addLayout(buttons)
        side.addWidget(self.claimed, 1)
        side.addWidget(self.status)
        charts = QSplitter(Qt.Orientation.Horizontal, parent)
        charts.setChildrenCollapsible(False)
        charts.addWidget(self.load_chart)
        charts.addWidget(self.queue_chart)
        # Below these the axis labels elide and the table shows too few rows to compare.
        for chart in (self.load_chart, self.queue_chart):
            chart.setMinimumSize(250, 170)
        actions.setMinimumWidth(max(370, buttons.sizeHint().width()))
        self.claimed.setMinimumHeight(48)
        self.claimed.setWordWrap(True)
        self.claimed.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.agent_title.setWordWrap(True)
        self.table.setMinimumHeight(96)
        lower = QSplitter(Qt.Orientation.Horizontal, parent)
        lower.setChildrenCollapsible(False)
        lower.addWidget(actions)
        lower.addWidget(charts)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Vertical, parent)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    # -- the server's view --------------------------------------------------------------------

    def _fill_teams(self) -> None:
        me = self.store.me
        team_ids = list(me.team_ids) if me else []
        self.team_picker.clear()
        for team_id in team_ids:
            self.team_picker.addItem(team_id.replace("-", " ").title(), team_id)
        self.picker_row.setVisible(len(team_ids) > 1)
        if self.team_id not in team_ids:
            self.team_id = team_ids[0] if team_ids else None
        if self.team_id is None:
            self._show_empty("You are not a member of any team: team load shows the teams you "
                             "belong to.")  # fmt: skip
        else:
            self.team_picker.setCurrentIndex(team_ids.index(self.team_id))

    def _team_picked(self, index: int) -> None:
        team_id = self.team_picker.itemData(index)
        if team_id != self.team_id:
            self.team_id, self.load = team_id, None
            self._show_empty("Loading the team's load…")
            self._subscribe_soon()

    def _link_changed(self, state: LinkState) -> None:
        # Subscriptions end with a connection: subscribe again on every new one.
        if state.status == "online":
            self._subscribe_soon()
        self._update_buttons()

    def _subscribe_soon(self) -> None:
        if self.team_id is not None:
            self._run(self._subscribe(self.team_id))

    async def _subscribe(self, team_id: str) -> None:
        result = await self.session.request("subscribe_team_load", team_id=team_id)
        names = await self.session.request("list_teams")
        for team in names["teams"]:
            index = self.team_picker.findData(team["id"])
            if index >= 0:
                self.team_picker.setItemText(index, team["name"])
                if team["id"] == self.team_id:
                    self.team_name = team["name"]
        self.show_load(result["team_load"])

    def _on_change(self, change: Change) -> None:
        if change.kind == "team_load" and self.store.team_load is not None:
            self.show_load(self.store.team_load)
        elif change.kind == "reset":
            self._fill_teams()

    def show_load(self, raw: dict[str, Any]) -> None:
        """Show a team load (one of another team than the picked one is ignored)."""
        load = TeamLoad.model_validate(raw)
        if load.team_id != self.team_id:
            return
        self.load = load
        # The panel is about the people one supervises: one's own row is left out.
        me = self.store.me
        agents = [a for a in load.agents if me is None or a.user_id != me.id]
        self.model.set_agents(agents)
        self.figures.show_load(load)
        self.load_chart.set_agents(agents)
        self.queue_chart.set_history(load.shared_history, load.at)
        team = self.team_name or load.team_id
        self.setWindowTitle(f"Team load · {team} · updated {load.at.astimezone():%H:%M:%S}")
        if not agents:
            self._show_empty("No agents in this team yet. Add users to the team and their load "
                             "shows here.")  # fmt: skip
        else:
            self.stack.setCurrentIndex(1)
            if self.table.currentIndex().row() < 0:
                self.table.selectRow(0)
        self._agent_changed()

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentIndex(0)

    def _on_tick(self) -> None:
        self.model.tick()
        if self.load is not None:
            self.figures.tick()

    # -- the selected agent -------------------------------------------------------------------

    def selected_agent(self) -> AgentLoad | None:
        """The agent whose row is selected."""
        return self.model.agent(self.table.currentIndex().row())

    def select_agent(self, user_id: str) -> None:
        """Select an agent's row."""
        row = self.model.row_of(user_id)
        if row >= 0:
            self.table.selectRow(row)

    def _agent_changed(self) -> None:
        agent = self.selected_agent()
        current = self.claimed.currentItem()
        keep = current.data(ConversationRole) if current is not None else None
        self.claimed.clear()
        if agent is None:
            self.agent_title.setText("Pick an agent to act on")
            self._update_buttons()
            return
        self.agent_title.setText(f"{agent.display_name}: {agent.open} claimed, "
                                 f"{agent.priority} priority, {agent.waiting} waiting")  # fmt: skip
        for text, conversation_id in agent_lines(agent, _now()):
            item = QListWidgetItem(text)
            if conversation_id is None:
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # a count, not something to open
            else:
                item.setData(ConversationRole, conversation_id)
                item.setToolTip("Double-click to read it (read only)")
            self.claimed.addItem(item)
            if conversation_id is not None and conversation_id == keep:
                self.claimed.setCurrentItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        agent = self.selected_agent()
        online = self.session.link.status == "online"
        why = "" if online else "Not connected to the server"
        for button, allowed, tip in (
            (self.away_button, agent is not None and agent.status != "away",
             "Set this agent away: their priority work goes to the team now"),
            (self.offline_button, agent is not None and agent.status != "offline",
             "Set this agent offline: their priority work goes to the team now"),
            (self.move_button, agent is not None and agent.priority + agent.waiting > 0,
             "Send this agent's pending priority work to normal routing now"),
            (self.open_button, self._picked_conversation() is not None,
             "Read the picked conversation (read only)"),
        ):  # fmt: skip
            button.setEnabled(online and allowed)
            button.setToolTip(why or tip)

    def _picked_conversation(self) -> str | None:
        item = self.claimed.currentItem()
        value = item.data(ConversationRole) if item is not None else None
        return value if isinstance(value, str) else None

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = self.context_menu()
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The selected agent's actions, as the table's context menu shows them."""
        menu = QMenu(self)
        agent = self.selected_agent()
        for text, button in (
            ("Set away", self.away_button),
            ("Set offline", self.offline_button),
            ("Move priority work on", self.move_button),
        ):
            action = menu.addAction(text)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        if agent is not None and agent.claimed:
            reading = menu.addMenu("Open read-only")
            for conv in agent.claimed:
                action = reading.addAction(conv.contact_name)
                action.triggered.connect(
                    lambda _=False, cid=conv.conversation_id: self.open_conversation(cid)
                )
        return menu

    # -- actions ------------------------------------------------------------------------------

    def set_presence(self, status: str) -> None:
        """Set the selected agent away or offline."""
        agent = self.selected_agent()
        if agent is not None:
            self._run(self._set_presence(agent, status))

    async def _set_presence(self, agent: AgentLoad, status: str) -> None:
        await self.session.request("set_agent_presence", user_id=agent.user_id, status=status)
        self.status.setText(f"{agent.display_name} is now {status}; their priority work went "
                            "to the team.")  # fmt: skip

    def move_priority_on(self) -> None:
        """Send the selected agent's pending priority work to normal routing."""
        agent = self.selected_agent()
        if agent is not None:
            self._run(self._move(agent))

    async def _move(self, agent: AgentLoad) -> None:
        result = await self.session.request("move_priority_on", user_id=agent.user_id)
        moved = int(result["moved"])
        plural = "conversation" if moved == 1 else "conversations"
        self.status.setText(f"Moved {moved} {plural} of {agent.display_name} on to the team.")

    def open_selected_conversation(self) -> ReadOnlyConversationDialog | None:
        """Open the picked claimed conversation, read only."""
        conversation_id = self._picked_conversation()
        return self.open_conversation(conversation_id) if conversation_id else None

    def open_conversation(self, conversation_id: str) -> ReadOnlyConversationDialog:
        """Open a claimed conversation of the team, read only."""
        names = {a.user_id: a.display_name for a in (self.load.agents if self.load else [])}
        names.update({uid: m.display_name for uid, m in self.store.team.items()})
        dialog = ReadOnlyConversationDialog(self.session, conversation_id, names, self)
        dialog.finished.connect(lambda _: self._forget(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def _forget(self, dialog: ReadOnlyConversationDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run an action as a task of the window (cancelled and awaited when it closes); its
        failure is said in the panel."""
        owner_of(self).spawn(self._reporting(coro))

    async def _reporting(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc) or "not connected"
            self.status.setText(f"Could not do that: {message}")
            self.failed.emit(message)

    def shutdown(self) -> None:
        """Stop the clock and close the read-only dialogs (the window is closing; its task
        owner cancels and awaits the panel's requests)."""
        self._tick.stop()
        for dialog in list(self.dialogs):
            dialog.close()


def _now() -> float:
    return time.time()
