"""Sharing as a consent: a patient invites one recipient, for a scope, purpose and expiry; revocable."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import BadRequest, NotFound
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import shares as repo
from clinic.schemas import AnyChange, FamilySignup, ShareChange, ShareCreated, ShareRequest, TokenResponse
from clinic.security import code_digest, new_code
from clinic.services import render
from clinic.services.auth import AuthService, Principal

SCOPES = ("times", "details", "family_sessions")


def share_in_scope(scope: str, kind: str) -> bool:
    if kind == "drug_test":
        return False
    return scope != "family_sessions" or kind == "family_session"


def expire_due(
    db: Database, now: datetime, *, family_id: str | None = None, patient_id: str | None = None
) -> None:
    """Mark active shares past their expiry as expired, with a fresh version (→ tombstones)."""
    with db.read() as conn:  # most requests find none: no write transaction for them
        if not repo.due_to_expire(conn, now, family_id=family_id, patient_id=patient_id):
            return
    with db.write() as w:
        for row in repo.due_to_expire(w.conn, now, family_id=family_id, patient_id=patient_id):
            _end(w, row, "expired", now)


def _end(w: Writer, row: Any, status: str, now: datetime) -> None:
    repo.update_share(
        w, row.id, status=status, revoked_at=now if status == "revoked" else None, invitation_hash=None
    )
    patient = accounts_repo.patient(w.conn, row.patient_id)
    assert patient is not None
    # The patient's own view loses the share; the family member's sync reads the ended status.
    changes.touch(
        w, "share", row.id, clinic_id=patient.clinic_id, patient_id=row.patient_id, now=now, deleted=True
    )


def end_shares(w: Writer, patient_id: str, now: datetime) -> None:
    """Revoke every pending or active share of a patient (discharge)."""
    for row in repo.patient_shares(w.conn, patient_id):
        if row.status in ("pending", "active"):
            _end(w, row, "revoked", now)


class SharingService:
    def __init__(self, db: Database, settings: Settings, auth: AuthService) -> None:
        self.db = db
        self.settings = settings
        self.auth = auth

    def create(self, who: Principal, body: ShareRequest) -> ShareCreated:
        now = self.settings.clock()
        expires_at = body.expires_at
        if expires_at <= now:
            raise BadRequest("share.expiry_past", "Expiry in the past", "The share must end in the future.")
        if expires_at > now + timedelta(days=366):
            raise BadRequest("share.expiry_too_far", "Expiry too far", "A share may last at most one year.")
        code = new_code()
        share_id = str(uuid.uuid4())
        invitation_expires_at = min(now + self.settings.invitation_ttl, expires_at)
        with self.db.write() as w:
            repo.insert_share(
                w,
                id=share_id,
                patient_id=who.account_id,
                recipient_name=body.recipient_name,
                relationship=body.relationship,
                scope=body.scope,
                purpose=body.purpose,
                expires_at=expires_at,
                status="pending",
                invitation_hash=code_digest(code),
                invitation_expires_at=invitation_expires_at,
                created_at=now,
            )
            version = changes.touch(
                w, "share", share_id, clinic_id=who.clinic_id, patient_id=who.account_id, now=now
            )
            self._audit(w, who, who.account_id, "share.create", now)
            row = repo.share(w.conn, share_id)
            tz = self._tz(w.conn, who.clinic_id)
        return ShareCreated(
            share=ShareChange(
                type="share", id=share_id, version=version, deleted=False, data=render.share(row, tz)
            ),
            invitation_code=code,
            invitation_expires_at=render.at(invitation_expires_at, tz),
        )

    def list_shares(self, who: Principal) -> list[AnyChange]:
        now = self.settings.clock()
        expire_due(self.db, now, patient_id=who.account_id)
        with self.db.read() as conn:
            tz = self._tz(conn, who.clinic_id)
            out = []
            for row in repo.patient_shares(conn, who.account_id):
                version = changes.version_of(conn, "share", row.id) or 0
                if row.status in ("pending", "active"):
                    out.append(render.change("share", row.id, version, render.share(row, tz)))
        return out

    def revoke(self, who: Principal, share_id: str) -> None:
        now = self.settings.clock()
        with self.db.write() as w:
            row = repo.share(w.conn, share_id)
            if row is None or row.patient_id != who.account_id:
                raise NotFound()
            if row.status in ("pending", "active"):
                _end(w, row, "revoked", now)
                self._audit(w, who, who.account_id, "share.revoke", now)

    def accept(self, who: Principal, invitation_code: str) -> AnyChange:
        with self.db.write() as w:
            return self._accept(w, who.account_id, who.clinic_id, invitation_code)

    def signup(self, body: FamilySignup) -> TokenResponse:
        """Create a family account and accept the invitation, in one transaction."""
        now = self.settings.clock()
        username = body.username.strip().lower()
        password_hash = self.auth.passwords.hash(body.password)
        with self.db.write() as w:
            share = self._pending(w, body.invitation_code)
            patient = accounts_repo.patient(w.conn, share.patient_id)
            assert patient is not None
            if accounts_repo.account_by_username(w.conn, username) is not None:
                raise BadRequest("auth.username_taken", "Username taken", "Choose another username.")
            account_id = str(uuid.uuid4())
            accounts_repo.insert_account(
                w,
                id=account_id,
                clinic_id=patient.clinic_id,
                role="family",
                username=username,
                password_hash=password_hash,
                display_name=body.display_name,
                is_admin=False,
                created_at=now,
            )
            self._accept(w, account_id, patient.clinic_id, body.invitation_code)
            account = accounts_repo.account(w.conn, account_id)
            return self.auth.issue(w, account, body.device_name)

    def _pending(self, w: Writer, code: str) -> Any:
        row = repo.by_invitation(w.conn, code_digest(code))
        if row is None:
            raise BadRequest("auth.code_invalid", "Unknown code", "This invitation code is not valid.")
        if row.status == "active":
            raise BadRequest("auth.code_used", "Code already used", "This invitation was already used.")
        now = self.settings.clock()
        if row.status != "pending" or row.invitation_expires_at <= now or row.expires_at <= now:
            raise BadRequest("auth.code_expired", "Invitation expired", "This invitation has expired.")
        return row

    def _accept(self, w: Writer, family_id: str, clinic_id: str, code: str) -> AnyChange:
        now = self.settings.clock()
        share = self._pending(w, code)
        patient = accounts_repo.patient(w.conn, share.patient_id)
        assert patient is not None
        if patient.clinic_id != clinic_id:
            raise BadRequest("auth.code_invalid", "Unknown code", "This invitation code is not valid.")
        # The newest consent from the same patient to the same person replaces the earlier one.
        for old in repo.family_shares(w.conn, family_id):
            if old.patient_id == share.patient_id and old.status == "active":
                _end(w, old, "revoked", now)
        repo.accept(w, share.id, family_id, now)
        version = changes.touch(
            w, "share", share.id, clinic_id=clinic_id, patient_id=share.patient_id, now=now
        )
        audit_repo.record(
            w,
            clinic_id=clinic_id,
            actor_id=family_id,
            actor_role="family",
            patient_id=share.patient_id,
            action="share.accept",
            at=now,
        )
        row = repo.share(w.conn, share.id)
        tz = self._tz(w.conn, clinic_id)
        return render.change(
            "shared_patient", share.id, version, render.shared_patient(row, patient.display_name, tz)
        )

    def _audit(self, w: Writer, who: Principal, patient_id: str, action: str, now: datetime) -> None:
        audit_repo.record(
            w,
            clinic_id=who.clinic_id,
            actor_id=who.account_id,
            actor_role=who.role,
            patient_id=patient_id,
            action=action,
            at=now,
        )

    @staticmethod
    def _tz(conn: Any, clinic_id: str) -> ZoneInfo:
        return accounts_repo.clinic_zone(conn, clinic_id)
