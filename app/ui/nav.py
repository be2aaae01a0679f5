"""The patient's main destinations, shared by the navigation bar (narrow) and rail (wide)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.i18n import N_, Translator
from app.ui.layout import tagged


@dataclass(frozen=True, slots=True)
class Destination:
    route: str
    identifier: str
    label: str  # untranslated message id
    icon: ft.IconData
    selected_icon: ft.IconData


DESTINATIONS: list[Destination] = [
    Destination("/", "nav-today", N_("Today"), ft.Icons.WB_SUNNY_OUTLINED, ft.Icons.WB_SUNNY),
    Destination(
        "/week", "nav-week", N_("Week"), ft.Icons.CALENDAR_VIEW_WEEK_OUTLINED, ft.Icons.CALENDAR_VIEW_WEEK
    ),
    Destination(
        "/assignments",
        "nav-assignments",
        N_("Assignments"),
        ft.Icons.ASSIGNMENT_OUTLINED,
        ft.Icons.ASSIGNMENT,
    ),
    Destination("/checkin", "nav-checkin", N_("Check-ins"), ft.Icons.INSIGHTS_OUTLINED, ft.Icons.INSIGHTS),
    Destination("/sharing", "nav-sharing", N_("Sharing"), ft.Icons.PEOPLE_OUTLINE, ft.Icons.PEOPLE),
    Destination("/settings", "nav-settings", N_("Settings"), ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
]


def selected_index(pathname: str) -> int | None:
    for index, dest in reversed(list(enumerate(DESTINATIONS))):
        if dest.route == "/" and pathname == "/":
            return index
        if dest.route != "/" and (pathname == dest.route or pathname.startswith(dest.route + "/")):
            return index
    return None


def bar_destinations(tr: Translator) -> list[ft.NavigationBarDestination]:
    return [
        ft.NavigationBarDestination(
            icon=tagged(d.identifier, ft.Icon(d.icon)),
            selected_icon=tagged(d.identifier, ft.Icon(d.selected_icon)),
            label=tr.gettext(d.label),
        )
        for d in DESTINATIONS
    ]


def rail_destinations(tr: Translator) -> list[ft.NavigationRailDestination]:
    return [
        ft.NavigationRailDestination(
            icon=tagged(d.identifier, ft.Icon(d.icon)),
            selected_icon=tagged(d.identifier, ft.Icon(d.selected_icon)),
            label=tr.gettext(d.label),
        )
        for d in DESTINATIONS
    ]
