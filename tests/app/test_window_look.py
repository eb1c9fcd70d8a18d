"""The agent's window at its minimum size and in both themes, against a real in-process server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from desktop_app.theme import apply_theme
from tests.app.conftest import Desk
from tests.server.harness import until
from ui.conversation_view import LOAD_FAILED
from ui.elided_label import ElidedLabel
from ui.main_window import MINIMUM_SIZE
from ui.message_model import MessageRole, MessageRow

pytestmark = pytest.mark.qt


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The light theme for the test, and the app's own look restored after it."""
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    apply_theme(qapp, "light")
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def lightness(button: QAbstractButton) -> int:
    """How light the strokes of a button's icon are (0 black .. 255 white)."""
    image = button.icon().pixmap(QSize(18, 18)).toImage()
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    return max(c.lightness() for c in pixels if c.alpha() > 200)


async def test_at_the_minimum_size_tabs_buttons_and_bubbles_fit(
    desk: Desk, themed: QApplication
) -> None:
    """Before a pick the view says how to pick; at 900x600 every pane tab is shown whole, each
    action button has the width it asks for, and the bubbles stay inside the message list."""
    ana = await desk.window("ana")
    assert ana.view.nothing_open.isVisible()  # before a pick: how to pick one, not a blank form
    assert not ana.view.messages_view.isVisible()
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15553333", "Where is my parcel? " * 12)
    await until(lambda: ana.panes["shared"].row_count() == 1)
    ana.tabs.setCurrentIndex(1)
    ana.panes["shared"].pick_row(0)
    await until(lambda: "Where is my parcel" in ana.view.messages_view.toPlainText())
    assert ana.view.messages_view.isVisible()
    assert not ana.view.nothing_open.isVisible()
    assert ana.minimumSize() == MINIMUM_SIZE
    ana.resize(MINIMUM_SIZE)
    await asyncio.sleep(0.3)
    assert ana.size() == MINIMUM_SIZE
    bar = ana.tabs.tabBar()
    assert sum(bar.tabRect(i).width() for i in range(bar.count())) <= bar.width()
    for button in (ana.view.claim_button, ana.view.release_button, ana.view.transfer_button,
                   ana.view.close_button, ana.view.send_button):  # fmt: skip
        assert button.width() >= button.sizeHint().width(), button.text()
    view = ana.view.messages_view
    for row in range(view.model().rowCount()):
        index = view.model().index(row, 0)
        assert isinstance(index.data(MessageRole.Row), MessageRow)
        assert view.visualRect(index).width() <= view.viewport().width()


async def test_action_icons_follow_the_theme(desk: Desk, themed: QApplication) -> None:
    """The action buttons' line icons are dark on the light theme and light on the dark one."""
    ana = await desk.window("ana")
    light = lightness(ana.view.release_button)
    apply_theme(themed, "dark")
    await asyncio.sleep(0.2)
    dark = lightness(ana.view.release_button)
    assert light < 100 < dark


def test_a_long_title_gives_up_its_secondary_part_first_then_elides(qtbot: QtBot) -> None:
    """The conversation title keeps the contact's name whole while the channel and handle
    shorten, and ends in an ellipsis (never clipped mid-letter) when even the name is too long."""
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.set_parts("Maria Garcia", "E-mail  ·  maria.garcia.long.address@example.com")
    metrics = label.fontMetrics()
    label.resize(metrics.horizontalAdvance("Maria Garcia  ·  E-mail  ·  mar") + 4, 30)
    shown = label.shown_text()
    assert shown.startswith("Maria Garcia  ·  E-mail")
    assert shown.endswith("…")
    label.resize(metrics.horizontalAdvance("Maria Gar"), 30)
    assert label.shown_text().startswith("Maria")
    assert label.shown_text().endswith("…")
    assert "E-mail" not in label.shown_text()
    label.resize(2000, 30)
    assert (
        label.shown_text()
        == label.text()
        == ("Maria Garcia  ·  E-mail  ·  maria.garcia.long.address@example.com")
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_image_a_theme_names_exists(themed: QApplication, theme: str) -> None:
    """The stylesheets' arrow images resolve to files on disk (a missing one draws nothing)."""
    apply_theme(themed, theme)
    urls = re.findall(r"url\(([^)]+)\)", themed.styleSheet())
    assert urls
    for url in urls:
        assert Path(url).is_file(), url


async def test_a_conversation_that_cannot_load_says_so_instead_of_loading_forever(
    desk: Desk, themed: QApplication
) -> None:
    """Opened while the server is down, a conversation whose messages were never loaded says it
    did not load; opened again once the server is back, its messages show."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15554444", "Hello from the other side")
    await until(lambda: ana.panes["shared"].row_count() == 1)
    await desk.harness.stop()
    await until(lambda: ana.session.link.status != "online")
    ana.tabs.setCurrentIndex(1)
    ana.panes["shared"].pick_row(0)
    await until(lambda: ana.view.messages_view.empty_text() == LOAD_FAILED)
    assert ana.view.messages_view.model().rowCount() == 0
    await desk.harness.start()
    await until(lambda: ana.session.link.status == "online")
    ana.panes["shared"].pick_row(0)
    await until(lambda: "Hello from the other side" in ana.view.messages_view.toPlainText())
    # Opening marks it read: wait for that, so no request is in flight when the window closes.
    await until(lambda: all(c.unread == 0 for c in ana.store.conversations.values()))
