"""Conversation rows never overlap and elide what does not fit; empty panes say so."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from sync.store import Store
from tests.app.test_conversation_model import conv, snapshot
from ui.avatars import avatar_colour, initials
from ui.conversation_delegate import ConversationDelegate
from ui.conversation_model import ConversationListModel, in_mine, in_priority, in_shared
from ui.inbox_pane import InboxPane
from ui.row_layout import (
    ROW_HEIGHT,
    RowFonts,
    RowTexts,
    badge_text,
    layout_row,
    row_height,
    when_text,
)

pytestmark = pytest.mark.qt

NAMES = ["Al", "Maria Fernanda Garcia de la Vega Rodriguez-Oyelaran", "+1 555 0100"]
PREVIEWS = ["", "Hi", "Is my order on its way? I ordered it last Tuesday and " * 4]
# The list pane's row width at the window's minimum size is about 250 px; test well below it.
WIDTHS = range(180, 901, 9)


def fonts(points: float = 10) -> RowFonts:
    base = QFont(QApplication.font())
    base.setPointSizeF(points)
    return RowFonts.from_font(base)


@pytest.mark.parametrize("points", [10, 16])
def test_no_two_parts_of_a_row_overlap_at_any_width(qapp: object, points: float) -> None:
    """For long and short names and previews, badges up to 99+ and countdowns, at every width
    from below the minimum to wide, and at a large font too, no two parts of a row overlap and
    all stay inside the row."""
    f = fonts(points)
    cases = itertools.product(
        NAMES, PREVIEWS, [0, 7, 150], [None, 42, 3725], ["14:02", "Yesterday"]
    )
    for (name, preview, unread, seconds, time), width in itertools.product(cases, WIDTHS):
        row = QRect(0, 0, width, row_height(f))
        layout = layout_row(row, RowTexts(name, preview, time, seconds, unread), f)
        parts = layout.parts()
        for part, rect in parts.items():
            assert row.contains(rect), (part, width, rect)
            assert rect.width() >= 0
        for (a, ra), (b, rb) in itertools.combinations(parts.items(), 2):
            assert not ra.intersects(rb), (a, b, width, name, unread, seconds)
        if seconds is not None:
            assert layout.countdown is not None  # the countdown is never dropped
        if unread:
            assert layout.badge is not None
            assert layout.badge_text == badge_text(unread)


def test_texts_are_elided_to_their_rectangles(qapp: object) -> None:
    """A long name and preview are shortened with an ellipsis to the width they were given."""
    f = fonts()
    texts = RowTexts(NAMES[1], PREVIEWS[2], "14:02", 125, 3)
    layout = layout_row(QRect(0, 0, 260, ROW_HEIGHT), texts, f)
    assert layout.name_text.endswith("…")
    assert QFontMetrics(f.name).horizontalAdvance(layout.name_text) <= layout.name.width()
    assert layout.preview is not None
    assert layout.preview_text.endswith("…")
    assert QFontMetrics(f.body).horizontalAdvance(layout.preview_text) <= layout.preview.width()
    assert layout.countdown_text == "2:05"  # the short form where room is scarce
    wide = layout_row(QRect(0, 0, 600, ROW_HEIGHT), texts, f)
    assert wide.countdown_text == "Shares in 2:05"


def test_a_readable_name_wins_over_the_time(qapp: object) -> None:
    """When the row is too narrow for both, the time goes and the name keeps a readable width."""
    layout = layout_row(
        QRect(0, 0, 130, ROW_HEIGHT), RowTexts("Maria Garcia", "Hi", "Yesterday", None, 0), fonts()
    )
    assert layout.time is None
    assert layout.name.width() >= 48


def test_badges_cap_at_99_plus_and_times_read_like_an_inbox() -> None:
    """Unread counts above 99 show "99+"; times are HH:MM today, "Yesterday", a weekday, a date."""
    assert [badge_text(n) for n in (1, 99, 100, 5000)] == ["1", "99", "99+", "99+"]
    now = datetime(2026, 11, 27, 15, 0, tzinfo=UTC).astimezone()
    assert when_text(now.replace(hour=9, minute=5), now) == "09:05"
    assert when_text(now - timedelta(days=1), now) == "Yesterday"
    assert when_text(now - timedelta(days=3), now) == (now - timedelta(days=3)).strftime("%a")
    assert when_text(now - timedelta(days=30), now) == f"{(now - timedelta(days=30)).day} Oct"
    assert when_text(None, now) == ""


def test_avatars_have_stable_colours_and_initials() -> None:
    """The same contact always gets the same colour; initials come from the first and last word."""
    assert avatar_colour("ct-1") == avatar_colour("ct-1")
    assert len({avatar_colour(f"ct-{i}") for i in range(40)}) > 3
    assert initials("Maria Fernanda Garcia") == "MG"
    assert initials("ana") == "AN"
    assert initials("+1 555 0100") == "#"


def test_a_search_without_a_match_says_so_and_empty_panes_say_what_lands_there(
    qtbot: object,
) -> None:
    """Typing a search that matches nothing leaves no rows and says "No conversations match
    'abc'"; clearing it brings the rows back; an empty pane says what would land in it."""
    store = Store()
    store.apply_sync(snapshot(conv("a", "shared", minute=1), conv("b", "shared", minute=2)))
    shared = InboxPane("Shared", ConversationListModel(store, in_shared))
    priority = InboxPane("Priority", ConversationListModel(store, in_priority))
    mine = InboxPane("Mine", ConversationListModel(store, in_mine))
    for pane in (shared, priority, mine):
        qtbot.addWidget(pane)  # type: ignore[attr-defined]
    assert shared.row_count() == 2
    shared.search.setText("abc")
    assert shared.row_count() == 0
    assert shared.empty_text().startswith("No conversations match 'abc'")
    shared.search.setText("customer a")
    assert shared.row_count() == 1
    shared.search.clear()
    assert shared.row_count() == 2
    assert priority.empty_text() == ("Nothing waiting — Your customers' messages land here first.")
    assert mine.empty_text().startswith("Conversations you claim show here")
    assert shared.empty_text().startswith("The shared inbox is clear")


def test_hovering_a_part_of_a_row_says_what_it_is(qtbot: object) -> None:
    """Hit-testing uses the painted layout: the badge, channel icon and countdown each have a
    tooltip in words."""
    store = Store()
    store.apply_sync(snapshot(conv("p", "priority", assigned_to="me", minute=1)))
    pane = InboxPane("Priority", ConversationListModel(store, in_priority))
    qtbot.addWidget(pane)  # type: ignore[attr-defined]
    pane.resize(360, 300)
    pane.show()
    index = pane.proxy.index(0, 0)
    option = QStyleOptionViewItem()
    option.rect = pane.list.visualRect(index)
    option.font = pane.list.font()
    delegate = pane.list.itemDelegate()
    assert isinstance(delegate, ConversationDelegate)
    layout = delegate.row_layout(option, index)
    assert layout.badge is not None
    assert layout.countdown is not None
    at = option.rect.topLeft()
    assert delegate.part_at(option, index, layout.badge.center() + at) == "badge"
    assert delegate.tip_for(option, index, layout.badge.center() + at) == "1 unread message"
    assert delegate.tip_for(option, index, layout.channel.center() + at) == "Channel: SMS"
    tip = delegate.tip_for(option, index, layout.countdown.center() + at)
    assert tip.startswith("Goes to the shared inbox in")
    assert delegate.part_at(option, index, layout.avatar.center() + at) == "avatar"
