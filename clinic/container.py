"""The services one server process uses, built once at start-up from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from clinic.config import Settings
from clinic.database import Database
from clinic.notify import AlertHub
from clinic.security import Passwords
from clinic.services.alerts import AlertService
from clinic.services.auth import AuthService
from clinic.services.checkins import CheckinService
from clinic.services.escalation import EscalationService
from clinic.services.feeds import FeedService
from clinic.services.flags import FlagService
from clinic.services.live import LiveService
from clinic.services.mutations import MutationService
from clinic.services.notifier import WebhookNotifier
from clinic.services.sharing import SharingService
from clinic.services.staff import StaffService
from clinic.services.sync import SyncService
from clinic.services.watch import StreamWatch


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    hub: AlertHub
    auth: AuthService
    sync: SyncService
    mutations: MutationService
    alerts: AlertService
    staff: StaffService
    sharing: SharingService
    checkins: CheckinService
    flags: FlagService
    escalation: EscalationService
    live: LiveService
    feeds: FeedService
    watch: StreamWatch

    @classmethod
    def build(cls, settings: Settings, passwords: Passwords | None = None) -> Services:
        db = Database(settings.database_url)
        passwords = passwords or Passwords()
        hub = AlertHub()
        auth = AuthService(db, settings, passwords)
        alerts = AlertService(db, settings, hub.fire)
        return cls(
            settings=settings,
            db=db,
            hub=hub,
            auth=auth,
            sync=SyncService(db, settings),
            mutations=MutationService(db, settings, alerts, hub.fire),
            alerts=alerts,
            staff=StaffService(db, settings, passwords, hub.fire),
            sharing=SharingService(db, settings, auth),
            checkins=CheckinService(db, settings),
            flags=FlagService(db, settings, hub.fire),
            escalation=EscalationService(db, settings, WebhookNotifier(settings.clock), hub.fire),
            live=LiveService(db, settings),
            feeds=FeedService(db, settings),
            watch=StreamWatch(db, settings, auth, hub),
        )
