"""Sign-in, enrolment codes, rotating refresh tokens with reuse detection and a grace window, bearer
authentication, device keys and device-signed requests."""

from __future__ import annotations

import logging
import math
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import BadRequest, Conflict, RateLimited, Unauthorized
from clinic.repository import accounts as repo
from clinic.repository import audit as audit_repo
from clinic.roles import Role
from clinic.schemas import TokenResponse
from clinic.security import (
    Passwords,
    alert_message,
    code_digest,
    device_key_bytes,
    digest,
    new_token,
    signature_valid,
    successor_tokens,
)

log = logging.getLogger("clinic.auth")

REALM = 'Bearer realm="waypoint"'
SIGNED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", re.ASCII)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: resolved from the bearer token on every request."""

    account_id: str
    role: Role
    clinic_id: str
    device_id: str
    display_name: str
    is_admin: bool = False


def unauthorized(code: str, title: str, detail: str, *, bad_token: bool = True) -> Unauthorized:
    """A 401 with its RFC 6750 challenge: error="invalid_token" when a presented token failed."""
    challenge = f'{REALM}, error="invalid_token", error_description="{title}"' if bad_token else REALM
    return Unauthorized(code, title, detail, headers={"WWW-Authenticate": challenge})


def _invalid_credentials() -> Unauthorized:
    return unauthorized(
        "auth.invalid_credentials",
        "Wrong username or password",
        "Wrong username or password.",
        bad_token=False,
    )


def _revoked() -> Unauthorized:
    return unauthorized(
        "auth.device_revoked", "Device signed out", "This device was signed out. Sign in again."
    )


@dataclass(slots=True)
class _Failures:
    count: int
    last: datetime
    blocked_until: datetime | None = None


class SignInThrottle:
    """Failed sign-ins per (username, client address), per server process.

    The first `signin_failures - 1` failures cost nothing; from then on each failure makes that
    pair wait, twice as long each time (2 s, 4 s, 8 s, … up to `signin_max_delay`). A stranger
    guessing from elsewhere slows only themselves: the patient's own address is another key.
    Successful sign-in clears the pair; idle pairs are forgotten after `signin_window`.
    """

    MAX_KEYS = 100_000  # bounded memory under a flood of distinct usernames or addresses

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, key: tuple[str, str]) -> None:
        """Before checking a password: 429 while the pair waits; else the attempt counts as failed
        now (a burst of parallel guesses gets no more free tries), cleared by succeeded()."""
        s = self._settings
        now = s.clock()
        with self._lock:
            entry = self._current(key, now)
            if entry is not None and entry.blocked_until is not None and now < entry.blocked_until:
                wait = (entry.blocked_until - now).total_seconds()
                raise RateLimited(max(1, math.ceil(wait)))
            entry = entry or _Failures(0, now)
            entry.count += 1
            entry.last = now
            if entry.count >= s.signin_failures:
                factor = 2 ** min(entry.count - s.signin_failures, 20)
                entry.blocked_until = now + min(s.signin_max_delay, s.signin_first_delay * factor)
            self._failures[key] = entry
            self._failures.move_to_end(key)
            while len(self._failures) > self.MAX_KEYS:
                self._failures.popitem(last=False)

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _current(self, key: tuple[str, str], now: datetime) -> _Failures | None:
        entry = self._failures.get(key)
        if entry is None:
            return None
        blocked = entry.blocked_until is not None and now < entry.blocked_until
        if not blocked and now - entry.last > self._settings.signin_window:
            del self._failures[key]
            return None
        return entry


class AuthService:
    def __init__(self, db: Database, settings: Settings, passwords: Passwords) -> None:
        self.db = db
        self.settings = settings
        self.passwords = passwords
        self.limiter = SignInThrottle(settings)

    def sign_in(
        self, username: str, password: str, device_name: str, client: str = "", device_key: str | None = None
    ) -> TokenResponse:
        name = username.strip().lower()
        key = (name, client)
        try:
            self.limiter.begin(key)
        except RateLimited:
            log.info("sign-in throttled")
            raise
        with self.db.read() as conn:
            account = repo.account_by_username(conn, name)
        if account is None or not self.passwords.verify(account.password_hash, password):
            log.info("sign-in failed")
            if account is not None:
                with self.db.write() as w:
                    audit_repo.record(
                        w,
                        clinic_id=account.clinic_id,
                        actor_id=None,
                        actor_role="anonymous",
                        patient_id=account.id if account.role == "patient" else None,
                        action="auth.sign_in.failed",
                        at=self.settings.clock(),
                    )
            raise _invalid_credentials()
        self.limiter.succeeded(key)
        with self.db.write() as w:
            return self.issue(w, account, device_name, device_key=device_key)

    def enrol(self, code: str, device_name: str, device_key: str | None = None) -> TokenResponse:
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
            return self.issue(w, account, device_name, device_key=device_key)

    def refresh(self, refresh_token: str) -> TokenResponse:
        """Rotate. The successor pair is derived from the presented token (security.successor_tokens),
        so the same token replayed within `refresh_grace` — a client whose reply was lost — gets
        the same pair again. A replay after the window, or after the successor was itself rotated
        (the client demonstrably got it, so someone else holds the old token), revokes the device.
        """
        now = self.settings.clock()
        token_hash = digest(refresh_token)
        pair = successor_tokens(refresh_token)
        with self.db.write() as w:
            row = repo.token(w.conn, token_hash)
            if row is None or row.kind != "refresh":
                raise unauthorized("auth.token_invalid", "Invalid token", "This refresh token is not valid.")
            if row.revoked_at is not None:
                raise _revoked()
            if row.expires_at <= now:
                raise unauthorized("auth.token_expired", "Session expired", "Sign in again.")
            account = repo.account(w.conn, row.account_id)
            assert account is not None
            if repo.mark_token_used(w, token_hash, now):
                return self.issue(w, account, None, device_id=row.device_id, pair=pair)
            replay = self._grace_replay(w, row, account, pair, now)
            if replay is not None:
                log.info("refresh replayed within the grace window; device=%s", row.device_id)
                return replay
            # A rotated token came back: someone else may hold it. Sign the device out.
            repo.revoke_device(w, row.device_id, now)
        log.warning("refresh token reuse; device=%s revoked", row.device_id)
        raise _revoked()

    def _grace_replay(
        self, w: Writer, row: Any, account: Any, pair: tuple[str, str], now: datetime
    ) -> TokenResponse | None:
        if row.used_at is None or now - row.used_at > self.settings.refresh_grace:
            return None
        access, refresh = pair
        successor = repo.token(w.conn, digest(refresh))
        if successor is None or successor.device_id != row.device_id or successor.used_at is not None:
            return None
        issued = repo.token(w.conn, digest(access))
        remaining = 0 if issued is None else max(0, math.ceil((issued.expires_at - now).total_seconds()))
        return self._answer(account, access, refresh, remaining, row.device_id)

    def logout(self, principal: Principal) -> None:
        with self.db.write() as w:
            repo.revoke_device(w, principal.device_id, self.settings.clock())

    def authenticate(self, bearer: str | None) -> Principal:
        if not bearer:
            raise unauthorized(
                "auth.token_missing",
                "Sign-in required",
                "This request needs a bearer token.",
                bad_token=False,
            )
        with self.db.read() as conn:
            row = repo.token(conn, digest(bearer))
        return self._principal(row, self.settings.clock())

    def lapses(self, bearers: Iterable[str]) -> dict[str, Unauthorized | None]:
        """Each bearer's 401 if `authenticate` would refuse it now, else None — one query for all.

        The stream watcher re-checks every open stream's credential this way once per tick.
        """
        with self.db.read() as conn:
            return self.lapses_in(conn, bearers)

    def lapses_in(self, conn: Connection, bearers: Iterable[str]) -> dict[str, Unauthorized | None]:
        """`lapses`, read on `conn` (the stream watcher reads everything of a tick in one snapshot)."""
        by_hash = {digest(b): b for b in bearers if b}
        rows = repo.tokens_by_hash(conn, list(by_hash))
        now = self.settings.clock()
        verdicts: dict[str, Unauthorized | None] = {}
        for token_hash, bearer in by_hash.items():
            try:
                self._principal(rows.get(token_hash), now)
                verdicts[bearer] = None
            except Unauthorized as lapse:
                verdicts[bearer] = lapse
        return verdicts

    @staticmethod
    def _principal(row: Any, now: datetime) -> Principal:
        if row is None or row.kind != "access":
            raise unauthorized("auth.token_invalid", "Invalid token", "This access token is not valid.")
        if row.revoked_at is not None:
            raise _revoked()
        if row.expires_at <= now:
            raise unauthorized("auth.token_expired", "Token expired", "The access token expired; refresh it.")
        return Principal(
            account_id=row.account_id,
            role=row.role,
            clinic_id=row.clinic_id,
            device_id=row.device_id,
            display_name=row.display_name,
            is_admin=bool(row.is_admin),
        )

    # -- device keys ----------------------------------------------------------------------------

    def register_key(self, who: Principal, device_key: str) -> None:
        """PUT /v1/devices/current/key (a patient's device): once per device; the same key again is fine."""
        if device_key_bytes(device_key) is None:
            raise BadRequest("request.invalid", "Invalid device key", "The device key is not valid.")
        now = self.settings.clock()
        with self.db.write() as w:
            if not repo.set_device_key(w, who.device_id, device_key):
                device = repo.device(w.conn, who.device_id)
                if device is None or device.public_key != device_key:
                    raise Conflict(
                        "device.key_exists",
                        "Device key already registered",
                        "This device already has another key. Sign in again to register a new one.",
                    )
                return
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role=who.role,
                patient_id=who.account_id,
                action="device.key.register",
                at=now,
            )

    def device_signer(
        self,
        device_id: str | None,
        request_id: str,
        signed_at: str | None,
        signature: str | None,
        body: bytes,
        lapse: Unauthorized,
    ) -> tuple[Principal, str]:
        """(the patient, their session state) for a request signed by a patient's registered device key.

        Used only when the bearer failed with `lapse`, which is raised again unless the signature
        verifies; a verified signature made too far from now is auth.signature_invalid.
        Session state: "revoked" if the device was signed out, else "expired".
        """
        if not device_id or not signed_at or not signature or len(device_id) > 64 or len(signature) > 128:
            raise lapse
        if not SIGNED_AT.fullmatch(signed_at):
            raise lapse
        try:
            when = datetime.strptime(signed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            raise lapse from None
        with self.db.read() as conn:
            device = repo.device_owner(conn, device_id)
        if device is None or device.role != "patient" or device.public_key is None:
            raise lapse
        if not signature_valid(
            device.public_key, signature, alert_message(device_id, request_id, signed_at, body)
        ):
            raise lapse
        if abs(self.settings.clock() - when) > self.settings.signature_window:
            raise unauthorized(
                "auth.signature_invalid",
                "Signature out of date",
                "The request's signature time is too far from the clinic's clock.",
            )
        principal = Principal(
            account_id=device.account_id,
            role="patient",
            clinic_id=device.clinic_id,
            device_id=device.id,
            display_name=device.display_name,
        )
        return principal, "revoked" if device.revoked_at is not None else "expired"

    # -- tokens ---------------------------------------------------------------------------------

    def issue(
        self,
        w: Writer,
        account: Any,
        device_name: str | None,
        device_id: str | None = None,
        *,
        device_key: str | None = None,
        pair: tuple[str, str] | None = None,
    ) -> TokenResponse:
        now = self.settings.clock()
        if device_id is None:
            if device_key is not None and device_key_bytes(device_key) is None:
                raise BadRequest("request.invalid", "Invalid device key", "The device key is not valid.")
            device_id = str(uuid.uuid4())
            repo.insert_device(
                w,
                id=device_id,
                account_id=account.id,
                name=device_name or "device",
                created_at=now,
                public_key=device_key,
            )
        repo.delete_expired_tokens(w, now)
        access, refresh = pair or (new_token(), new_token())
        ttl = self.settings.access_ttl
        repo.insert_token(w, hash=digest(access), device_id=device_id, kind="access", expires_at=now + ttl)
        repo.insert_token(
            w,
            hash=digest(refresh),
            device_id=device_id,
            kind="refresh",
            expires_at=now + self.settings.refresh_ttl,
        )
        return self._answer(account, access, refresh, int(ttl.total_seconds()), device_id)

    @staticmethod
    def _answer(account: Any, access: str, refresh: str, expires_in: int, device_id: str) -> TokenResponse:
        return TokenResponse(
            access_token=access,
            refresh_token=refresh,
            token_type="bearer",  # noqa: S106 - the OAuth token type, not a secret
            expires_in=expires_in,
            role=account.role,
            account_id=account.id,
            display_name=account.display_name,
            device_id=device_id,
        )
