"""A family member's sync: the schedule a live share discloses, scoped, audited, ended on revocation.

An item's version for a family member is max(item version, share version), so accepting a
share (which bumps the share) delivers the patient's existing schedule. Items with the same
effective version are ordered by key, and the cursor carries the key (no skip, no repeat).

A family member learns nothing about what it may not see, not even that it exists: every item it
is sent is recorded (the `disclosures` table), and an item it may not see (hidden from family,
out of the share's scope, deleted, or of a share that ended) reaches it as a tombstone only if it
was sent before. The lookup is by the changed items' ids, so the cost stays that of the changes.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database
from clinic.errors import Forbidden
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import family as family_repo
from clinic.repository import shares as shares_repo
from clinic.schemas import AnyChange, FamilyScheduleItemData, SyncResponse
from clinic.services import cursor as cursors
from clinic.services import render
from clinic.services.auth import Principal
from clinic.services.sharing import expire_due, share_in_scope

Entry = tuple[int, str, AnyChange]  # (version for this family member, tie-break key, change)


class FamilySync:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def pull(self, who: Principal, position: tuple[str, int, str] | None, limit: int) -> SyncResponse:
        now = self.settings.clock()
        expire_due(self.db, now, family_id=who.account_id)
        with self.db.read() as conn:
            epoch = changes.get_meta(conn, "epoch")
            purged = int(changes.get_meta(conn, "purged_through"))
            after, key, reset = 0, "", False
            if position is not None:
                after, key = position[1], position[2]
                if position[0] != epoch or after < purged:
                    after, key, reset = 0, "", True
            first = position is None or reset
            shares = shares_repo.family_shares(conn, who.account_id)
            live = [s for s in shares if s.status == "active"]
            if not live:
                ended = [s for s in shares if s.status in ("revoked", "expired")]
                if ended:
                    latest = max(ended, key=lambda s: s.revoked_at or s.expires_at)
                    raise _ended(latest.status)
            tz = accounts_repo.clinic_zone(conn, who.clinic_id)
            entries: list[Entry] = []
            withdrawn: list[Entry] = []  # tombstones, each sent only if its item was sent before
            for share in shares:
                shown, hidden = self._share_entries(conn, share, after, first, tz)
                entries.extend(shown)
                withdrawn.extend(e for e in hidden if (e[0], e[1]) > (after, key))
            if withdrawn:
                ids = (e[2].id for e in withdrawn)
                sent = family_repo.disclosed(conn, who.account_id, "schedule_item", ids)
                entries.extend(e for e in withdrawn if e[2].id in sent)
        entries.sort(key=lambda e: (e[0], e[1]))
        entries = [e for e in entries if (e[0], e[1]) > (after, key)]
        has_more = len(entries) > limit
        page = entries[:limit]
        disclosing = {
            c.id: c.data.share_id for c in (e[2] for e in page) if isinstance(c.data, FamilyScheduleItemData)
        }
        with self.db.write() as w:
            family_repo.record_disclosures(w, who.account_id, "schedule_item", disclosing, now)
            for share in live:
                audit_repo.record(
                    w,
                    clinic_id=who.clinic_id,
                    actor_id=who.account_id,
                    actor_role="family",
                    patient_id=share.patient_id,
                    action="family.sync",
                    at=now,
                )
        last_version, last_key = (page[-1][0], page[-1][1]) if page else (after, key)
        return SyncResponse(
            changes=[e[2] for e in page],
            cursor=cursors.encode(epoch, last_version, last_key),
            has_more=has_more,
            reset=reset,
        )

    def _share_entries(
        self, conn: Any, share: Any, after: int, first: bool, tz: ZoneInfo
    ) -> tuple[list[Entry], list[Entry]]:
        """(changes this share shows, tombstones of items it may not show) since `after`."""
        share_version = changes.version_of(conn, "share", share.id) or 0
        alive = share.status == "active"
        if not alive and (first or share_version <= after):
            return [], []
        rows = family_repo.items_with_versions(
            conn, share.patient_id, None if share_version > after else after
        )
        sp = render.shared_patient(share, share.patient_name, tz) if alive else None
        shown: list[Entry] = [
            (share_version, f"0/{share.id}", render.change("shared_patient", share.id, share_version, sp))
        ]
        hidden: list[Entry] = []
        for row in rows:
            version = max(int(row.version), share_version)
            visible = (
                alive and not row.deleted and row.family_visible and share_in_scope(share.scope, row.kind)
            )
            if visible:
                data = render.family_schedule_item(row, tz, share.scope, share.id)
                shown.append((version, f"1/{row.id}", render.change("schedule_item", row.id, version, data)))
            elif not first:
                tombstone = render.change("schedule_item", row.id, version, None)
                hidden.append((version, f"1/{row.id}", tombstone))
        return shown, hidden


def _ended(status: str) -> Forbidden:
    if status == "expired":
        return Forbidden("share.expired", "Sharing ended", "This share has expired.")
    return Forbidden("share.revoked", "Sharing ended", "The patient stopped sharing with you.")
