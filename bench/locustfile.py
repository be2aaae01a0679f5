"""Locust users for the clinic capacity run (`bench/capacity.py` starts the server and runs this).

Not for a plain `locust -f` by hand without a plan: the runner seeds the patients through the
staff API and hands their tokens over in a JSON file (WAYPOINT_CAPACITY_PLAN); the figures are
written to WAYPOINT_CAPACITY_OUT when Locust quits.

The mix is open-loop and shaped like a clinic week with every app open at once:

- PatientUser: starts where its enrolment's full sync (done by the runner) left off: one
  incremental sync every
  `sync_seconds` (60 s; `constant_pacing`, so a slow answer does not slow the schedule, and a
  random phase per patient so the clinic's phones are not in lockstep), while it holds its live
  stream `GET /v1/stream` on a raw gevent socket; a `changed` event pulls a sync, as the app does.
  Writes arrive as Poisson processes on their own greenlets, independent of the answers: RSVPs
  (3 a day), the daily check-in (1 a day, the same check-in amended after the first) and support
  alerts (`alerts_per_day` a patient), where "a day" is `day_seconds` of the run.
- StaffUser (10): a console holding the staff queue stream; the time from just before an
  alert's POST to its event on each console is reported as the request kind
  "alert → staff stream". Console 0 acknowledges each alert a few seconds after it arrives.
- FamilyUser: a family member's device syncing every `family_sync_seconds` (300 s).
- FloorUser (the floor run only, closed loop): the same GET again and again, as fast as answered.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from gevent import socket
from gevent.lock import Semaphore
from locust import FastHttpUser, constant, constant_pacing, events, task
from locust.env import Environment

_plan_path = os.environ.get("WAYPOINT_CAPACITY_PLAN")
PLAN: dict[str, Any] = json.loads(Path(_plan_path).read_text()) if _plan_path else {}
SYNC_SECONDS = float(PLAN.get("sync_seconds", 60))
FAMILY_SYNC_SECONDS = float(PLAN.get("family_sync_seconds", 300))
DAY_SECONDS = float(PLAN.get("day_seconds", 600))
ALERTS_PER_DAY = float(PLAN.get("alerts_per_day", 0.2))
RSVPS_PER_DAY = float(PLAN.get("rsvps_per_day", 3))
CHECKINS_PER_DAY = float(PLAN.get("checkins_per_day", 1))

DELIVERY = "alert → staff stream"
CALM = {"craving": 2, "mood": 7, "confidence": 8, "used": False, "contact": False}

_patients = itertools.count()
_families = itertools.count()
_consoles = itertools.count()
ALERT_SENT: dict[str, float] = {}  # alert id → perf_counter() just before its POST
DELIVERED: dict[str, set[int]] = {}  # alert id → consoles whose stream carried it
COUNTERS: dict[str, int] = {"periodic_syncs_with_changes": 0, "stream_events": 0}
STOPPED_AT: list[float] = []


def _fire(kind: str, name: str, ms: float, exception: Exception | None = None) -> None:
    events.request.fire(
        request_type=kind, name=name, response_time=ms, response_length=0, exception=exception, context={}
    )


class SseStream:
    """One server-sent-events stream on a raw socket (a greenlet), chunked transfer decoded.

    `on_event(event, data)` is called for every event; the stream's opening (status line) is
    reported as `<name> (open)`, and a stream the server ends or breaks counts as a failure.
    """

    def __init__(self, base: str, path: str, token: str, name: str, on_event: Callable[[str, Any], None]):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path, self.token, self.name, self.on_event = path, token, name, on_event
        self.sock: socket.socket | None = None
        self.closing = False
        self.greenlet = gevent.spawn(self._run)

    def close(self) -> None:
        self.closing = True
        if self.sock is not None:
            self.sock.close()
        self.greenlet.kill(block=False)

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            self.sock = socket.create_connection((self.host, self.port), timeout=30)
            request = (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
            )
            self.sock.sendall(request.encode())
            buf = b""
            while b"\r\n\r\n" not in buf:
                buf += self._recv()
            head, buf = buf.split(b"\r\n\r\n", 1)
            status = int(head.split(b" ", 2)[1])
            if status != 200:
                raise ConnectionError(f"stream answered {status}")
            _fire("SSE", f"{self.name} (open)", (time.perf_counter() - start) * 1000)
            self.sock.settimeout(None)  # idle between events; the server sends keep-alives
            text = b""
            while True:
                while b"\r\n" not in buf:
                    buf += self._recv()
                size_line, buf = buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(buf) < size + 2:
                    buf += self._recv()
                if size == 0:
                    raise ConnectionError("the server ended the stream")
                text += buf[:size]
                buf = buf[size + 2 :]
                while b"\n\n" in text:
                    block, text = text.split(b"\n\n", 1)
                    self._dispatch(block.decode())
        except gevent.GreenletExit:
            raise
        except Exception as exc:
            if not self.closing:
                _fire("SSE", f"{self.name} (open)", (time.perf_counter() - start) * 1000, exc)
        finally:
            if self.sock is not None:
                self.sock.close()

    def _recv(self) -> bytes:
        assert self.sock is not None
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the stream")
        return data

    def _dispatch(self, block: str) -> None:
        event, data = "message", None
        for line in block.split("\n"):
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data = json.loads(line[5:])
        if data is None:
            return
        if event == "auth_lapsed":
            _fire("SSE", f"{self.name} (open)", 0, ConnectionError("auth_lapsed"))
            return
        self.on_event(event, data)


class PatientUser(FastHttpUser):
    wait_time = constant_pacing(SYNC_SECONDS)

    def on_start(self) -> None:
        me = PLAN["patients"][next(_patients) % len(PLAN["patients"])]
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        # Where the phone's encrypted store left off: enrolment's full sync was the runner's.
        self.cursor: str | None = me["cursor"]
        self.seen = int(me["seen"])  # the newest version a sync brought
        self.items: list[str] = list(me["items"])
        self.questionnaire: str | None = me["questionnaire"]
        self.checkin_id = str(me["checkin_id"])  # one a day: a second submission amends it
        self.lock = Semaphore()
        self.stream = SseStream(self.host, "/v1/stream", me["token"], "stream: patient", self._changed)
        self.writers = [
            gevent.spawn(self._poisson, RSVPS_PER_DAY / DAY_SECONDS, self.rsvp),
            gevent.spawn(self._poisson, CHECKINS_PER_DAY / DAY_SECONDS, self.checkin),
            gevent.spawn(self._poisson, ALERTS_PER_DAY / DAY_SECONDS, self.alert),
        ]
        gevent.sleep(random.uniform(0, SYNC_SECONDS))  # this phone's phase in the minute

    def on_stop(self) -> None:
        for writer in self.writers:
            writer.kill(block=False)
        self.stream.close()

    def sync(self, name: str) -> int:
        """Pull until has_more is false; how many changes came."""
        count = 0
        with self.lock:
            while True:
                params = f"?cursor={self.cursor}" if self.cursor else ""
                with self.client.get(f"/v1/sync{params}", headers=self.headers, name=name) as response:
                    body = response.json()
                for change in body["changes"]:
                    self.seen = max(self.seen, int(change["version"]))
                    if change["type"] == "schedule_item" and not change["deleted"]:
                        self.items.append(change["id"])
                    if change["type"] == "questionnaire" and (change["data"] or {}).get("key") == "daily":
                        self.questionnaire = change["id"]
                count += len(body["changes"])
                self.cursor = body["cursor"]
                if not body["has_more"]:
                    return count

    @task
    def periodic_sync(self) -> None:
        if self.sync(f"sync: every {SYNC_SECONDS:g} s (app open)"):
            COUNTERS["periodic_syncs_with_changes"] += 1

    def _changed(self, event: str, data: Any) -> None:
        COUNTERS["stream_events"] += 1
        if event == "changed" and int(data["version"]) > self.seen:
            gevent.spawn(self._pull, int(data["version"]))

    def _pull(self, version: int) -> None:
        if version > self.seen:  # an earlier pull may have brought it already
            self.sync("sync: on stream event")

    def _poisson(self, rate: float, action: Callable[[], None]) -> None:
        if rate <= 0:
            return
        while True:
            gevent.sleep(random.expovariate(rate))
            action()

    def _mutate(self, name: str, mutation: dict[str, Any]) -> None:
        body = {"mutations": [mutation]}
        with self.client.post(
            "/v1/mutations", json=body, headers=self.headers, name=name, catch_response=True
        ) as response:
            if response.status_code == 200:
                status = response.json()["results"][0]["status"]
                if status not in ("applied", "duplicate"):
                    response.failure(f"mutation {status}: {response.json()['results'][0].get('code')}")

    def rsvp(self) -> None:
        if self.items:
            payload = {
                "schedule_item_id": random.choice(self.items),
                "response": random.choice(["going", "late"]),
            }
            mutation = {"id": str(uuid.uuid4()), "type": "rsvp.set", "base_version": None, "payload": payload}
            self._mutate("mutation: rsvp.set", mutation)

    def checkin(self) -> None:
        if self.questionnaire is None:
            return
        payload = {
            "checkin_id": self.checkin_id,
            "questionnaire_id": self.questionnaire,
            "period": datetime.now(UTC).date().isoformat(),  # within a day of the clinic's date
            "answered_at": datetime.now(UTC).isoformat(),
            "answers": {**CALM, "mood": random.randint(4, 9)},
        }
        mutation = {
            "id": str(uuid.uuid4()),
            "type": "checkin.submit",
            "base_version": None,
            "payload": payload,
        }
        self._mutate("mutation: checkin.submit", mutation)

    def alert(self) -> None:
        alert_id = str(uuid.uuid4())
        ALERT_SENT[alert_id] = time.perf_counter()
        self.client.post(
            "/v1/support-alerts",
            json={"created_at": datetime.now(UTC).isoformat()},
            headers={**self.headers, "Idempotency-Key": alert_id},
            name="support alert",
        )


class StaffUser(FastHttpUser):
    fixed_count = int(PLAN.get("consoles", 10))
    wait_time = constant(3600)

    def on_start(self) -> None:
        self.console = next(_consoles)
        self.token = PLAN["staff"][self.console % len(PLAN["staff"])]
        self.stream = SseStream(
            self.host, "/v1/staff/support-alerts/stream", self.token, "stream: staff queue", self._event
        )

    def on_stop(self) -> None:
        self.stream.close()

    @task
    def hold(self) -> None:
        """The console only listens (its reads on an alert are not part of this mix)."""

    def _event(self, event: str, data: Any) -> None:
        if event != "support_alert":
            return
        alert_id = str(data["id"])
        sent = ALERT_SENT.get(alert_id)
        seen = DELIVERED.setdefault(alert_id, set())
        if sent is None or self.console in seen:
            return  # an alert from before the run, or its acknowledgement
        seen.add(self.console)
        _fire("SSE", DELIVERY, (time.perf_counter() - sent) * 1000)
        if self.console == 0:
            gevent.spawn_later(random.uniform(2, 8), self._ack, alert_id)

    def _ack(self, alert_id: str) -> None:
        self.client.post(
            f"/v1/staff/support-alerts/{alert_id}/ack",
            json={"outcome": "safe"},
            headers={"Authorization": f"Bearer {self.token}"},
            name="staff: ack alert",
        )


class FamilyUser(FastHttpUser):
    fixed_count = len(PLAN.get("family", []))
    wait_time = constant_pacing(FAMILY_SYNC_SECONDS)

    def on_start(self) -> None:
        me = PLAN["family"][next(_families) % len(PLAN["family"])]
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        self.cursor: str | None = me["cursor"]
        gevent.sleep(random.uniform(0, FAMILY_SYNC_SECONDS))

    def pull(self, name: str) -> None:
        while True:
            params = f"?cursor={self.cursor}" if self.cursor else ""
            with self.client.get(f"/v1/sync{params}", headers=self.headers, name=name) as response:
                body = response.json()
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return

    @task
    def periodic(self) -> None:
        self.pull("family sync: every 5 min")


class FloorUser(FastHttpUser):
    """Closed loop, as fast as answered: PLAN["floor_path"] (with a no-change cursor for /v1/sync)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        token = PLAN.get("floor_token")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.path = str(PLAN["floor_path"])
        if self.path == "/v1/sync":
            cursor = PLAN.get("floor_cursor")  # the runner's: nothing changed since
            while True:
                params = f"?cursor={cursor}" if cursor else ""
                body = self.client.get(f"/v1/sync{params}", headers=self.headers, name="floor: first").json()
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            self.path = f"/v1/sync?cursor={cursor}"

    @task
    def hit(self) -> None:
        self.client.get(self.path, headers=self.headers, name=str(PLAN["floor_name"]))


@events.test_stop.add_listener
def _stopped(**_: Any) -> None:
    STOPPED_AT.append(time.perf_counter())


@events.quitting.add_listener
def _dump(environment: Environment, **_: Any) -> None:
    out = os.environ.get("WAYPOINT_CAPACITY_OUT")
    if not out:
        return
    entries = {}
    for (name, method), entry in environment.stats.entries.items():
        entries[name] = {
            "method": method,
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "response_times": {str(ms): n for ms, n in entry.response_times.items()},
        }
    errors = [
        {"name": e.name, "error": str(e.error), "count": e.occurrences}
        for e in environment.stats.errors.values()
    ]
    stop = STOPPED_AT[0] if STOPPED_AT else time.perf_counter()
    due = [a for a, sent in ALERT_SENT.items() if sent < stop - 3.0]  # the last 3 s may be in flight
    consoles = int(PLAN.get("consoles", 10))
    missing = sum(consoles - len(DELIVERED.get(a, ())) for a in due)
    result = {
        "entries": entries,
        "errors": errors,
        "alerts_sent": len(ALERT_SENT),
        "deliveries_missing": missing,
        **COUNTERS,
    }
    Path(out).write_text(json.dumps(result))
