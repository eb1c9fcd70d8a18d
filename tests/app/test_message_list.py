"""The open conversation's rows: messages, steps and day separators, kept in step row by row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from inbox_protocol import Message, TimelineEntry
from sync.store import PendingReply
from ui.message_delegate import message_layout
from ui.message_list import MessageListView
from ui.message_model import MessageListModel, MessageRow, build_rows, day_label

pytestmark = pytest.mark.qt
# Noon UTC keeps every timestamp on one local date in any time zone within ±11 hours.
DAY1 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
NOW = DAY2 + timedelta(hours=2)
NAMES = {"u-ana": "Ana Alvarez", "u-ben": "Ben Okafor"}


def message(mid: str, direction: str, at: datetime, **extra: object) -> Message:
    data = {
        "id": mid,
        "conversation_id": "c1",
        "direction": direction,
        "body": f"body {mid}",
        "author_id": None,
        "at": at,
        "client_msg_id": None,
        "delivery": None,
        **extra,
    }
    return Message.model_validate(data)


def step(at: datetime, reason: str, **extra: object) -> TimelineEntry:
    data = {
        "at": at,
        "kind": "routed",
        "reason": reason,
        "actor_id": None,
        "state": "shared",
        "assigned_to": None,
        **extra,
    }
    return TimelineEntry.model_validate(data)


def thread() -> list[Message | PendingReply]:
    return [
        message("m1", "in", DAY1),
        message(
            "m2",
            "out",
            DAY1 + timedelta(minutes=5),
            author_id="u-ben",
            client_msg_id="k2",
            delivery="delivered",
        ),
        message("m3", "in", DAY2),
        PendingReply("k4", "c1", "on my way", DAY2 + timedelta(minutes=1)),
    ]


def test_rows_interleave_messages_and_steps_with_a_separator_per_day() -> None:
    """Customer messages are "in", replies "out" (mine say "You"), steps sit where they
    happened, each new day starts with a separator, and a reply the server has not taken is
    "queued" while offline and "pending" while connected."""
    timeline = [
        step(DAY1 + timedelta(seconds=1), "no_dedicated_agent"),
        step(
            DAY1 + timedelta(minutes=4),
            "claimed",
            actor_id="u-ana",
            state="claimed",
            assigned_to="u-ana",
        ),
    ]
    rows = build_rows(thread(), timeline, NAMES, "u-ana", "Maria Garcia", False, NOW)
    assert [r.kind for r in rows] == ["day", "in", "step", "step", "out", "day", "in", "out"]
    assert [r.text for r in rows if r.kind == "day"] == [day_label(DAY1, NOW), "Today"]
    assert rows[1].author == "Maria Garcia"
    assert rows[3].text == "Claimed by you."
    assert (rows[4].author, rows[4].delivery) == ("Ben Okafor", "delivered")
    assert (rows[7].author, rows[7].delivery, rows[7].text) == ("You", "queued", "on my way")
    online = build_rows(thread(), [], NAMES, "u-ana", "Maria Garcia", True, NOW)
    assert online[-1].delivery == "pending"
    assert day_label(DAY2 - timedelta(days=1), DAY2) == "Yesterday"


def test_a_new_message_is_one_insert_and_a_delivery_change_one_row(qapp: object) -> None:
    """Appending a reply inserts one row and a delivery state change updates one row; neither
    resets the list; another conversation does."""
    model = MessageListModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    seen: list[str] = []
    model.rowsInserted.connect(lambda _p, first, last: seen.append(f"+{first}-{last}"))
    model.modelReset.connect(lambda: seen.append("reset"))
    model.dataChanged.connect(lambda a, b: seen.append(f"~{a.row()}"))
    rows = build_rows(thread()[:2], [], NAMES, "u-ben", "Maria", True, NOW)
    model.set_rows("c1", rows)
    sent = message(
        "m9",
        "out",
        DAY1 + timedelta(minutes=9),
        author_id="u-ben",
        client_msg_id="k9",
        delivery="sent",
    )
    more = build_rows([*thread()[:2], sent], [], NAMES, "u-ben", "Maria", True, NOW)
    model.set_rows("c1", more)
    delivered = sent.model_copy(update={"delivery": "delivered"})
    model.set_rows(
        "c1", build_rows([*thread()[:2], delivered], [], NAMES, "u-ben", "Maria", True, NOW)
    )
    model.set_rows("c2", rows)
    assert seen == ["reset", "+3-3", "~3", "reset"]
    assert model.rowCount() == len(rows)


def test_the_view_reads_as_a_transcript_with_delivery_in_words(qtbot: object) -> None:
    """The list's text names who wrote what and each reply's delivery state in words and marks
    the bundled font has (no emoji)."""
    view = MessageListView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.set_rows("c1", build_rows(thread(), [], NAMES, "u-ana", "Maria", False, NOW))
    text = view.toPlainText()
    assert "Maria · " in text
    assert "✓✓ delivered" in text
    assert "queued" in text
    assert "body m3" in text


@pytest.mark.parametrize("width", [260, 380, 520, 900, 1400])
def test_bubbles_sit_on_their_side_inside_the_list_with_the_meta_below(
    qapp: object, width: int
) -> None:
    """Customer bubbles start at the left, replies end at the right, both inside the width,
    and the time and delivery line sits under its bubble without overlapping it."""
    font = QFont(QApplication.font())
    long_text = "A long message that has to wrap over several lines " * 6 + "x" * 120
    kinds: tuple[Literal["in", "out"], ...] = ("in", "out")
    for kind in kinds:
        row = MessageRow(
            "k",
            kind,
            long_text,
            DAY1,
            "Maria Garcia",
            "delivered" if kind == "out" else None,
        )
        layout = message_layout(row, width, font)
        assert layout.bubble is not None
        assert layout.meta is not None
        assert layout.bubble.left() >= 0
        assert layout.bubble.right() < width
        assert layout.meta.top() > layout.bubble.bottom()
        assert layout.height > layout.meta.bottom()
        if kind == "in":
            assert layout.bubble.left() < width // 4
        else:
            assert layout.bubble.right() > width * 3 // 4
            assert layout.state_icon is not None
            assert not layout.state_icon.intersects(layout.meta)


def test_bubbles_in_a_quick_run_from_one_author_share_one_time_line(qapp: object) -> None:
    """Messages from the same author minutes apart form a group: only the last bubble shows the
    time and state, and the others sit closer; a reply or a pause ends the group."""
    burst = [
        message("a", "in", DAY1),
        message("b", "in", DAY1 + timedelta(minutes=1)),
        message("c", "in", DAY1 + timedelta(minutes=30)),
        message("d", "out", DAY1 + timedelta(minutes=31), author_id="u-ana", delivery="sent"),
    ]
    rows = build_rows(burst, [], NAMES, "u-ana", "Maria", True, NOW)
    assert [(r.kind, r.meta_shown) for r in rows] == [
        ("day", True), ("in", False), ("in", True), ("in", True), ("out", True),
    ]  # fmt: skip
    font = QFont(QApplication.font())
    assert message_layout(rows[1], 600, font).meta is None
    assert message_layout(rows[1], 600, font).height < message_layout(rows[2], 600, font).height


def test_copy_puts_the_selected_message_on_the_clipboard(qtbot: object) -> None:
    """Ctrl+C (or the context menu's Copy) copies the selected message's text; "Copy
    conversation" copies the whole transcript."""
    view = MessageListView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.set_rows("c1", build_rows(thread(), [], NAMES, "u-ana", "Maria", True, NOW))
    row = next(i for i, r in enumerate(view.message_model.rows()) if r.text == "body m3")
    view.setCurrentIndex(view.message_model.index(row))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert QGuiApplication.clipboard().text() == "body m3"
    view.copy_all()
    assert QGuiApplication.clipboard().text() == view.toPlainText()
