"""Private calendar feeds: a patient's own schedule, or the part a live share shows a family member.

The URL's token (`secrets.token_urlsafe(32)`, 256 bits) is the credential; the clinic keeps only
its SHA-256 and compares digests in constant time, so neither the table nor a timing difference
gives a token away. A feed belongs to its account, not to a device: it ends on DELETE, on the
patient's discharge, and (family) when its share ends, expires or is revoked — the next read then
answers 410. Every read is audited (`feed.read`), never with the token. Download links are the same
rows with kind "download": one use, five minutes, the next four weeks as an attachment.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import BadRequest, Conflict, Forbidden, Gone, NotFound
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import feeds as repo
from clinic.repository import shares as shares_repo
from clinic.schemas import (
    CalendarDownload,
    CalendarFeed,
    CalendarFeedCreated,
    CalendarFeedRequest,
    CalendarFeedUpdate,
)
from clinic.security import digest, new_token
from clinic.services import ical, render
from clinic.services.auth import Principal
from clinic.services.sharing import share_in_scope

BACK = timedelta(weeks=4)
AHEAD = timedelta(weeks=12)
DOWNLOAD_AHEAD = timedelta(weeks=4)
DOWNLOAD_TTL = timedelta(minutes=5)
MAX_FEEDS = 20  # live feeds per account: more is a client bug, not a need


@dataclass(frozen=True, slots=True)
class FeedBody:
    body: bytes
    etag: str
    download: bool


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/v1/calendar/{token}.ics"


def _ended(status: str | None, expires_at: datetime | None, now: datetime) -> Forbidden | None:
    if status == "active" and expires_at is not None and expires_at > now:
        return None
    if status == "expired" or (status == "active" and expires_at is not None):
        return Forbidden("share.expired", "Sharing ended", "This share has expired.")
    return Forbidden("share.revoked", "Sharing ended", "The patient stopped sharing with you.")


def _gone(row: Any, now: datetime) -> Gone | None:
    """Why a feed (or link) no longer serves, or None while it lives."""
    if row.revoked_at is not None:
        return Gone("feed.revoked", "Calendar link turned off", "This calendar link was turned off.")
    if row.discharged_at is not None:
        return Gone("feed.discharged", "Calendar link ended", "This calendar link has ended.")
    if row.share_id is not None and _ended(row.share_status, row.share_expires_at, now) is not None:
        return Gone("feed.share_ended", "Sharing ended", "The schedule is no longer shared with you.")
    if row.kind == "download":
        if row.used_at is not None:
            return Gone("feed.link_used", "Download link used", "This download link was already used.")
        if row.expires_at is None or row.expires_at <= now:
            return Gone("feed.link_expired", "Download link expired", "This download link has expired.")
    return None


class FeedService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    # -- management (authenticated: patients and family members) ---------------------------------

    def create(self, who: Principal, body: CalendarFeedRequest, base_url: str) -> CalendarFeedCreated:
        token, feed_id = self._insert(who, body, "feed", None)
        with self.db.read() as conn:
            row = repo.feed(conn, feed_id)
            out = self._render(conn, row)
        return CalendarFeedCreated(**out.model_dump(), url=feed_url(self._base(base_url), token))

    def download_link(self, who: Principal, body: CalendarFeedRequest, base_url: str) -> CalendarDownload:
        expires_at = self.settings.clock() + DOWNLOAD_TTL
        token, _ = self._insert(who, body, "download", expires_at)
        with self.db.read() as conn:
            tz = accounts_repo.clinic_zone(conn, who.clinic_id)
        return CalendarDownload(
            url=feed_url(self._base(base_url), token), expires_at=render.at(expires_at, tz)
        )

    def list_feeds(self, who: Principal) -> list[CalendarFeed]:
        now = self.settings.clock()
        with self.db.read() as conn:
            rows = repo.account_feeds(conn, who.account_id)
            return [self._render(conn, r) for r in rows if _gone(r, now) is None]

    def update(self, who: Principal, feed_id: str, body: CalendarFeedUpdate) -> CalendarFeed:
        now = self.settings.clock()
        values: dict[str, Any] = {
            k: getattr(body, k) for k in ("titles", "lang", "alarm") if getattr(body, k) is not None
        }
        if "neutral_title" in body.model_fields_set:
            values["neutral_title"] = body.neutral_title.strip() if body.neutral_title else None
        with self.db.write() as w:
            row = self._own(w.conn, who, feed_id)
            gone = _gone(row, now)
            if gone is not None:
                raise gone
            if values:
                repo.update_feed(w, feed_id, **values)
                self._audit(w, row, "feed.update", now)
            return self._render(w.conn, repo.feed(w.conn, feed_id))

    def revoke(self, who: Principal, feed_id: str) -> None:
        now = self.settings.clock()
        with self.db.write() as w:
            row = self._own(w.conn, who, feed_id)
            if row.revoked_at is None:
                repo.update_feed(w, feed_id, revoked_at=now)
                self._audit(w, row, "feed.revoke", now)

    # -- the public read: the token is the credential ----------------------------------------------

    def read(self, token: str, base_url: str) -> FeedBody:
        now = self.settings.clock()
        wanted = digest(token)
        with self.db.read() as conn:
            row = repo.by_token_hash(conn, wanted)
            # The index found the row by digest; the digests are compared again in constant time.
            if row is None or not hmac.compare_digest(row.token_hash, wanted):
                raise NotFound("No such calendar.")
            gone = _gone(row, now)
            if gone is not None:
                raise gone
            download = row.kind == "download"
            start, end = (now, now + DOWNLOAD_AHEAD) if download else (now - BACK, now + AHEAD)
            tz = accounts_repo.clinic_zone(conn, row.clinic_id)
            events = self._events(conn, row, start, end, now, tz)
        options = ical.FeedOptions(row.titles, row.neutral_title, row.lang, row.alarm)
        host = urlsplit(self._base(base_url)).hostname or "waypoint"
        body = ical.calendar(
            events, options, tz, host, start.astimezone(tz).date(), end.astimezone(tz).date()
        )
        with self.db.write() as w:
            if download:
                if not repo.claim_download(w, row.id, now):  # another request used it first
                    raise Gone("feed.link_used", "Download link used", "This download link was already used.")
            else:
                repo.update_feed(w, row.id, last_read_at=now)
            self._audit(w, row, "feed.download" if download else "feed.read", now)
        return FeedBody(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', download)

    def _events(
        self, conn: Any, row: Any, start: datetime, end: datetime, now: datetime, tz: Any
    ) -> list[ical.FeedEvent]:
        out = []
        for item in repo.window(conn, row.patient_id, start, end, now):
            if row.share_id is None:
                data = render.schedule_item(item, tz)
            elif item.family_visible and share_in_scope(row.share_scope, item.kind):
                data = render.family_schedule_item(item, tz, row.share_scope, row.share_id)
            else:
                continue
            out.append(ical.FeedEvent(item.id, int(item.version), item.changed_at, data))
        return out

    # -- helpers ---------------------------------------------------------------------------------

    def _insert(
        self, who: Principal, body: CalendarFeedRequest, kind: str, expires_at: datetime | None
    ) -> tuple[str, str]:
        now = self.settings.clock()
        token, feed_id = new_token(), str(uuid.uuid4())
        with self.db.write() as w:
            patient_id = self._subject(w.conn, who, body.share_id, now)
            if kind == "feed":
                live = [r for r in repo.account_feeds(w.conn, who.account_id) if _gone(r, now) is None]
                if len(live) >= MAX_FEEDS:
                    raise Conflict(
                        "feed.too_many",
                        "Too many calendar links",
                        "Turn off a calendar link you no longer use.",
                    )
            repo.insert(
                w,
                id=feed_id,
                kind=kind,
                token_hash=digest(token),
                account_id=who.account_id,
                clinic_id=who.clinic_id,
                patient_id=patient_id,
                share_id=body.share_id,
                titles=body.titles,
                neutral_title=body.neutral_title.strip() if body.neutral_title else None,
                lang=body.lang,
                alarm=body.alarm,
                created_at=now,
                expires_at=expires_at,
            )
            action = "feed.create" if kind == "feed" else "feed.download_link"
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role=who.role,
                patient_id=patient_id,
                action=action,
                at=now,
            )
        return token, feed_id

    def _subject(self, conn: Any, who: Principal, share_id: str | None, now: datetime) -> str:
        """Whose schedule a new feed shows: the patient's own, or the given share's (family)."""
        if who.role == "patient":
            if share_id is not None:
                raise BadRequest(
                    "feed.share_id_not_allowed",
                    "No share for a patient's feed",
                    "A patient's own calendar feed takes no share_id.",
                )
            patient = accounts_repo.patient(conn, who.account_id)
            if patient is None or patient.discharged_at is not None:
                raise Forbidden("feed.discharged", "Calendar unavailable", "The programme has ended.")
            return who.account_id
        if share_id is None:
            raise BadRequest(
                "feed.share_id_required",
                "Share required",
                "A family member's calendar feed needs the share_id of the schedule it shows.",
            )
        share = shares_repo.share(conn, share_id)
        if share is None or share.family_account_id != who.account_id:
            raise NotFound("No such share.")
        ended = _ended(share.status, share.expires_at, now)
        if ended is not None:
            raise ended
        return str(share.patient_id)

    @staticmethod
    def _own(conn: Any, who: Principal, feed_id: str) -> Any:
        row = repo.feed(conn, feed_id)
        if row is None or row.account_id != who.account_id or row.kind != "feed":
            raise NotFound()
        return row

    def _render(self, conn: Any, row: Any) -> CalendarFeed:
        tz = accounts_repo.clinic_zone(conn, row.clinic_id)
        return CalendarFeed(
            id=row.id,
            created_at=render.at(row.created_at, tz),
            titles=row.titles,
            neutral_title=row.neutral_title,
            lang=row.lang,
            alarm=row.alarm,
            share_id=row.share_id,
            patient_display_name=row.patient_name if row.share_id is not None else None,
            last_read_at=render.iso(row.last_read_at, tz),
        )

    def _base(self, request_base: str) -> str:
        return (self.settings.public_base_url or request_base).rstrip("/")

    @staticmethod
    def _audit(w: Writer, row: Any, action: str, now: datetime) -> None:
        role = "patient" if row.share_id is None else "family"
        audit_repo.record(
            w,
            clinic_id=row.clinic_id,
            actor_id=row.account_id,
            actor_role=role,
            patient_id=row.patient_id,
            action=action,
            at=now,
        )
