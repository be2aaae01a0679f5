"""The patient's main destinations, shared by the navigation bar (narrow) and rail (wide)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.i18n import N_, Translator
from app.ui.context import WidthContext, use_tr
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


LABEL_SIZE = 12  # Material 3's navigation bar label (labelMedium)
LABEL_ROOM = 8  # horizontal room a destination keeps around its label


def label_behaviour(
    measured: dict[str, float], labels: list[str], selected: int | None, bar_width: float
) -> ft.NavigationBarLabelBehavior:
    """Every label fits its tab on one line: all shown. Only the chosen one does: it alone (where
    the patient is stays named on screen). Otherwise, on a screen of no tab, or before the labels
    are measured: icons only (never a label broken inside a word)."""
    room = bar_width / len(labels) - LABEL_ROOM

    def fits(label: str) -> bool:
        return label in measured and measured[label] <= room

    if all(fits(label) for label in labels):
        return ft.NavigationBarLabelBehavior.ALWAYS_SHOW
    if selected is not None and fits(labels[selected]):
        return ft.NavigationBarLabelBehavior.ONLY_SHOW_SELECTED
    return ft.NavigationBarLabelBehavior.ALWAYS_HIDE


@ft.component
def NavBar(selected: int | None, on_change: Callable[[Any], Any]) -> Any:
    """The bottom bar, with its labels only when every one fits its tab on one line.

    A label too wide for its tab (a 200 % zoom, large text, a long translation) would break inside
    its word ("Assig/nment/s"); then, as Material does at large text, the bar shows only the chosen
    tab's label, or icons only (a hidden label still names its tab for screen readers). Whether
    they fit is measured, not guessed: an invisible copy of each label, laid out unconstrained at
    the bar's text size, reports its width (so the browser's text size and the language count).
    """
    tr = use_tr()
    width = float(ft.use_context(WidthContext))
    labels = [tr.gettext(d.label) for d in DESTINATIONS]
    widths, set_widths = ft.use_state(dict[str, float]())

    def measured(label: str) -> Callable[[Any], None]:
        def handler(e: Any) -> None:
            if widths.get(label) != e.width:
                set_widths({**widths, label: float(e.width)})

        return handler

    probe = ft.Container(
        left=0,
        top=0,
        opacity=0,  # never painted, and out of the semantics tree
        content=ft.Row(
            [
                ft.Text(
                    label,
                    size=LABEL_SIZE,
                    weight=ft.FontWeight.W_500,
                    no_wrap=True,
                    on_size_change=measured(label),
                )
                for label in labels
            ],
        ),
    )
    bar = ft.NavigationBar(
        selected_index=selected if selected is not None else 0,
        # On a screen of no tab (support): no tab looks chosen.
        indicator_color=ft.Colors.TRANSPARENT if selected is None else None,
        destinations=bar_destinations(tr),
        label_behavior=label_behaviour(widths, labels, selected, width),
        on_change=on_change,
    )
    return ft.Stack([probe, bar], clip_behavior=ft.ClipBehavior.HARD_EDGE)
