"""Admin > Routing settings…: sharing, per-channel timers, presence grace, phone region, and
the team's distribution method.

Only what the admin changed is sent (`update_settings`, then `update_team`), so a change made
meanwhile by another admin to another field is not overwritten. When `settings.updated` arrives
while the dialog is open, the fields the admin has not touched take the new values and the
dialog says so; fields they edited keep their edit.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Settings, Team
from sync.session import SyncSession
from sync.store import Change
from ui.dialog_support import OwnedTasks, StoreWatch, error_text
from ui.duration_box import DurationBox, format_duration

CHANNELS = (("sms", "SMS"), ("email", "E-mail"), ("web_form", "Web form"), ("chat", "Chat"))
TIMER_BOUNDS = (5, 3600)
GRACE_BOUNDS = (0, 600)
DISTRIBUTIONS = (
    ("claim", "Shared inbox — the first agent to claim takes it"),
    ("round_robin", "Round robin — assigned in turn to available agents"),
    ("least_open", "Least open — assigned to the available agent with the fewest open"),
)


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _region_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = "" if territory == QLocale.Country.AnyTerritory else QLocale.territoryToString(territory)
    return f"{code} — {name}" if name else code


class ChannelRow:
    """One channel's three settings."""

    def __init__(self, label: str, parent: QWidget) -> None:
        self.dedicated = QCheckBox(parent)
        self.dedicated.setAccessibleName(f"{label}: dedicated routing")
        self.time_to_share = DurationBox(*TIMER_BOUNDS, parent=parent)
        self.time_to_share.setAccessibleName(f"{label}: time to share")
        self.capacity_wait = DurationBox(*TIMER_BOUNDS, parent=parent)
        self.capacity_wait.setAccessibleName(f"{label}: capacity wait")
        for box in (self.time_to_share, self.capacity_wait):
            box.setMinimumWidth(130)  # "59 min 55 s" fits
        # Both timers only matter for a channel whose messages go to the rep first.
        self.dedicated.toggled.connect(self.time_to_share.setEnabled)
        self.dedicated.toggled.connect(self.capacity_wait.setEnabled)

    def values(self) -> dict[str, Any]:
        """The row as a ChannelSettings dict."""
        return {
            "dedicated_routing": self.dedicated.isChecked(),
            "time_to_share": self.time_to_share.value(),
            "capacity_wait": self.capacity_wait.value(),
        }

    def show(self, values: dict[str, Any]) -> None:
        """Show a ChannelSettings dict."""
        self.dedicated.setChecked(bool(values["dedicated_routing"]))
        self.time_to_share.setValue(int(values["time_to_share"]))
        self.capacity_wait.setValue(int(values["capacity_wait"]))
        self.time_to_share.setEnabled(self.dedicated.isChecked())
        self.capacity_wait.setEnabled(self.dedicated.isChecked())


class RoutingSettingsDialog(QDialog):
    """Edits the routing settings and a team's distribution; saves only what changed."""

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Routing settings")
        self.setMinimumSize(620, 420)
        self.resize(660, 720)
        self.session = session
        self.tasks = OwnedTasks(self)
        self.teams: dict[str, Team] = {}
        self._base: dict[str, Any] = {}
        self._base_distribution: str | None = None
        self._saving = False

        self.sharing = QCheckBox("Share priority conversations with the team", self)
        self.sharing.setAccessibleName("Sharing")
        self.rows = {ch: ChannelRow(label, self) for ch, label in CHANNELS}
        self.grace = DurationBox(*GRACE_BOUNDS, parent=self)
        self.grace.setSpecialValueText("none (offline at once)")
        self.grace.setAccessibleName("Presence grace")
        self.region = QComboBox(self)
        self.region.setAccessibleName("Phone region")
        for code in sorted(phonenumbers.SUPPORTED_REGIONS):
            self.region.addItem(_region_name(code), code)
        self.team = QComboBox(self)
        self.team.setAccessibleName("Team")
        self.distribution = QComboBox(self)
        self.distribution.setAccessibleName("Distribution")
        for value, text in DISTRIBUTIONS:
            self.distribution.addItem(text, value)
        self.team.currentIndexChanged.connect(self._show_team)

        self.notice = QLabel("", self)
        self.notice.setObjectName("dialogNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.show_settings(session.store.settings)
        StoreWatch(session.store, self, self._on_change)
        self.tasks.spawn(self.load_teams())

    def _lay_out(self) -> None:
        sharing_box = QGroupBox("Sharing", self)
        sharing_layout = QVBoxLayout(sharing_box)
        sharing_layout.addWidget(self.sharing)
        sharing_layout.addWidget(_hint(
            "When on, a priority conversation the rep has not claimed within the time to share "
            "goes to the team's shared inbox. When off, it waits for the rep.", self))  # fmt: skip

        channels = QGroupBox("Channels", self)
        channels_layout = QVBoxLayout(channels)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(4, 1)
        for col, title in enumerate(("", "Dedicated routing", "Time to share", "Capacity wait")):
            grid.addWidget(QLabel(f"<b>{title}</b>", self), 0, col)
        for row, (ch, label) in enumerate(CHANNELS, start=1):
            widgets = self.rows[ch]
            grid.addWidget(QLabel(label, self), row, 0)
            grid.addWidget(widgets.dedicated, row, 1, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(widgets.time_to_share, row, 2)
            grid.addWidget(widgets.capacity_wait, row, 3)
        channels_layout.addLayout(grid)
        bounds = f"{format_duration(TIMER_BOUNDS[0])} to {format_duration(TIMER_BOUNDS[1])}"
        for text in (
            "<b>Dedicated routing</b>: a customer's message goes first to their account rep "
            "(the timers apply only then).",
            f"<b>Time to share</b> ({bounds}): how long the rep has to claim a priority "
            "conversation before it goes to the team.",
            f"<b>Capacity wait</b> ({bounds}): how long a message waits for a rep who is at "
            "capacity before it is routed to the team.",
        ):
            channels_layout.addWidget(_hint(text, self))

        general = QGroupBox("Presence and phone numbers", self)
        form = QFormLayout(general)
        form.addRow("Presence grace", self.grace)
        form.addRow(_hint(
            f"How long ({self.grace.bounds_text()}) an agent whose connection dropped still "
            "counts as present before they are set offline.", self))  # fmt: skip
        form.addRow("Phone region", self.region)
        form.addRow(_hint("Phone numbers typed without a country code are read as numbers of "
                          "this region.", self))  # fmt: skip

        team_box = QGroupBox("Team distribution", self)
        team_form = QFormLayout(team_box)
        team_form.addRow("Team", self.team)
        team_form.addRow("Distribution", self.distribution)
        team_form.addRow(
            _hint("How a conversation that no dedicated agent takes reaches the team.", self)
        )

        # The sections scroll on a small screen instead of squashing the spin boxes.
        content = QWidget(self)
        sections = QVBoxLayout(content)
        sections.setContentsMargins(0, 0, 6, 0)
        for box in (sharing_box, channels, general, team_box):
            sections.addWidget(box)
        sections.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # -- showing --------------------------------------------------------------------------------

    def show_settings(self, raw: dict[str, Any]) -> None:
        """Show a Settings object; it becomes what edits are measured against."""
        if not raw:
            return
        settings = Settings.model_validate(raw).model_dump(mode="json")
        self._base = settings
        self.sharing.setChecked(settings["sharing_enabled"])
        for ch, row in self.rows.items():
            row.show(settings["channels"][ch])
        self.grace.setValue(settings["presence_grace_seconds"])
        index = self.region.findData(settings["phone_region"])
        if index < 0:
            self.region.addItem(settings["phone_region"], settings["phone_region"])
            index = self.region.count() - 1
        self.region.setCurrentIndex(index)

    def values(self) -> dict[str, Any]:
        """The settings as the dialog shows them."""
        return {
            "sharing_enabled": self.sharing.isChecked(),
            "presence_grace_seconds": self.grace.value(),
            "channels": {ch: row.values() for ch, row in self.rows.items()},
            "phone_region": self.region.currentData(),
        }

    async def load_teams(self) -> None:
        """Fetch the teams (with their distribution) for the team section."""
        try:
            result = await self.session.request("list_teams")
        except Exception as exc:
            self._fail(error_text(exc))
            return
        self.teams = {t["id"]: Team.model_validate(t) for t in result["teams"]}
        me = self.session.store.me
        mine = [tid for tid in (me.team_ids if me else []) if tid in self.teams]
        order = mine + sorted(tid for tid in self.teams if tid not in mine)
        self.team.blockSignals(True)
        self.team.clear()
        for tid in order:
            self.team.addItem(self.teams[tid].name, tid)
        self.team.blockSignals(False)
        self._show_team()

    def _show_team(self) -> None:
        team = self.teams.get(self.team.currentData())
        if team is None:
            return
        self._base_distribution = team.distribution
        self.distribution.setCurrentIndex(self.distribution.findData(team.distribution))

    # -- changes from elsewhere -----------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.kind != "settings_changed":
            return
        if self._saving:
            self._base = Settings.model_validate(self.session.store.settings).model_dump(
                mode="json"
            )  # our own save coming back
            return
        self.merge_remote(self.session.store.settings)

    def merge_remote(self, raw: dict[str, Any]) -> None:
        """Take another admin's settings: untouched fields follow, edited ones are kept."""
        edited = self.patch()
        mine = self.values()
        self.show_settings(raw)
        kept: list[str] = []
        for key, value in edited.items():
            if key == "channels":
                for ch, fields in value.items():
                    row = self.rows[ch]
                    merged = {**row.values(), **fields}
                    row.show(merged)
                    kept.extend(f"{dict(CHANNELS)[ch]} {k.replace('_', ' ')}" for k in fields)
                continue
            kept.append(key.replace("_", " ").replace(" seconds", ""))
            if key == "sharing_enabled":
                self.sharing.setChecked(mine[key])
            elif key == "presence_grace_seconds":
                self.grace.setValue(mine[key])
            elif key == "phone_region":
                self.region.setCurrentIndex(self.region.findData(mine[key]))
        text = "Another admin changed the routing settings while this was open; it now shows "
        text += "their values"
        if kept:
            text += f", except what you changed ({', '.join(kept)}), which Save will apply."
        else:
            text += "."
        self.notice.setText(text)
        self.notice.show()

    # -- saving ---------------------------------------------------------------------------------

    def patch(self) -> dict[str, Any]:
        """Only what differs from the server's settings (an `update_settings` request body)."""
        if not self._base:
            return {}
        now, base = self.values(), self._base
        patch: dict[str, Any] = {}
        for key in ("sharing_enabled", "presence_grace_seconds", "phone_region"):
            if now[key] != base[key]:
                patch[key] = now[key]
        channels = {}
        for ch, fields in now["channels"].items():
            changed = {k: v for k, v in fields.items() if base["channels"][ch][k] != v}
            if changed:
                channels[ch] = changed
        if channels:
            patch["channels"] = channels
        return patch

    def submit(self) -> None:
        """Save in the background (the Save button)."""
        self.tasks.spawn(self.save())

    async def save(self) -> bool:
        """Send what changed; close on success, keep the dialog open with the reason if not."""
        patch = self.patch()
        distribution = self.distribution.currentData()
        team_id = self.team.currentData()
        self.error.hide()
        self.save_button.setEnabled(False)
        self._saving = True
        try:
            if patch:
                result = await self.session.request("update_settings", **patch)
                self.show_settings(result["settings"])
            if team_id is not None and distribution != self._base_distribution:
                result = await self.session.request(
                    "update_team", team_id=team_id, distribution=distribution
                )
                team = Team.model_validate(result["team"])
                self.teams[team.id] = team
                self._base_distribution = team.distribution
        except Exception as exc:
            self._fail(error_text(exc))
            return False
        finally:
            self._saving = False
            self.save_button.setEnabled(True)
        self.accept()
        return True

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
