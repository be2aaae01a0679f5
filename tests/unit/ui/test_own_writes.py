"""A session's own write (app/ui/own_writes.py): the session whose tap wrote hears its change as its
own, so it re-reads a moment later; every other session, and every change made elsewhere — a sync, a
task the tap started — is heard as before and re-read at once."""

from __future__ import annotations

import asyncio

import pytest

from app.sync.status import StatusBoard
from app.ui.own_writes import drawn_by, drawn_by_tap


class Session:
    """A session listening to local-data changes, as app/ui/root.py's App does."""

    def __init__(self, board: StatusBoard) -> None:
        self.heard: list[bool] = []  # for each change: was it this session's own write?
        board.subscribe(lambda: self.heard.append(drawn_by(self)))


async def test_only_the_writing_session_hears_its_write_as_its_own() -> None:
    board = StatusBoard()
    writer, other = Session(board), Session(board)
    with drawn_by_tap(writer):
        board.notify()  # the outbox write, told to every open session
    board.notify()  # a sync or a live event afterwards
    assert writer.heard == [True, False]
    assert other.heard == [False, False]


async def test_a_task_started_by_the_tap_does_not_write_as_the_tap() -> None:
    board = StatusBoard()
    writer = Session(board)

    async def later() -> None:
        await asyncio.sleep(0)
        board.notify()  # e.g. a sync the write woke, reporting on its own

    with drawn_by_tap(writer):
        task = asyncio.create_task(later())  # inherits the tap's context
    await task
    assert writer.heard == [False]


async def test_a_failed_write_leaves_nothing_behind() -> None:
    board = StatusBoard()
    writer = Session(board)
    with pytest.raises(RuntimeError), drawn_by_tap(writer):
        raise RuntimeError("the store refused")
    board.notify()
    assert writer.heard == [False]
