"""A window's task owner: slots run as its tasks, closing cancels and awaits them."""

from __future__ import annotations

import asyncio

import pytest

from ui.tasks import TaskOwner, owned

pytestmark = pytest.mark.qt


class Slots:
    """An object with async slots, as a widget has."""

    def __init__(self) -> None:
        self.tasks = TaskOwner()
        self.seen: list[str] = []
        self.finished = False

    @owned
    async def picked(self, conversation_id: str) -> None:
        self.seen.append(conversation_id)

    @owned
    async def long(self) -> None:
        try:
            await asyncio.sleep(60)
        finally:
            self.finished = True


async def test_a_slot_takes_what_it_declares_and_runs_as_a_task_of_its_owner() -> None:
    """Qt passes a signal's extra arguments (clicked's `checked`): the slot drops them, and its
    run is a task of the owner until it ends."""
    slots = Slots()
    task = slots.picked("cv_1", True)  # type: ignore[call-arg]
    assert task is not None
    assert len(slots.tasks) == 1
    await task
    assert slots.seen == ["cv_1"]
    assert len(slots.tasks) == 0


async def test_closing_cancels_awaits_and_refuses_more() -> None:
    """aclose cancels a running slot and returns once its clean-up ran; a closed owner starts
    nothing more, without leaving an un-awaited coroutine behind."""
    slots = Slots()
    slots.long()
    await asyncio.sleep(0)
    await slots.tasks.aclose()
    assert slots.finished
    assert len(slots.tasks) == 0
    assert slots.picked("cv_2") is None
    assert slots.seen == []
