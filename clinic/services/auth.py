"""Sign-in, enrolment codes, rotating refresh tokens with reuse detection, bearer authentication."""

from __future__ import annotations

import logging
import math
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import BadRequest, RateLimited, Unauthorized
from clinic.repository import accounts as repo
from clinic.security import Passwords, code_digest, digest, new_token

log = logging.getLogger("clinic.auth")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: resolved from the bearer token on every request."""

    account_id: str
    role: str  # patient | family | staff
    clinic_id: str
    device_id: str
    display_name: str
    is_admin: bool = False


def _invalid_credentials() -> Unauthorized:
    return Unauthorized(
        "auth.invalid_credentials", "Wrong username or password", "Wrong username or password."
    )


def _revoked() -> Unauthorized:
    return Unauthorized(
        "auth.device_revoked", "Device signed out", "This device was signed out. Sign in again."
    )


class SignInLimiter:
    """Failed sign-ins per username in a sliding window (per server process)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = self._settings.clock()
        with self._lock:
            window = self._trim(key, now)
            if len(window) >= self._settings.signin_failures:
                wait = (window[0] + self._settings.signin_window - now).total_seconds()
                raise RateLimited(max(1, math.ceil(wait)))

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, deque()).append(self._settings.clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _trim(self, key: str, now: datetime) -> deque[datetime]:
        window = self._failures.get(key, deque())
        while window and window[0] <= now - self._settings.signin_window:
            window.popleft()
        return window


class AuthService:
    def __init__(self, db: Database, settings: Settings, passwords: Passwords) -> None:
        self.db = db
        self.settings = settings
        self.passwords = passwords
        self.limiter = SignInLimiter(settings)

    def sign_in(self, username: str, password: str, device_name: str) -> dict[str, Any]:
        key = username.strip().lower()
        self.limiter.check(key)
        with self.db.read() as conn:
            account = repo.account_by_username(conn, key)
        if account is None or not self.passwords.verify(account.password_hash, password):
            self.limiter.failed(key)
            log.info("sign-in failed")
            raise _invalid_credentials()
        self.limiter.succeeded(key)
        with self.db.write() as w:
            return self.issue(w, account, device_name)

    def enrol(self, code: str, device_name: str) -> dict[str, Any]:
        now = self.settings.clock()
        code_hash = code_digest(code)
        with self.db.write() as w:
            row = repo.code(w.conn, code_hash)
            if row is None:
                raise BadRequest(
                    "auth.code_invalid", "Unknown code", "This code is not valid. Check it and try again."
                )
            if row.used_at is not None:
                raise BadRequest("auth.code_used", "Code already used", "This code was already used.")
            if row.expires_at <= now:
                raise BadRequest(
                    "auth.code_expired",
                    "Enrolment code expired",
                    "This enrolment code has expired. Ask your clinic for a new one.",
                )
            repo.use_code(w, code_hash, now)
            account = repo.account(w.conn, row.patient_id)
            assert account is not None
            log.info("enrolled account=%s", account.id)
            return self.issue(w, account, device_name)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        now = self.settings.clock()
        token_hash = digest(refresh_token)
        reused = False
        with self.db.write() as w:
            row = repo.token(w.conn, token_hash)
            if row is None or row.kind != "refresh":
                raise Unauthorized("auth.token_invalid", "Invalid token", "This refresh token is not valid.")
            if row.revoked_at is not None:
                raise _revoked()
            if row.expires_at <= now:
                raise Unauthorized("auth.token_expired", "Session expired", "Sign in again.")
            if not repo.mark_token_used(w, token_hash, now):
                # A rotated token came back: someone else may hold it. Sign the device out.
                repo.revoke_device(w, row.device_id, now)
                reused = True
            else:
                account = repo.account(w.conn, row.account_id)
                assert account is not None
                return self.issue(w, account, None, device_id=row.device_id)
        if reused:
            log.warning("refresh token reuse; device=%s revoked", row.device_id)
        raise _revoked()

    def logout(self, principal: Principal) -> None:
        with self.db.write() as w:
            repo.revoke_device(w, principal.device_id, self.settings.clock())

    def authenticate(self, bearer: str | None) -> Principal:
        if not bearer:
            raise Unauthorized("auth.token_missing", "Sign-in required", "This request needs a bearer token.")
        with self.db.read() as conn:
            row = repo.token(conn, digest(bearer))
        if row is None or row.kind != "access":
            raise Unauthorized("auth.token_invalid", "Invalid token", "This access token is not valid.")
        if row.revoked_at is not None:
            raise _revoked()
        if row.expires_at <= self.settings.clock():
            raise Unauthorized("auth.token_expired", "Token expired", "The access token expired; refresh it.")
        return Principal(
            account_id=row.account_id,
            role=row.role,
            clinic_id=row.clinic_id,
            device_id=row.device_id,
            display_name=row.display_name,
            is_admin=bool(row.is_admin),
        )

    def issue(
        self, w: Writer, account: Any, device_name: str | None, device_id: str | None = None
    ) -> dict[str, Any]:
        now = self.settings.clock()
        if device_id is None:
            device_id = str(uuid.uuid4())
            repo.insert_device(
                w, id=device_id, account_id=account.id, name=device_name or "device", created_at=now
            )
        repo.delete_expired_tokens(w, now)
        access, refresh = new_token(), new_token()
        ttl = self.settings.access_ttl
        repo.insert_token(w, hash=digest(access), device_id=device_id, kind="access", expires_at=now + ttl)
        repo.insert_token(
            w,
            hash=digest(refresh),
            device_id=device_id,
            kind="refresh",
            expires_at=now + self.settings.refresh_ttl,
        )
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": int(ttl.total_seconds()),
            "role": account.role,
            "account_id": account.id,
            "display_name": account.display_name,
        }
