"""The escalation ladder: nobody answering is a state. Unacknowledged support alerts and flags climb
the clinic's steps, each step fired once, audited, on the staff stream, in the patient's record,
and paged through the Notifier (a signed webhook, delivered from an outbox with retries).

Policy (the clinic's `escalation` JSON; null or missing keys: the defaults below):

    {"alert_steps": [{"after_seconds": 300, "to": "On-call group"},
                     {"after_seconds": 900, "to": "Clinical supervisor"}],
     "flag": {"to": "Counsellor's supervisor", "next_morning": "08:00"},   # or "after_seconds": N
     "webhook_url": "https://pager.example/hooks/waypoint", "webhook_secret": "…",
     "console_url": "https://console.clinic.example"}

Timing is from stored times only (an alert's received_at, a flag's created_at), so a restart
changes nothing and a server that was down fires the steps it missed, in order. A step is a row
with a unique (kind, subject, step), inserted ON CONFLICT DO NOTHING inside a write transaction
that also holds a PostgreSQL advisory lock (pg_try_advisory_xact_lock): with several server
processes one escalates and the others skip that round; none fires a step twice.

The page carries the minimum a paging provider needs: the step's id (also the Idempotency-Key),
the kind, an opaque subject id, the step, whom it is for, the times and the console's address.
Never a patient's name, a reason or an answer (docs/SECURITY.md).
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database
from clinic.notify import CHANNEL
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import escalations as repo
from clinic.services.checkins import touch_flag
from clinic.services.notifier import Notifier, url_problem

log = logging.getLogger("clinic.escalation")

# A claimed delivery comes back after the lease if its sender died; a batch is sent one by one with
# a 10 s timeout each, well inside the lease, so no live sender loses its claim.
LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 20
RETRY_CAP = timedelta(minutes=15)
CLAIM_BATCH = 5


@dataclass(frozen=True, slots=True)
class Step:
    after: timedelta
    to: str


DEFAULT_ALERT_STEPS = (
    Step(timedelta(minutes=5), "On-call group"),
    Step(timedelta(minutes=15), "Clinical supervisor"),
)


DEFAULT_FLAG_TO = "Counsellor's supervisor"


class PolicyError(ValueError):
    """A policy a clinic admin gave is not valid (the message says why; never the secret)."""


@dataclass(frozen=True, slots=True)
class Policy:
    alert_steps: tuple[Step, ...] = DEFAULT_ALERT_STEPS
    flag_to: str | None = DEFAULT_FLAG_TO
    flag_morning: time = time(8)
    flag_after: timedelta | None = None  # instead of the next morning (a demo, a test)
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    console_url: str | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None, *, strict: bool = False) -> Policy:
        """The policy of a clinic's JSON; a malformed one is the defaults (strict: PolicyError)."""
        try:
            return cls._parse(raw or {})
        except (KeyError, TypeError, ValueError) as exc:
            if strict:
                raise PolicyError(str(exc)) from exc
            log.warning("escalation policy unreadable, defaults used type=%s", type(exc).__name__)
            return cls()

    @classmethod
    def _parse(cls, raw: Mapping[str, Any]) -> Policy:
        steps: tuple[Step, ...] = DEFAULT_ALERT_STEPS
        if "alert_steps" in raw:
            steps = tuple(
                Step(timedelta(seconds=float(s["after_seconds"])), str(s["to"])) for s in raw["alert_steps"]
            )
            afters = [s.after for s in steps]
            if any(a <= timedelta(0) for a in afters) or afters != sorted(set(afters)):
                raise ValueError("alert steps: after_seconds must be positive and increasing")
        flag = raw.get("flag", {"to": DEFAULT_FLAG_TO})
        flag_to = None if flag is None else str(flag["to"])
        morning = time.fromisoformat(str(flag.get("next_morning", "08:00"))) if flag else time(8)
        after = flag.get("after_seconds") if flag else None
        url = raw.get("webhook_url")
        if url is not None and (problem := url_problem(str(url))) is not None:
            raise ValueError(problem)
        secret = raw.get("webhook_secret")
        if url is not None and not secret:
            raise ValueError("a webhook needs a secret")
        return cls(
            alert_steps=steps,
            flag_to=flag_to,
            flag_morning=morning,
            flag_after=None if after is None else timedelta(seconds=float(after)),
            webhook_url=None if url is None else str(url),
            webhook_secret=None if secret is None else str(secret),
            console_url=raw.get("console_url"),
        )

    def to_json(self) -> dict[str, Any]:
        flag: dict[str, Any] | None = None
        if self.flag_to is not None:
            flag = {"to": self.flag_to, "next_morning": self.flag_morning.strftime("%H:%M")}
            if self.flag_after is not None:
                flag["after_seconds"] = self.flag_after.total_seconds()
        return {
            "alert_steps": [{"after_seconds": s.after.total_seconds(), "to": s.to} for s in self.alert_steps],
            "flag": flag,
            "webhook_url": self.webhook_url,
            "webhook_secret": self.webhook_secret,
            "console_url": self.console_url,
        }


def ladder(policy: Policy, kind: str, since: datetime, tz: ZoneInfo) -> list[tuple[int, str, datetime]]:
    """Every step of the ladder for an item open since `since`: (step, to whom, when due)."""
    if kind == "support_alert":
        return [(n, s.to, since + s.after) for n, s in enumerate(policy.alert_steps, start=1)]
    if policy.flag_to is None:
        return []
    if policy.flag_after is not None:
        return [(1, policy.flag_to, since + policy.flag_after)]
    # Not acknowledged by the end of the clinic day it was raised on: the next clinic morning.
    morning = datetime.combine(
        since.astimezone(tz).date() + timedelta(days=1), policy.flag_morning, tzinfo=tz
    )
    return [(1, policy.flag_to, morning.astimezone(UTC))]


def due_steps(row: Any, now: datetime) -> list[tuple[int, str, datetime]]:
    """The steps of an open item that are due and not fired yet, in order."""
    steps = ladder(Policy.parse(row.policy), row.kind, row.since, ZoneInfo(row.timezone))
    return [s for s in steps if s[0] > int(row.escalation_step) and s[2] <= now]


def page_body(escalation_id: str, kind: str, subject_id: str, step: int, to: str, since: datetime,
              now: datetime, console_url: str | None) -> str:  # fmt: skip
    return json.dumps(
        {
            "type": "waypoint.escalation",
            "id": escalation_id,
            "kind": kind,
            "subject_id": subject_id,
            "step": step,
            "escalated_to": to,
            "waiting_since": since.astimezone(UTC).isoformat(),
            "escalated_at": now.astimezone(UTC).isoformat(),
            "console_url": console_url,
        },
        separators=(",", ":"),
    )


def retry_delay(attempts: int, base: timedelta, rng: random.Random) -> timedelta:
    """Exponential (base·2^(attempts-1), capped) with jitter: between half and all of it."""
    ceiling = min(RETRY_CAP, base * 2 ** min(max(attempts - 1, 0), 20))
    return timedelta(seconds=ceiling.total_seconds() * rng.uniform(0.5, 1.0))


class EscalationService:
    def __init__(
        self, db: Database, settings: Settings, notifier: Notifier, on_change: Callable[[], None]
    ) -> None:
        self.db = db
        self.settings = settings
        self.notifier = notifier
        self.on_change = on_change
        self._rng = random.Random()

    def sweep(self) -> int:
        """Fire every due step not fired yet; how many this process fired."""
        now = self.settings.clock()
        with self.db.read() as conn:
            if not any(due_steps(r, now) for r in repo.unacknowledged(conn)):
                return 0
        fired: list[tuple[str, str, int]] = []
        with self.db.write() as w:
            if not repo.try_sweep_lock(w.conn):
                return 0  # another process is escalating now
            for row in repo.unacknowledged(w.conn):  # again, on what is committed (an ack may have landed)
                policy = Policy.parse(row.policy)
                for step, to, due in due_steps(row, now):
                    escalation_id = str(uuid.uuid4())
                    new = repo.insert_step(
                        w, id=escalation_id, clinic_id=row.clinic_id, kind=row.kind, subject_id=row.id,
                        step=step, escalated_to=to, due_at=due, fired_at=now,
                    )  # fmt: skip
                    if not new:
                        continue
                    repo.set_step(w, row.kind, row.id, step, to)
                    subject = repo.subject(w.conn, row.kind, row.id)
                    patient_id = None if subject is None else subject.patient_id
                    if row.kind == "support_alert":  # the patient's record shows the step
                        changes.touch(
                            w, "support_alert", row.id, clinic_id=row.clinic_id, patient_id=patient_id,
                            now=now, by=None,
                        )  # fmt: skip
                        w.notify(CHANNEL)
                    else:
                        touch_flag(w, row.clinic_id, row.id, now, by=None)
                    audit_repo.record(
                        w, clinic_id=row.clinic_id, actor_id=None, actor_role="system",
                        patient_id=patient_id, action=f"{row.kind}.escalated", at=now,
                    )  # fmt: skip
                    if policy.webhook_url is not None:
                        body = page_body(escalation_id, row.kind, row.id, step, to, row.since, now,
                                         policy.console_url)  # fmt: skip
                        repo.enqueue(
                            w, id=escalation_id, clinic_id=row.clinic_id, body=body, attempts=0,
                            next_attempt_at=now, created_at=now,
                        )  # fmt: skip
                    fired.append((row.kind, escalation_id, step))
        for kind, escalation_id, step in fired:
            log.info("escalated kind=%s escalation=%s step=%d", kind, escalation_id, step)
        if fired:
            self.on_change()
        return len(fired)

    def deliver_due(self) -> int:
        """Send the pages that are due (claimed under a lease); how many were delivered (2xx)."""
        now = self.settings.clock()
        with self.db.write() as w:
            claimed = repo.claim_due(w, now, now + LEASE, CLAIM_BATCH)
        delivered = 0
        for d in claimed:
            policy = Policy.parse(d.policy)
            status = None
            if policy.webhook_url is not None and policy.webhook_secret is not None:
                status = self.notifier.send(policy.webhook_url, policy.webhook_secret, d.id, d.body.encode())
            after = self.settings.clock()
            with self.db.write() as w:
                if status is not None and 200 <= status < 300:
                    repo.record_attempt(w, d.id, delivered_at=after, last_status=status)
                    delivered += 1
                elif int(d.attempts) >= MAX_ATTEMPTS:
                    repo.record_attempt(w, d.id, failed_at=after, last_status=status)
                    log.warning("webhook gave up delivery=%s attempts=%d", d.id, d.attempts)
                else:
                    wait = retry_delay(int(d.attempts), self.settings.webhook_retry, self._rng)
                    repo.record_attempt(w, d.id, next_attempt_at=after + wait, last_status=status)
                    log.info(
                        "webhook retry delivery=%s status=%s in=%.1fs", d.id, status, wait.total_seconds()
                    )
        return delivered

    def set_policy(self, clinic_id: str, raw: Mapping[str, Any]) -> Policy:
        """Store a clinic's policy (admin CLI); PolicyError if it is not valid."""
        policy = Policy.parse(raw, strict=True)
        with self.db.write() as w:
            if not repo.set_policy(w, clinic_id, policy.to_json()):
                raise PolicyError("no such clinic")
        return policy
