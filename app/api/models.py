"""Typed requests and responses of the Clinic Sync API v1 (docs/api.md), parsed strictly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from app.api.errors import ResponseFormatError
from app.api.mutations import MutationPayload
from app.api.records import Record, parse_record
from app.domain.calendar import CalendarDownload, CalendarFeed, FeedAlarm, FeedOptions, FeedTitles
from app.domain.model import JSON, MutationType, ShareScope

Role = Literal["patient", "family", "staff"]
MutationStatus = Literal["applied", "duplicate", "conflict", "rejected"]


def _obj(value: object, what: str) -> JSON:
    if not isinstance(value, dict):
        raise ResponseFormatError(f"{what}: expected an object")
    return value


def _str(raw: JSON, key: str, what: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise ResponseFormatError(f"{what}: `{key}` must be a string")
    return value


def _int(raw: JSON, key: str, what: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ResponseFormatError(f"{what}: `{key}` must be an integer")
    return value


def _aware(text: str, what: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ResponseFormatError(f"{what}: not an ISO 8601 time") from exc
    return value if value.tzinfo is not None else None


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str
    device_id: str | None = None  # the clinic's id of this device (older clinics do not send it)


@dataclass(frozen=True, slots=True)
class TokenResponse:
    access_token: str
    refresh_token: str
    expires_in: int
    role: Role
    account_id: str
    display_name: str
    token_type: str = "bearer"  # noqa: S105 - the scheme name, not a secret
    device_id: str | None = None

    @property
    def tokens(self) -> Tokens:
        return Tokens(self.access_token, self.refresh_token, self.device_id)

    @classmethod
    def parse(cls, value: object) -> TokenResponse:
        raw = _obj(value, "token response")
        role = _str(raw, "role", "token response")
        if role not in ("patient", "family", "staff"):
            raise ResponseFormatError("token response: unknown role")
        device_id = raw.get("device_id")
        if device_id is not None and (not isinstance(device_id, str) or not device_id):
            raise ResponseFormatError("token response: `device_id` must be a string")
        return cls(
            access_token=_str(raw, "access_token", "token response"),
            refresh_token=_str(raw, "refresh_token", "token response"),
            expires_in=_int(raw, "expires_in", "token response"),
            role=role,  # type: ignore[arg-type]
            account_id=_str(raw, "account_id", "token response"),
            display_name=_str(raw, "display_name", "token response"),
            token_type=str(raw.get("token_type", "bearer")),
            device_id=device_id,
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One record upsert or tombstone, as in a sync page or a mutation result; `data` is typed.

    `wire` is the record's object exactly as received (checked by the same parse): what the store
    seals, so fields a newer clinic adds survive until an app that knows them reads them.
    """

    type: str
    id: str
    version: int
    deleted: bool
    data: Record | None
    wire: JSON | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, value: object) -> Change:
        raw = _obj(value, "change")
        data = raw.get("data")
        deleted = raw.get("deleted", False)
        if not isinstance(deleted, bool) or not (data is None or isinstance(data, dict)):
            raise ResponseFormatError("change: bad `deleted` or `data`")
        if not deleted and data is None:
            raise ResponseFormatError("change: an upsert needs `data`")
        type_ = _str(raw, "type", "change")
        record = None if data is None else parse_record(type_, data)
        return cls(type_, _str(raw, "id", "change"), _int(raw, "version", "change"), deleted, record, data)


@dataclass(frozen=True, slots=True)
class SyncPage:
    changes: tuple[Change, ...]
    cursor: str
    has_more: bool
    reset: bool

    @classmethod
    def parse(cls, value: object) -> SyncPage:
        raw = _obj(value, "sync page")
        changes = raw.get("changes")
        if not isinstance(changes, list):
            raise ResponseFormatError("sync page: `changes` must be a list")
        has_more, reset = raw.get("has_more"), raw.get("reset", False)
        if not isinstance(has_more, bool) or not isinstance(reset, bool):
            raise ResponseFormatError("sync page: bad `has_more` or `reset`")
        return cls(tuple(Change.parse(c) for c in changes), _str(raw, "cursor", "sync page"), has_more, reset)


@dataclass(frozen=True, slots=True)
class Mutation:
    """One local change to push; `id` is the client-generated idempotency key."""

    id: str
    payload: MutationPayload
    base_version: int | None = None

    @property
    def type(self) -> MutationType:
        return self.payload.TYPE

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "type": self.type.value,
            "base_version": self.base_version,
            "payload": self.payload.to_json(),
        }


@dataclass(frozen=True, slots=True)
class MutationResult:
    id: str
    status: MutationStatus
    change: Change | None = None
    code: str | None = None
    reason: str | None = None

    @classmethod
    def parse(cls, value: object) -> MutationResult:
        raw = _obj(value, "mutation result")
        status = _str(raw, "status", "mutation result")
        if status not in ("applied", "duplicate", "conflict", "rejected"):
            raise ResponseFormatError("mutation result: unknown status")
        change = raw.get("change")
        code, reason = raw.get("code"), raw.get("reason")
        return cls(
            id=_str(raw, "id", "mutation result"),
            status=status,  # type: ignore[arg-type]
            change=None if change is None else Change.parse(change),
            code=code if isinstance(code, str) else None,
            reason=reason if isinstance(reason, str) else None,
        )


@dataclass(frozen=True, slots=True)
class ShareRequest:
    recipient_name: str
    relationship: str
    scope: ShareScope
    purpose: str
    expires_at: datetime  # aware

    def to_json(self) -> JSON:
        return {
            "recipient_name": self.recipient_name,
            "relationship": self.relationship,
            "scope": self.scope.value,
            "purpose": self.purpose,
            "expires_at": self.expires_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ShareCreated:
    share: Change
    invitation_code: str
    invitation_expires_at: datetime | None  # a naive time is not trusted

    @classmethod
    def parse(cls, value: object) -> ShareCreated:
        raw = _obj(value, "share created")
        return cls(
            Change.parse(raw.get("share")),
            _str(raw, "invitation_code", "share created"),
            _aware(_str(raw, "invitation_expires_at", "share created"), "share created"),
        )


@dataclass(frozen=True, slots=True)
class FamilySignup:
    invitation_code: str
    username: str
    password: str
    display_name: str
    device_name: str

    def to_json(self) -> JSON:
        return {
            "invitation_code": self.invitation_code,
            "username": self.username,
            "password": self.password,
            "display_name": self.display_name,
            "device_name": self.device_name,
        }


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One event of the live stream (`GET /v1/stream`): it says only that something changed.

    `kind`: "open" (the stream is up), "changed" (pull now; `id` is the position to resume
    from), "auth_lapsed" (the credential ended; `code` is the problem's, e.g. auth.token_expired).
    """

    kind: str
    id: str | None = None
    code: str | None = None


# -- calendar feeds (docs/api.md, "Calendar feeds"): managed online, never through the outbox ------


@dataclass(frozen=True, slots=True)
class CalendarFeedRequest:
    """POST /v1/calendar-feeds and /v1/calendar-feeds/download; `share_id` only for family accounts."""

    options: FeedOptions
    share_id: str | None = None

    def to_json(self) -> JSON:
        o = self.options
        return {
            "titles": o.titles.value,
            "neutral_title": o.neutral_title,
            "lang": o.lang,
            "alarm": o.alarm.value,
            "share_id": self.share_id,
        }


def _optional_str(raw: JSON, key: str, what: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ResponseFormatError(f"{what}: `{key}` must be a string or null")
    return value


def parse_calendar_feed(value: object, *, url: str | None = None) -> CalendarFeed:
    """One CalendarFeed (or CalendarFeedCreated: its `url` is read by the caller)."""
    what = "calendar feed"
    raw = _obj(value, what)
    try:
        titles, alarm = FeedTitles(_str(raw, "titles", what)), FeedAlarm(_str(raw, "alarm", what))
    except ValueError as exc:
        raise ResponseFormatError(f"{what}: unknown `titles` or `alarm`") from exc
    created = _aware(_str(raw, "created_at", what), what)
    if created is None:
        raise ResponseFormatError(f"{what}: `created_at` has no timezone")
    read = _optional_str(raw, "last_read_at", what)
    options = FeedOptions(titles, _optional_str(raw, "neutral_title", what), _str(raw, "lang", what), alarm)
    return CalendarFeed(
        id=_str(raw, "id", what),
        created_at=created,
        options=options,
        share_id=_optional_str(raw, "share_id", what),
        patient_display_name=_optional_str(raw, "patient_display_name", what),
        last_read_at=None if read is None else _aware(read, what),
        url=url,
    )


def parse_calendar_feed_created(value: object) -> CalendarFeed:
    raw = _obj(value, "calendar feed created")
    return parse_calendar_feed(raw, url=_str(raw, "url", "calendar feed created"))


def parse_calendar_download(value: object) -> CalendarDownload:
    what = "calendar download"
    raw = _obj(value, what)
    expires = _aware(_str(raw, "expires_at", what), what)
    if expires is None:
        raise ResponseFormatError(f"{what}: `expires_at` has no timezone")
    return CalendarDownload(_str(raw, "url", what), expires)
