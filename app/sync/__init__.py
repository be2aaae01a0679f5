"""The sync engine: push the outbox, pull changes, back off, report status."""

from __future__ import annotations

from app.sync.engine import SyncEngine

__all__ = ["SyncEngine"]
