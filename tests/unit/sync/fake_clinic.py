"""An in-memory twin of the clinic's Sync API behind httpx.MockTransport, for fast unit tests.

It keeps only what the protocol promises: versions from one counter, cursors, has_more paging,
idempotent mutations, conflicts against someone else's newer change, and problem+json errors.
The integration tests run the same scenarios against the real clinic server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.support.checkin_data import DAILY, PHQ2

TZ_OFFSET = "-05:00"


@dataclass
class FakeRecord:
    version: int
    data: dict[str, Any] | None  # None: tombstone
    by: str


@dataclass
class FakeClinic:
    """State of one clinic with one patient; flip `offline` to make every call fail to connect."""

    username: str = "alex"
    password: str = "waypoint-demo"
    patient_id: str = "patient-1"
    records: dict[tuple[str, str], FakeRecord] = field(default_factory=dict)
    counter: int = 0
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    access: set[str] = field(default_factory=set)
    refresh: set[str] = field(default_factory=set)
    offline: bool = False
    revoked: bool = False
    expire_next: bool = False
    expire_count: int = 0  # the next n bearer calls read their token as expired
    requests: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # mutation ids in the order applied
    canned: list[httpx.Response] = field(default_factory=list)  # answered first, one per request
    device_id: str = "device-1"  # the device of the last sign-in
    device_keys: dict[str, str] = field(default_factory=dict)  # device id → public key (base64url)
    alert_auth: dict[str, str] = field(default_factory=dict)  # alert id → "session" | "device_key"
    bodies: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)  # (path, headers, body)
    now: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the clinic's clock for signatures
    unreachable: set[str] = field(default_factory=set)  # paths whose requests never arrive
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)  # calendar feeds by id (no tokens)

    def put(self, type_: str, id_: str, data: dict[str, Any] | None, by: str = "staff") -> int:
        self.counter += 1
        self.records[(type_, id_)] = FakeRecord(self.counter, data, by)
        return self.counter

    def seed_week(self) -> None:
        self.put(
            "clinic",
            "clinic-1",
            {
                "name": "Riverside",
                "timezone": "America/New_York",
                "phone": "5550100",
                "response_minutes": 30,
                "lines": {"lifeline": "988"},
            },
        )
        self.put(
            "patient",
            self.patient_id,
            {"display_name": "Alex", "counselor_name": "Dana Reyes", "counselor_phone": "5550101"},
        )
        self.put(
            "schedule_item",
            "s1",
            _session("check_in", "Check-in", "2026-03-02T09:00:00", "2026-03-02T09:30:00"),
        )
        self.put(
            "schedule_item",
            "s2",
            _session("process_group", "Process group", "2026-03-02T09:30:00", "2026-03-02T11:00:00"),
        )
        self.put(
            "assignment",
            "a1",
            {
                "title": "Trigger log",
                "modality": "CBT",
                "instructions": "Write",
                "due_at": "2026-03-04T09:00:00" + TZ_OFFSET,
                "status": "todo",
                "response": "",
                "completed_at": None,
                "feedback": None,
                "feedback_by": None,
                "feedback_at": None,
            },
        )
        self.put(
            "coping_plan", self.patient_id, _coping({"warning_signs": ["payday"], "reasons": ["my kids"]})
        )

    def seed_questionnaires(self) -> None:
        """The daily check-in and PHQ-2 (Thursdays), as the demo clinic assigns them."""
        self.put("questionnaire", "q-daily", DAILY)
        self.put("questionnaire", "q-phq2", PHQ2)

    def ack_flag(self, checkin_id: str, by: str = "Sam Rivera") -> None:
        """Staff acknowledged the check-in's flag: its record is bumped so the app shows "Seen by"."""
        rec = self.records[("checkin", checkin_id)]
        assert rec.data is not None
        assert rec.data["flag"] is not None
        flag = {**rec.data["flag"], "status": "acknowledged", "acknowledged_by": by}
        flag["acknowledged_at"] = "2026-03-01T12:00:00" + TZ_OFFSET
        self.put("checkin", checkin_id, {**rec.data, "flag": flag})

    def change(self, type_: str, id_: str) -> dict[str, Any]:
        rec = self.records[(type_, id_)]
        return {
            "type": type_,
            "id": id_,
            "version": rec.version,
            "deleted": rec.data is None,
            "data": rec.data,
        }

    # -- transport ----------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if self.offline or request.url.path in self.unreachable:
            raise httpx.ConnectError("offline", request=request)
        if self.canned:
            return self.canned.pop(0)
        body = json.loads(request.content) if request.content else {}
        path = request.url.path
        self.bodies.append((path, dict(request.headers), request.content))
        if path == "/v1/auth/token":
            if (body.get("username"), body.get("password")) != (self.username, self.password):
                return _problem(401, "auth.invalid_credentials")
            self.device_id = f"device-{len(self.device_keys) + 2}"
            if isinstance(body.get("device_key"), str):
                self.device_keys[self.device_id] = body["device_key"]
            self.revoked = False
            return self._tokens()
        if path == "/v1/auth/refresh":
            if self.revoked:
                return _problem(401, "auth.device_revoked")
            token = body.get("refresh_token")
            if token not in self.refresh:
                return _problem(401, "auth.device_revoked")
            self.refresh.discard(token)
            return self._tokens()
        auth = request.headers.get("Authorization", "").removeprefix("Bearer ")
        refusal: httpx.Response | None = None
        if self.revoked:
            refusal = _problem(401, "auth.device_revoked")
        elif auth not in self.access:
            refusal = _problem(401, "auth.token_invalid")
        elif self.expire_next or self.expire_count:
            self.expire_next = False
            self.expire_count = max(0, self.expire_count - 1)
            self.access.discard(auth)
            refusal = _problem(401, "auth.token_expired")
        if refusal is not None:
            if path == "/v1/support-alerts" and self._signature_ok(request):
                return self._alert(request, body, "device_key")
            return refusal
        if path == "/v1/devices/current/key":
            known = self.device_keys.get(self.device_id)
            if known is not None and known != body["device_key"]:
                return _problem(409, "device.key_exists")
            self.device_keys[self.device_id] = body["device_key"]
            return httpx.Response(204)
        if path == "/v1/auth/logout":
            self.access.clear()
            self.refresh.clear()
            return httpx.Response(204)
        if path == "/v1/sync":
            return self._pull(request)
        if path == "/v1/mutations":
            return httpx.Response(200, json={"results": [self._mutate(m) for m in body["mutations"]]})
        if path == "/v1/support-alerts":
            return self._alert(request, body, "session")
        if path.startswith("/v1/calendar-feeds"):
            return self._calendar(request.method, path, body)
        return _problem(404, "not_found")

    def _calendar(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """The calendar-feed endpoints of the contract, in small: the URL is said once, on creation."""
        if path == "/v1/calendar-feeds/download" and method == "POST":
            url = f"https://clinic.example/v1/calendar-downloads/{len(self.requests)}.ics"
            return httpx.Response(201, json={"url": url, "expires_at": "2026-03-01T12:05:00+00:00"})
        if path == "/v1/calendar-feeds" and method == "GET":
            return httpx.Response(200, json=list(self.feeds.values()))
        if path == "/v1/calendar-feeds" and method == "POST":
            feed_id = f"feed-{len(self.requests)}"
            feed = {
                "id": feed_id,
                "created_at": self.now.isoformat(),
                "titles": body.get("titles", "neutral"),
                "neutral_title": body.get("neutral_title"),
                "lang": body.get("lang", "en"),
                "alarm": body.get("alarm", "none"),
                "share_id": body.get("share_id"),
                "patient_display_name": None,
                "last_read_at": None,
            }
            self.feeds[feed_id] = feed
            return httpx.Response(
                201, json={**feed, "url": f"https://clinic.example/v1/calendar/{feed_id}-token.ics"}
            )
        feed_id = path.rsplit("/", 1)[-1]
        if method == "PATCH" and feed_id in self.feeds:
            self.feeds[feed_id] = {**self.feeds[feed_id], **body}
            return httpx.Response(200, json=self.feeds[feed_id])
        if method == "DELETE":
            return httpx.Response(204) if self.feeds.pop(feed_id, None) else _problem(404, "not_found")
        return _problem(404, "not_found")

    def _alert(self, request: httpx.Request, body: dict[str, Any], how: str) -> httpx.Response:
        key = request.headers["Idempotency-Key"]
        mutation = {"id": key, "type": "support_alert.raise", "payload": body, "base_version": None}
        result = self._mutate(mutation)
        self.alert_auth.setdefault(key, how)
        return httpx.Response(201 if result["status"] == "applied" else 200, json=result["change"])

    def _signature_ok(self, request: httpx.Request) -> bool:
        """The contract's check: known device, registered key, valid signature, time within ±10 min."""
        device = request.headers.get("Waypoint-Device-Id", "")
        at = request.headers.get("Waypoint-Signed-At", "")
        signature = request.headers.get("Waypoint-Signature", "")
        public = self.device_keys.get(device)
        if public is None or not at.endswith("Z"):
            return False
        when = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(when - self.now) > timedelta(minutes=10):
            return False
        digest = hashlib.sha256(request.content).hexdigest()
        message = "\n".join(
            ["waypoint-support-alert-v1", device, request.headers["Idempotency-Key"], at, digest]
        )
        try:
            Ed25519PublicKey.from_public_bytes(_unb64(public)).verify(_unb64(signature), message.encode())
        except (InvalidSignature, ValueError):
            return False
        return True

    def _tokens(self) -> httpx.Response:
        access, refresh = uuid.uuid4().hex, uuid.uuid4().hex
        self.access.add(access)
        self.refresh.add(refresh)
        return httpx.Response(
            200,
            json={
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 900,
                "role": "patient",
                "account_id": self.patient_id,
                "display_name": "Alex",
                "device_id": self.device_id,
            },
        )

    def _pull(self, request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        limit = int(request.url.params.get("limit", "200"))
        after = int(cursor) if cursor is not None else 0
        live_only = cursor is None
        rows = sorted((r.version, k) for k, r in self.records.items() if r.version > after)
        rows = [(v, k) for v, k in rows if not (live_only and self.records[k].data is None)]
        page = rows[:limit]
        last = page[-1][0] if page else after
        return httpx.Response(
            200,
            json={
                "changes": [self.change(*k) for _, k in page],
                "cursor": str(last),
                "has_more": len(rows) > limit,
                "reset": False,
            },
        )

    def _mutate(self, m: dict[str, Any]) -> dict[str, Any]:
        mid, kind, p, base = m["id"], m["type"], m["payload"], m.get("base_version")
        if mid in self.answers:
            return {"id": mid, "status": "duplicate", "change": self.answers[mid]["change"]}
        if kind == "checkin.submit":
            return self._checkin(mid, p)
        target = {
            "rsvp.set": ("rsvp", p.get("schedule_item_id")),
            "assignment.complete": ("assignment", p.get("assignment_id")),
            "coping_plan.update": ("coping_plan", self.patient_id),
            "support_alert.raise": ("support_alert", mid),
        }.get(kind)
        if target is None or (kind == "rsvp.set" and ("schedule_item", target[1]) not in self.records):
            return {"id": mid, "status": "rejected", "code": "schedule_item.not_found", "reason": "gone"}
        current = self.records.get(target)
        if kind == "assignment.complete" and (current is None or current.data is None):
            return {"id": mid, "status": "rejected", "code": "assignment.not_found", "reason": "gone"}
        if (
            current is not None
            and base is not None
            and current.version > base
            and current.by != self.patient_id
        ):
            return {"id": mid, "status": "conflict", "code": "sync.conflict", "change": self.change(*target)}
        if kind == "rsvp.set":
            data = {
                "schedule_item_id": p["schedule_item_id"],
                "response": p["response"],
                "note": p.get("note", ""),
                "updated_at": "2026-03-01T10:00:00" + TZ_OFFSET,
            }
        elif kind == "assignment.complete":
            assert current is not None
            assert current.data is not None
            data = {**current.data, "status": "done", "response": p["response"]}
        elif kind == "support_alert.raise":
            data = {
                "created_at": p["created_at"],
                "status": "received",
                "acknowledged_by": None,
                "acknowledged_at": None,
                # the real clinic: received + its response minutes (30 here)
                "expected_response_by": (
                    datetime.fromisoformat(p["created_at"]) + timedelta(minutes=30)
                ).isoformat(),
            }
        else:
            data = _coping(p)
        self.put(*target, data, by=self.patient_id)
        result = {"id": mid, "status": "applied", "change": self.change(*target)}
        self.answers[mid] = result
        self.applied.append(mid)
        return result

    def _checkin(self, mid: str, p: dict[str, Any]) -> dict[str, Any]:
        """The clinic's rules in small: a known questionnaire, one check-in per period (amended by
        its id), and one flag carrying every reason the answers fire (no version check: the answers
        are the patient's own)."""
        q = self.records.get(("questionnaire", p["questionnaire_id"]))
        if q is None or q.data is None:
            return {"id": mid, "status": "rejected", "code": "checkin.questionnaire_unknown", "reason": "?"}
        cid = p["checkin_id"]
        period = (p["questionnaire_id"], p["period"])
        for (type_, id_), rec in self.records.items():
            theirs = (rec.data or {}).get("questionnaire_id"), (rec.data or {}).get("period")
            if type_ == "checkin" and id_ != cid and theirs == period:
                return {"id": mid, "status": "rejected", "code": "checkin.period_taken", "reason": "taken"}
        answers = p["answers"]
        reasons = []
        for item in q.data["items"]:
            value, at = answers.get(item["id"]), item["flag_at"]
            if (
                at is not None
                and value is not None
                and (value is True if item["kind"] == "yes_no" else value >= at)
            ):
                reasons.append(item["id"])
        choices = [answers[i["id"]] for i in q.data["items"] if i["kind"] == "choice" and i["id"] in answers]
        score = sum(choices) if any(i["kind"] == "choice" for i in q.data["items"]) else None
        total = q.data["flag_total_at"]
        if total is not None and score is not None and score >= total:
            reasons.append(q.data["key"])
        old = self.records.get(("checkin", cid))
        before = old.data if old is not None else None
        flag = before["flag"] if before else None
        if reasons and (flag is None or flag["status"] == "acknowledged"):
            flag = {"reasons": reasons, "status": "open", "acknowledged_by": None, "acknowledged_at": None}
        elif reasons and flag is not None:
            flag = {**flag, "reasons": [*flag["reasons"], *(r for r in reasons if r not in flag["reasons"])]}
        data = {
            "questionnaire_id": p["questionnaire_id"],
            "period": p["period"],
            "answers": answers,
            "score": score,
            "submitted_at": before["submitted_at"] if before else p["answered_at"],
            "updated_at": p["answered_at"],
            "flag": flag,
        }
        self.put("checkin", cid, data, by=self.patient_id)
        result = {"id": mid, "status": "applied", "change": self.change("checkin", cid)}
        self.answers[mid] = result
        self.applied.append(mid)
        return result


def _session(kind: str, title: str, starts: str, ends: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title,
        "starts_at": starts + TZ_OFFSET,
        "ends_at": ends + TZ_OFFSET,
        "location": "Room 2",
        "video_url": None,
        "staff_name": "Dana Reyes",
        "status": "scheduled",
        "moved_from": None,
        "note": None,
    }


def _coping(plan: dict[str, Any]) -> dict[str, Any]:
    """A coping plan as the clinic sends it: every list, empty where the plan has none."""
    keys = ("warning_signs", "on_my_own", "distractions", "people_to_ask", "professionals")
    return {key: list(plan.get(key, [])) for key in (*keys, "safe_surroundings", "reasons")}


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _problem(status: int, code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"type": "about:blank", "title": code, "status": status, "detail": code, "code": code}
    return httpx.Response(
        status, json=body, headers={"Content-Type": "application/problem+json", **(headers or {})}
    )
