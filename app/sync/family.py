"""A family member's shares ending: erase what they disclosed, and note (without PHI) that they ended.

A share ends three ways, all seen by the sync engine: a `shared_patient` tombstone (another share is
still live), a reset snapshot that no longer holds it, or 403 `share.revoked` / `share.expired` (no
share is live). Each way leads here. The ended note keeps only the share id, why and when — never
the patient's name, so after revocation the device holds nothing of the patient.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from app.api.records import SharedPatientRecord, parse_as
from app.store.encrypted import EncryptedStore

log = logging.getLogger(__name__)

ENDED = "ended_shares"
MAX_ENDED = 20  # notes kept until the family member dismisses them


async def live_shares(store: EncryptedStore) -> dict[str, str | None]:
    """The shares this device holds: id → expires_at (ISO), read before a pull."""
    found = await store.records(SharedPatientRecord.TYPE)
    return {r.id: parse_as(SharedPatientRecord, r.data).expires_at.isoformat() for r in found}


async def forget_missing(
    store: EncryptedStore, before: Mapping[str, str | None], clock: Callable[[], datetime]
) -> list[str]:
    """After a pull: erase every share that was here before and is gone now; returns their ids."""
    if not before:
        return []
    now = await live_shares(store)
    gone = [share_id for share_id in before if share_id not in now]
    if not gone:
        return []
    moment = clock()
    reasons = {share_id: _reason(before[share_id], moment) for share_id in gone}
    await store.erase_shared(gone)
    await _note(store, reasons, moment)
    log.info("sync: %d share(s) ended; their data was erased", len(gone))
    return gone


async def forget_all(store: EncryptedStore, problem_code: str, clock: Callable[[], datetime]) -> list[str]:
    """The clinic answered 403 share.revoked/share.expired: no share is live; erase every one."""
    before = await live_shares(store)
    leftovers = await store.records("schedule_item")
    if not before and not leftovers:
        return []  # already erased on an earlier round: do not rewrite the file every sync
    reason = "expired" if problem_code == "share.expired" else "revoked"
    moment = clock()
    await store.erase_shared(None)
    await _note(store, dict.fromkeys(before, reason), moment)
    log.info("sync: sharing ended (%s); shared data was erased", reason)
    return list(before)


async def ended(store: EncryptedStore) -> list[dict[str, str]]:
    raw = await store.get_value(ENDED)
    if not isinstance(raw, list):
        return []
    return [e for e in raw if isinstance(e, dict) and isinstance(e.get("share_id"), str)]


async def clear_ended(store: EncryptedStore, share_id: str | None = None) -> None:
    """The family member has read the note (None: all notes), or accepted that share again."""
    if share_id is None:
        await store.delete_value(ENDED)
        return
    await store.set_value(ENDED, [e for e in await ended(store) if e["share_id"] != share_id])


async def _note(store: EncryptedStore, reasons: Mapping[str, str], moment: datetime) -> None:
    if not reasons:
        return
    notes = [e for e in await ended(store) if e["share_id"] not in reasons]
    notes += [{"share_id": sid, "reason": why, "at": moment.isoformat()} for sid, why in reasons.items()]
    await store.set_value(ENDED, notes[-MAX_ENDED:])


def _reason(expires_at: str | None, moment: datetime) -> str:
    if expires_at is None:
        return "revoked"
    try:
        ends = datetime.fromisoformat(expires_at)
    except ValueError:
        return "revoked"
    return "expired" if ends.tzinfo is not None and ends <= moment else "revoked"
