"""Signs users in, opens their windows, and sends them back to the login dialog when the server
ends their session (a revoked token, a disabled account)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_app.credentials import CredentialStore, CredentialsUnavailable
from desktop_app.preferences import Preferences
from desktop_app.single_instance import ACTIVATE, SCHEME, BadLink, Link, parse_link
from desktop_app.theme import apply_theme
from routing_client.client import NotConnected, login
from routing_client.rpc import RequestFailed
from sync.outbox import Outbox
from sync.session import SyncSession
from sync.store import Store
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.preferences_dialog import PreferencesDialog


def outbox_path(data_dir: Path, url: str, username: str) -> Path:
    """Where a user's queued replies for one server live."""
    digest = hashlib.sha256(f"{url}|{username}".encode()).hexdigest()[:16]
    return data_dir / "outbox" / f"{digest}.sqlite3"


class AppController(QObject):
    """Every window and login dialog of the running app."""

    def __init__(
        self,
        icon: QIcon,
        prefs: Preferences,
        credentials: CredentialStore,
        data_dir: Path,
    ) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # Qt would stop the loop when the last window closes (say, on sign-out, before the
            # login dialog opens): the controller decides when the app is done instead.
            app.setQuitOnLastWindowClosed(False)
        self.icon = icon
        self.prefs = prefs
        self.credentials = credentials
        self.data_dir = data_dir
        self.windows: list[MainWindow] = []
        # Which server and username each window is signed in as (for sign-out).
        self.accounts: dict[MainWindow, tuple[str, str]] = {}
        self.login_dialog: LoginDialog | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.finished = asyncio.Event()
        # A link that arrived before any window was open (opened in the first one).
        self.pending_link: Link | None = None

    async def start(self, url: str | None = None) -> None:
        """Open the remembered user's window, or ask them to sign in."""
        url = url or self.prefs.server_url
        username = self.prefs.username
        token = self.credentials.load(url, username) if username else None
        if token:
            self.open_window(url, username, token)
        else:
            self.show_login(url, username)

    def show_login(self, url: str, username: str = "", notice: str = "") -> LoginDialog:
        """Show the sign-in dialog (one at a time)."""
        if self.login_dialog is not None:
            self.login_dialog.close()
        dialog = LoginDialog(
            self._sign_in,
            url=url,
            username=username,
            keyring_problem=self.credentials.problem,
            notice=notice,
        )
        dialog.setWindowIcon(self.icon)
        dialog.finished.connect(lambda _: self._dialog_done(dialog))
        self.login_dialog = dialog
        dialog.show()
        return dialog

    def _dialog_done(self, dialog: LoginDialog) -> None:
        if self.login_dialog is dialog:
            self.login_dialog = None
        self._maybe_finished()

    async def _sign_in(self, url: str, username: str, password: str, remember: bool) -> None:
        token, _user = await login(url, username, password)
        self.prefs.server_url, self.prefs.username = url, username
        problem = None
        if remember:
            try:
                self.credentials.save(url, username, token)
            except CredentialsUnavailable as exc:
                problem = str(exc)  # signed in all the same; only remembering failed
        window = self.open_window(url, username, token)
        if problem:
            window.statusBar().showMessage(f"Could not remember you: {problem}", 10_000)

    def open_link(self, text: str) -> bool:
        """Open what a link names (or, for ACTIVATE, bring a window forward) in the first window;
        kept until one is open when only the sign-in dialog is. False for a bad link."""
        if text == ACTIVATE:
            link = None
        else:
            try:
                link = parse_link(text)
            except BadLink as exc:
                if self.windows:
                    self.windows[0].statusBar().showMessage(str(exc), 10_000)
                return False
        if not self.windows:
            self.pending_link = link
            if self.login_dialog is not None:
                self.login_dialog.raise_()
                self.login_dialog.activateWindow()
            return True
        window = self.windows[0]
        if link is None:
            window.showNormal()
            window.raise_()
            window.activateWindow()
        elif link.kind == "contact":
            window.show_contact(link.id)
        else:
            window.show_conversation(link.id)
        return True

    def open_window(self, url: str, username: str, token: str) -> MainWindow:
        """Open a window for a signed-in user and keep their session running."""
        session = SyncSession(
            url, token, Store(), Outbox(outbox_path(self.data_dir, url, username))
        )
        window = MainWindow(session, self.icon)
        window.notifier.sound_enabled = self.prefs.sound
        window.auto_away.idle_minutes = self.prefs.auto_away_minutes
        window.dnd_action.setChecked(self.prefs.do_not_disturb)
        window.do_not_disturb_changed.connect(self.set_do_not_disturb)
        window.closed.connect(lambda: self._window_closed(window))
        window.preferences_requested.connect(lambda: self.show_preferences(window))
        window.sign_out_requested.connect(lambda: self._spawn(self.sign_out(window)))
        window.switch_user_requested.connect(
            lambda: self._spawn(self.sign_out(window, switch_user=True))
        )
        self.windows.append(window)
        self.accounts[window] = (url, username)
        window.show()
        self._spawn(self._watch(window, url, username))
        if self.pending_link is not None:
            link, self.pending_link = self.pending_link, None
            self.open_link(f"{SCHEME}://{link.kind}/{link.id}")
        return window

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        """Run a coroutine tied to the controller's lifetime (`stop` waits for it)."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def sign_out(self, window: MainWindow, *, switch_user: bool = False) -> LoginDialog:
        """End the window's session for good: revoke its token on the server, forget it from
        the keyring, close the window and show the sign-in dialog (blank for another user when
        switching)."""
        url, username = self.accounts.get(window, (window.session.url, ""))
        revoked = True
        try:
            await window.session.request("logout")
        except (NotConnected, RequestFailed):
            revoked = False  # the token is forgotten here all the same
        if username:
            self.credentials.forget(url, username)
        # The dialog opens before the window closes, so the app never has nothing open.
        dialog = self.show_login(url, "" if switch_user else username)
        name = window.store.me.display_name if window.store.me else username
        if revoked:
            text = f"{name} signed out." if name else "Signed out."
        else:
            text = (f"{name or 'You'} signed out on this computer; the server was not reachable, "
                    "so the session there ends when it expires.")  # fmt: skip
        queued = len(window.store.pending)
        if queued and username:
            # The outbox is kept on disk per server and user: nothing typed is lost.
            text += (f" {queued} repl{'y' if queued == 1 else 'ies'} not sent yet "
                     f"{'is' if queued == 1 else 'are'} kept and sent when {username} signs in "
                     "again.")  # fmt: skip
        dialog.show_info(text)
        window.close()
        return dialog

    async def _watch(self, window: MainWindow, url: str, username: str) -> None:
        fatal = await window.session.run()
        if fatal is None:
            return
        self.credentials.forget(url, username)
        window.close()
        self.show_login(url, username, notice=f"You were signed out: {fatal.message}. "
                        "Sign in again.")  # fmt: skip

    def show_preferences(self, parent: MainWindow | None = None) -> PreferencesDialog:
        """Edit the preferences; saving applies them to every open window at once."""
        prefs = self.prefs
        dialog = PreferencesDialog(prefs.sound, prefs.auto_away_minutes, prefs.theme, parent)
        dialog.changed.connect(self.apply_preferences)
        dialog.show()
        return dialog

    def apply_preferences(self, sound: bool, auto_away_minutes: int, theme: str) -> None:
        """Keep and apply new preferences."""
        self.prefs.sound = sound
        self.prefs.auto_away_minutes = auto_away_minutes
        self.prefs.theme = theme
        for window in self.windows:
            window.notifier.sound_enabled = sound
            window.auto_away.idle_minutes = auto_away_minutes
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    def set_do_not_disturb(self, on: bool) -> None:
        """Keep "Do not disturb" and apply it to every window."""
        self.prefs.do_not_disturb = on
        for window in self.windows:
            if window.dnd_action.isChecked() != on:
                window.dnd_action.setChecked(on)

    def _window_closed(self, window: MainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
        if window.retired is not None:  # its tasks are finishing: `stop` waits for them too
            self._tasks.add(window.retired)
            window.retired.add_done_callback(self._tasks.discard)
        self.accounts.pop(window, None)
        self._maybe_finished()

    def _maybe_finished(self) -> None:
        if not self.windows and self.login_dialog is None:
            self.finished.set()

    async def stop(self) -> None:
        """Close every window and wait for the sessions to end."""
        for window in list(self.windows):
            window.close()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
