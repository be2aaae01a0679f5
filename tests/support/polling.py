"""Bounded polling for tests: wait for a condition until a deadline, never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T | None],
    timeout: float,
    *,
    interval: float = 0.1,
    message: str = "condition not met in time",
) -> T:
    """`condition()`'s first truthy answer, asked every `interval` s; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(message)
        time.sleep(interval)


async def eventually(
    condition: Callable[[], T | None],
    timeout: float,
    *,
    interval: float = 0.05,
    message: str = "condition not met in time",
) -> T:
    """`wait_until` for async tests: the event loop keeps running between the checks."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(message)
        await asyncio.sleep(interval)
