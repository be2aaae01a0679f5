"""The observable sync status: one value the UI reads, listeners told of every change."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from app.domain.model import SyncStatus

log = logging.getLogger(__name__)


class StatusBoard:
    """Holds the current SyncStatus and notifies listeners (status and data changes alike)."""

    def __init__(self) -> None:
        self._status = SyncStatus()
        self._listeners: list[Callable[[], None]] = []

    @property
    def current(self) -> SyncStatus:
        return self._status

    def update(self, **changes: Any) -> SyncStatus:
        new = dataclasses.replace(self._status, **changes)
        if new != self._status:
            self._status = new
            self.notify()
        return new

    def notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # a broken view must not stop sync
                log.exception("sync status listener failed")

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe
