"""GET /v1/sync: the changes a caller may see since their cursor, in version (commit) order."""

from __future__ import annotations

from datetime import datetime

from clinic.config import Settings
from clinic.database import Database
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import family as family_repo
from clinic.schemas import SyncResponse
from clinic.services import cursor as cursors
from clinic.services import records
from clinic.services.auth import Principal
from clinic.services.family import FamilySync


class SyncService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.family = FamilySync(db, settings)

    def pull(self, who: Principal, cursor: str | None, limit: int) -> SyncResponse:
        position = cursors.decode(cursor) if cursor is not None else None
        if who.role == "family":  # the router lets only patients and family members pull
            return self.family.pull(who, position, limit)
        now = self.settings.clock()
        if position is not None:
            unchanged = self._unchanged(who, position, now)
            if unchanged is not None:
                return unchanged
        self._reveal_due(who.account_id)
        with self.db.read() as conn:
            epoch = changes.get_meta(conn, "epoch")
            purged = int(changes.get_meta(conn, "purged_through"))
            after, reset = 0, False
            if position is not None:
                after = position[1]
                if position[0] != epoch or after < purged:
                    after, reset = 0, True
            scope = changes.patient_scope(who.account_id, who.clinic_id)
            page = changes.since(conn, scope, after, limit, now, live_only=position is None or reset)
            has_more = len(page) > limit
            page = page[:limit]
            out = records.patient_changes(conn, page, accounts_repo.clinic_zone(conn, who.clinic_id))
        if page:
            with self.db.write() as w:
                audit_repo.record(
                    w,
                    clinic_id=who.clinic_id,
                    actor_id=who.account_id,
                    actor_role=who.role,
                    patient_id=who.account_id,
                    action="sync.read",
                    at=now,
                )
        last = page[-1].version if page else after
        return SyncResponse(changes=out, cursor=cursors.encode(epoch, last), has_more=has_more, reset=reset)

    def _unchanged(
        self, who: Principal, position: tuple[str, int, str], now: datetime
    ) -> SyncResponse | None:
        """The answer to a patient's sync when nothing is newer than its cursor, from one read of a
        few index lookups (the newest version in scope) — or None: the full read is needed (a
        change, a hidden record whose time came, a reset). Most syncs of an open app are these."""
        with self.db.read() as conn:
            epoch = changes.get_meta(conn, "epoch")
            if position[0] != epoch or position[1] < int(changes.get_meta(conn, "purged_through")):
                return None
            if changes.due_hidden(conn, who.account_id, now):
                return None
            scope = changes.patient_scope(who.account_id, who.clinic_id)
            if changes.newest_in(conn, scope, now) > position[1]:
                return None
        return SyncResponse(
            changes=[], cursor=cursors.encode(epoch, position[1]), has_more=False, reset=False
        )

    def _reveal_due(self, patient_id: str) -> None:
        """Records hidden until a time (drug tests) get a fresh version once that time has passed."""
        now = self.settings.clock()
        with self.db.read() as conn:
            due = changes.due_hidden(conn, patient_id, now)
        if due:
            with self.db.write() as w:
                for type_, record_id in changes.due_hidden(w.conn, patient_id, now):
                    changes.reveal(w, type_, record_id, now)

    def purge(self) -> int:
        """Drop tombstones past retention; cursors older than them will get `reset: true`."""
        now = self.settings.clock()
        with self.db.write() as w:
            top = changes.purge_tombstones(w, now - self.settings.tombstone_retention)
            if top:
                current = int(changes.get_meta(w.conn, "purged_through"))
                changes.set_meta(w, "purged_through", str(max(current, top)))
                family_repo.forget_purged(w)
        return top
