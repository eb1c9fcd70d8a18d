"""Where everything of a conversation row goes: computed once per row width and contents.

One function places every rectangle and elides every text; painting, hit-testing and the tests
all use it, so what the tests prove about overlaps is what the agent sees.

    [avatar]  Name ........................ 14:02
              [ch] Preview ........ [4:32] [99+]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics

PAD_X = 12
AVATAR = 36
GAP = 10
ICON = 14
COUNT_ICON = 12
PILL_H = 18
PILL_PAD = 6
LINE_GAP = 4
MIN_NAME = 48
ROW_HEIGHT = 64  # at the default font; larger fonts get taller rows (see row_height)
PAD_Y = 10


def badge_text(unread: int) -> str:
    """An unread count as a badge shows it: capped at "99+"."""
    return "99+" if unread > 99 else str(unread)


def countdown(seconds: int) -> str:
    """Seconds as M:SS (or H:MM:SS)."""
    minutes, secs = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def when_text(at: datetime | None, now: datetime) -> str:
    """The last message's time as inboxes show it: 14:02 today, "Mon" this week, else a date."""
    if at is None:
        return ""
    local, today = at.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.date() == (today - timedelta(days=1)).date():
        return "Yesterday"
    if today - local < timedelta(days=6):
        return local.strftime("%a")
    return f"{local.day} {local.strftime('%b')}"


@dataclass(frozen=True)
class RowTexts:
    """What one row says."""

    name: str
    preview: str
    time: str
    seconds_to_share: int | None
    unread: int


@dataclass(frozen=True)
class RowFonts:
    """The fonts of a row, derived from the view's font."""

    name: QFont
    body: QFont
    small: QFont
    badge: QFont

    @staticmethod
    def from_font(base: QFont) -> RowFonts:
        """Name bold at the base size, preview at the base size, time and pills a step smaller."""
        name = QFont(base)
        name.setBold(True)
        small = QFont(base)
        if base.pointSizeF() > 0:
            small.setPointSizeF(max(6.0, base.pointSizeF() - 1.5))
        else:
            small.setPixelSize(max(8, base.pixelSize() - 2))
        badge = QFont(small)
        badge.setBold(True)
        return RowFonts(name, QFont(base), small, badge)


def row_height(fonts: RowFonts) -> int:
    """A row's height: two lines of text (or the avatar) with padding, at least ROW_HEIGHT."""
    lines = QFontMetrics(fonts.name).height() + LINE_GAP
    lines += max(QFontMetrics(fonts.body).height(), PILL_H)
    return max(ROW_HEIGHT, max(lines, AVATAR) + 2 * PAD_Y)


@dataclass(frozen=True)
class RowLayout:
    """Every rectangle of one row and the elided texts that fit them (None: not shown)."""

    avatar: QRect
    name: QRect
    name_text: str
    time: QRect | None
    time_text: str
    channel: QRect
    preview: QRect | None
    preview_text: str
    countdown: QRect | None
    countdown_icon: QRect | None
    countdown_text: str
    badge: QRect | None
    badge_text: str

    def parts(self) -> dict[str, QRect]:
        """The rectangles that are shown, by name (for hit-testing and tests)."""
        named = {
            "avatar": self.avatar,
            "name": self.name,
            "time": self.time,
            "channel": self.channel,
            "preview": self.preview,
            "countdown": self.countdown,
            "badge": self.badge,
        }
        return {k: v for k, v in named.items() if v is not None}


def _elide(metrics: QFontMetrics, text: str, width: int) -> str:
    one_line = " ".join(text.split())
    return metrics.elidedText(one_line, Qt.TextElideMode.ElideRight, max(0, width))


def layout_row(rect: QRect, texts: RowTexts, fonts: RowFonts) -> RowLayout:
    """Place avatar, name, time, channel icon, preview, countdown and badge inside `rect`."""
    name_m, body_m = QFontMetrics(fonts.name), QFontMetrics(fonts.body)
    small_m, badge_m = QFontMetrics(fonts.small), QFontMetrics(fonts.badge)
    left, right = rect.left() + PAD_X, rect.right() - PAD_X + 1  # right: one past the last pixel
    avatar = QRect(left, rect.top() + (rect.height() - AVATAR) // 2, AVATAR, AVATAR)
    text_left = avatar.right() + 1 + GAP
    line1_h = name_m.height()
    line2_h = max(body_m.height(), PILL_H)
    top = rect.top() + (rect.height() - line1_h - LINE_GAP - line2_h) // 2
    line2_top = top + line1_h + LINE_GAP

    # Line 1: the time keeps its width unless the name would drop below a readable minimum.
    time_rect: QRect | None = None
    name_right = right
    # Unread rows draw the time bold: measure it in the font it is drawn in.
    time_m = badge_m if texts.unread > 0 else small_m
    time_w = time_m.horizontalAdvance(texts.time) if texts.time else 0
    if time_w and right - time_w - GAP - text_left >= MIN_NAME:
        time_rect = QRect(right - time_w, top, time_w, line1_h)
        name_right = time_rect.left() - GAP
    name_w = max(0, name_right - text_left)
    name_rect = QRect(text_left, top, name_w, line1_h)
    name_text = _elide(name_m, texts.name, name_w)

    # Line 2, from the right: the unread badge, then the countdown, then what is left for text.
    cursor = right
    badge_rect: QRect | None = None
    badge = badge_text(texts.unread) if texts.unread > 0 else ""
    if badge:
        width = max(PILL_H, badge_m.horizontalAdvance(badge) + 2 * PILL_PAD)
        badge_rect = QRect(cursor - width, line2_top + (line2_h - PILL_H) // 2, width, PILL_H)
        cursor = badge_rect.left() - PILL_PAD
    channel = QRect(text_left, line2_top + (line2_h - ICON) // 2, ICON, ICON)
    preview_left = channel.right() + 1 + PILL_PAD
    count_rect = count_icon = None
    count_text = ""
    if texts.seconds_to_share is not None:
        clock = countdown(texts.seconds_to_share)
        # The long form only when the preview keeps a useful width beside it.
        width = 0
        for candidate in (f"Shares in {clock}", clock):
            width = COUNT_ICON + 4 + badge_m.horizontalAdvance(candidate) + 2 * PILL_PAD
            if cursor - width - GAP - preview_left >= 90 or candidate == clock:
                count_text = candidate
                break
        width = min(width, max(0, cursor - preview_left))
        count_rect = QRect(cursor - width, line2_top + (line2_h - PILL_H) // 2, width, PILL_H)
        inset = (PILL_H - COUNT_ICON) // 2
        count_icon = QRect(
            count_rect.left() + PILL_PAD, count_rect.top() + inset, COUNT_ICON, COUNT_ICON
        )
        cursor = count_rect.left() - PILL_PAD
    preview_w = cursor - preview_left - (GAP - PILL_PAD)
    preview_rect: QRect | None = None
    preview_text = ""
    if preview_w >= 16 and texts.preview:
        preview_rect = QRect(preview_left, line2_top, preview_w, line2_h)
        preview_text = _elide(body_m, texts.preview, preview_w)
    return RowLayout(
        avatar=avatar,
        name=name_rect,
        name_text=name_text,
        time=time_rect,
        time_text=texts.time if time_rect is not None else "",
        channel=channel,
        preview=preview_rect,
        preview_text=preview_text,
        countdown=count_rect,
        countdown_icon=count_icon,
        countdown_text=count_text,
        badge=badge_rect,
        badge_text=badge,
    )
