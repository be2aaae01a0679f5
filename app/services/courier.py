"""AlertCourier: support alerts that outlived their session, kept in the keychain until delivered.

When a device loses its session (sign-out, revocation, a session that cannot be renewed) the store
is wiped, but an alert the clinic has not acknowledged receiving must not be. Before the wipe the
AccountKeeper hands each such alert to the courier as a *parcel*: the clinic's address, the
account, the device id and a copy of the device's private key, and the alerts (id, created_at).
All parcels live in one keychain item (written whole, so a parcel is either kept or not); nothing
in them is a record of treatment beyond "an alert was raised at this time".

The courier sends each alert with the device signature alone (no bearer, so no refresh can be
triggered), under the alert's own id as the idempotency key, and drops it from its parcel only
after the clinic's 2xx answer: a lost reply means a resend that the clinic answers with the same
alert. A parcel without a key or device id cannot be signed; it is kept (and shown) until then.
When the same patient signs in again on this device, their kept alerts join the new session's
outbox (the clinic keys alerts per patient, so one already received is answered as such) and show
on its support screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.api import errors as api_errors
from app.api.client import ClinicClient
from app.domain.model import JSON, AlertState, SupportAlert
from app.secrets.base import SecretStore
from app.secrets.device_key import FixedIdentity
from app.secrets.errors import SecretsError
from app.sync.status import StatusBoard

log = logging.getLogger(__name__)

PARCELS = "undelivered-alerts"  # the keychain item
MAX_DELAY = 300.0


@dataclass(frozen=True, slots=True)
class Parcel:
    server_url: str
    account_id: str
    device_id: str | None
    device_key: str | None  # private key, base64url; only ever in the keychain
    alerts: tuple[tuple[str, str], ...]  # (alert id, created_at ISO 8601)

    @property
    def signable(self) -> bool:
        return self.device_id is not None and self.device_key is not None

    def to_json(self) -> JSON:
        return {
            "server_url": self.server_url,
            "account_id": self.account_id,
            "device_id": self.device_id,
            "device_key": self.device_key,
            "alerts": [list(a) for a in self.alerts],
        }

    @classmethod
    def parse(cls, raw: object) -> Parcel:
        if not isinstance(raw, dict):
            raise TypeError("a parcel is an object")
        return cls(
            str(raw["server_url"]),
            str(raw["account_id"]),
            None if raw.get("device_id") is None else str(raw["device_id"]),
            None if raw.get("device_key") is None else str(raw["device_key"]),
            tuple((str(a[0]), str(a[1])) for a in raw["alerts"]),
        )

    def __repr__(self) -> str:  # never the key
        return f"Parcel(device_id={self.device_id!r}, alerts={len(self.alerts)})"


class AlertCourier:
    """Keeps parcels in the keychain and delivers them with the device signature."""

    def __init__(
        self,
        secrets: SecretStore,
        *,
        transport: Any,
        clock: Callable[[], datetime],
        board: StatusBoard,
        retry: float = 5.0,
    ) -> None:
        self._secrets = secrets
        self._transport = transport
        self._clock = clock
        self._board = board
        self._retry = retry  # while offline, try this often: an alert waits
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._delivered: dict[str, str] = {}  # alert id → created_at, this process only
        self._failures = 0
        self._offline = False

    # -- the keychain item ----------------------------------------------------------------------

    async def parcels(self) -> list[Parcel]:
        text = await self._secrets.get(PARCELS)
        if text is None:
            return []
        try:
            return [Parcel.parse(p) for p in json.loads(text)]
        except (ValueError, KeyError, TypeError, IndexError):
            log.warning("courier: the kept alerts are unreadable")
            return []

    async def _save(self, parcels: list[Parcel]) -> None:
        kept = [p for p in parcels if p.alerts]
        if kept:
            await self._secrets.set(PARCELS, json.dumps([p.to_json() for p in kept]))
        else:
            await self._secrets.delete(PARCELS)

    async def keep(self, parcel: Parcel) -> None:
        """Add a parcel (merged with one for the same device); on the keychain when this returns."""
        async with self._lock:
            parcels = await self.parcels()
            for i, old in enumerate(parcels):
                if (old.server_url, old.account_id, old.device_id) == (
                    parcel.server_url,
                    parcel.account_id,
                    parcel.device_id,
                ):
                    known = {a[0] for a in old.alerts}
                    alerts = old.alerts + tuple(a for a in parcel.alerts if a[0] not in known)
                    parcels[i] = replace(old, alerts=alerts, device_key=old.device_key or parcel.device_key)
                    break
            else:
                parcels.append(parcel)
            await self._save(parcels)
        self._wake.set()

    async def take_for(self, server_url: str, account_id: str) -> list[tuple[str, str]]:
        """The kept alerts of a patient signing in again here: their new session sends them."""
        async with self._lock:
            parcels = await self.parcels()
            mine = [p for p in parcels if (p.server_url, p.account_id) == (server_url, account_id)]
            if not mine:
                return []
            await self._save([p for p in parcels if p not in mine])
            return [a for p in mine for a in p.alerts]

    async def alerts(self) -> tuple[SupportAlert, ...]:
        """Kept alerts (not sent yet) and those delivered by this process (sent), newest first."""
        queued = {a[0]: a[1] for p in await self.parcels() for a in p.alerts}
        found = [SupportAlert(i, datetime.fromisoformat(c), AlertState.QUEUED) for i, c in queued.items()]
        found += [
            SupportAlert(i, datetime.fromisoformat(c), AlertState.SENT)
            for i, c in self._delivered.items()
            if i not in queued
        ]
        return tuple(sorted(found, key=lambda a: a.created_at, reverse=True))

    # -- delivery ---------------------------------------------------------------------------------

    async def deliver(self) -> bool:
        """One pass over every signable parcel; True when nothing signable is left to send."""
        async with self._lock:
            parcels = await self.parcels()
        sent = 0
        offline = False
        left = False
        for parcel in parcels:
            if not parcel.signable:
                continue
            assert parcel.device_id is not None
            assert parcel.device_key is not None
            signer = FixedIdentity(parcel.device_id, parcel.device_key)
            client = ClinicClient(
                parcel.server_url, transport=self._transport, signer=signer, clock=self._clock
            )
            try:
                for alert_id, created_at in parcel.alerts:
                    try:
                        await client.raise_support_alert(alert_id, created_at, session=False)
                    except api_errors.NetworkError:
                        offline, left = True, True
                        break
                    except api_errors.ApiError as exc:
                        left = True
                        log.warning("courier: the clinic refused a signed alert (%s)", exc.code)
                        continue
                    await self._settle(alert_id, created_at)
                    sent += 1
            finally:
                await client.aclose()
        if sent:
            self._board.notify()
        self._failures = 0 if not left else self._failures + 1
        self._offline = offline
        return not left

    async def _settle(self, alert_id: str, created_at: str) -> None:
        async with self._lock:
            parcels = await self.parcels()
            await self._save(
                [replace(p, alerts=tuple(a for a in p.alerts if a[0] != alert_id)) for p in parcels]
            )
        self._delivered[alert_id] = created_at
        log.info("courier: a kept alert was delivered with the device signature")

    async def pending(self) -> bool:
        return any(p.signable and p.alerts for p in await self.parcels())

    def kick(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Deliver until no signable parcel is left; quick retries while offline, slower when refused."""
        while True:
            self._wake.clear()
            try:
                done = await self.deliver()
            except SecretsError as exc:
                log.warning("courier: the keychain refused (%s)", exc.code)
                done, self._offline = False, True
            if done and not await self.pending():
                self._board.update(next_try=None)
                return
            delay = (
                self._retry if self._offline else min(MAX_DELAY, self._retry * 2 ** min(self._failures, 6))
            )
            self._board.update(next_try=self._clock() + timedelta(seconds=delay))  # said on the screen
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
