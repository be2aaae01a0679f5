"""Errors of the encrypted store.

    StoreError
    ├── StoreClosedError       the store was closed or wiped
    └── RecordDamagedError     a sealed value failed authentication (tampered or truncated);
                               handled inside the store: dropped, reported, re-pulled

Problems the store repairs on its own are not raised; they are reported as codes
(`store.record_repaired`, `store.outbox_damaged`, `store.reset`) the UI translates.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every store error; `code` is a message key the UI translates."""

    code = "store.error"


class StoreClosedError(StoreError):
    code = "store.closed"


class RecordDamagedError(StoreError):
    code = "store.record_repaired"
