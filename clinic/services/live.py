"""Live updates for a patient's or family member's device: the position of what it may see.

`GET /v1/stream` (routers/live.py) tells an open app that its data changed, never what changed:
the event carries only a position, and the device pulls through `/v1/sync` as always. The
position is computed per caller from what that caller's sync would send, so a family device is
woken only by changes its shares disclose (or withdraw from it), never by the patient's other
records, and a patient only by their own.
"""

from __future__ import annotations

from clinic.config import Settings
from clinic.database import Database
from clinic.repository import accounts as accounts_repo
from clinic.repository import changes
from clinic.repository import family as family_repo
from clinic.repository import shares as shares_repo
from clinic.services.auth import Principal
from clinic.services.family import FamilySync, _ended
from clinic.services.sharing import expire_due


class LiveService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._family = FamilySync(db, settings)

    def check_open(self, who: Principal) -> None:
        """A family member whose shares all ended gets the 403 their sync would get."""
        if who.role != "family":
            return
        expire_due(self.db, self.settings.clock(), family_id=who.account_id)
        with self.db.read() as conn:
            shares = shares_repo.family_shares(conn, who.account_id)
        ended = [s for s in shares if s.status in ("revoked", "expired")]
        if ended and not any(s.status == "active" for s in shares):
            raise _ended(max(ended, key=lambda s: s.revoked_at or s.expires_at).status)

    def position(self, who: Principal, after: int) -> int:
        """The newest version this caller may see, or `after` when nothing newer is theirs."""
        now = self.settings.clock()
        if who.role != "family":
            with self.db.read() as conn:
                scope = changes.patient_scope(who.account_id, who.clinic_id)
                return max(after, changes.newest_in(conn, scope, now))
        expire_due(self.db, now, family_id=who.account_id)  # an expiry is a change it must hear of
        with self.db.read() as conn:
            tz = accounts_repo.clinic_zone(conn, who.clinic_id)
            newest = after
            for share in shares_repo.family_shares(conn, who.account_id):
                shown, hidden = self._family._share_entries(conn, share, after, after == 0, tz)
                newest = max([newest, *(e[0] for e in shown if e[0] > after)])
                withdrawn = {e[2].id: e[0] for e in hidden if e[0] > after}
                if withdrawn:  # a tombstone is news only for an item this member was sent
                    sent = family_repo.disclosed(conn, who.account_id, "schedule_item", withdrawn)
                    newest = max([newest, *(v for i, v in withdrawn.items() if i in sent)])
        return newest
