"""The one-line sync status: offline / last synced / n changes waiting (semantics id `sync-status`)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import OFFLINE_PROBLEMS, SyncStatus
from app.i18n import Translator
from app.ui.context import use_app, use_tr
from app.ui.layout import tagged


def sync_text(tr: Translator, status: SyncStatus) -> str:
    parts: list[str] = []
    if status.syncing:
        parts.append(tr.gettext("Syncing…"))
    elif not status.online:
        parts.append(tr.gettext("Offline"))
    if status.last_synced is not None:
        parts.append(tr.gettext("last synced {time}").format(time=tr.time(status.last_synced)))
    elif not status.syncing:
        parts.append(tr.gettext("not synced yet"))
    if status.pending:
        parts.append(tr.pending_changes(status.pending))
    elif status.online and status.last_synced is not None:
        parts.append(tr.gettext("all saved"))
    if status.problem and status.problem not in OFFLINE_PROBLEMS:  # "Offline" already says it
        parts.append(tr.problem(status.problem))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


@ft.component
def SyncLine() -> Any:
    tr = use_tr()
    app = use_app()
    status = app.sync
    icon = ft.Icons.CLOUD_DONE_OUTLINED if status.online else ft.Icons.CLOUD_OFF_OUTLINED
    return tagged(
        "sync-status",
        ft.Row(
            spacing=6,
            controls=[
                ft.Icon(icon, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Text(sync_text(tr, status), size=13, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
            ],
        ),
    )
