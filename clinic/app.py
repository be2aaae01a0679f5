"""The FastAPI application: routers, problem+json handlers, body limit, migrations at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from clinic.container import Services
from clinic.errors import CatchAll, install_handlers
from clinic.limits import BodyLimit
from clinic.notify import PgListener
from clinic.routers import alerts, auth, family, feeds, health, live, patient, staff

log = logging.getLogger("clinic")

PURGE_EVERY_SECONDS = 3600.0


def create_app(services: Services) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(services.db.migrate)
        services.hub.bind(asyncio.get_running_loop())
        listener = None if services.db.is_sqlite else PgListener(services.db.url, services.hub)
        if listener is not None:
            listener.start()
        purger = asyncio.create_task(_purge_forever(services))
        sweeper = asyncio.create_task(_sweep_forever(services))
        escalator = asyncio.create_task(_every(services.escalation.sweep, "escalation sweep", services))
        pager = asyncio.create_task(_every(services.escalation.deliver_due, "pager delivery", services))
        watcher = asyncio.create_task(services.watch.run())  # every open stream's re-checks and reads
        try:
            yield
        finally:
            if listener is not None:
                await asyncio.to_thread(listener.stop)
            for task in (purger, sweeper, escalator, pager, watcher):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            services.db.dispose()

    app = FastAPI(
        title="Clinic Sync API",
        version="1",
        description="The interface between the Waypoint app and a clinic. See docs/api.md.",
        lifespan=lifespan,
    )
    app.state.services = services
    install_handlers(app)
    for module in (health, auth, patient, family, staff, alerts, live, feeds):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=services.settings.max_body_bytes)
    app.add_middleware(CatchAll)  # added last = outermost: it sees every failure of the rest
    return app


async def _purge_forever(services: Services) -> None:
    while True:
        try:
            await asyncio.to_thread(services.sync.purge)
        except Exception as exc:  # a failed purge must not stop the server; it retries later
            log.warning("tombstone purge failed type=%s", type(exc).__name__)
        retention = services.settings.tombstone_retention.total_seconds()
        await asyncio.sleep(min(PURGE_EVERY_SECONDS, max(0.5, retention / 2)))


async def _sweep_forever(services: Services) -> None:
    """The missed-check-in rule, from stored data: a restart resumes it, a second process is harmless."""
    while True:
        try:
            await asyncio.to_thread(services.flags.sweep)
        except Exception as exc:  # a failed sweep must not stop the server; the next one catches up
            log.warning("missed check-in sweep failed type=%s", type(exc).__name__)
        await asyncio.sleep(services.settings.flag_sweep.total_seconds())


async def _every(job: Callable[[], int], name: str, services: Services) -> None:
    """The escalation ladder and, apart (a slow pager must not delay a step), its webhook outbox:
    both from stored times, so a restart resumes them."""
    while True:
        round_ = asyncio.ensure_future(asyncio.to_thread(job))
        try:
            await asyncio.shield(round_)
        except asyncio.CancelledError:
            # Stopping: let the round finish, so a page being sent is recorded as sent (or due
            # again) instead of sitting out its claim's lease after the process is gone.
            with contextlib.suppress(Exception):
                await round_
            raise
        except Exception as exc:  # must not stop the server; the next round catches up
            log.warning("%s failed type=%s", name, type(exc).__name__)
        await asyncio.sleep(services.settings.escalation_sweep.total_seconds())
