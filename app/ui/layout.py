"""Small layout helpers shared by the screens (plain functions returning controls)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import Handler, nav_to


def tagged(
    identifier: str,
    control: ft.Control,
    label: str | None = None,
    *,
    container: bool = False,
    live_region: bool | None = None,
    selected: bool | None = None,
    button: bool | None = None,
    expand: bool | int | None = None,
) -> ft.Control:
    """`control` findable by `identifier` (the e2e tests' locator and the automation id in the
    semantics tree), keyed by it too so Flutter keeps its state when its siblings change."""
    return ft.Semantics(
        key=identifier,
        identifier=identifier,
        label=label,
        container=container,
        live_region=live_region,
        selected=selected,
        button=button,
        expand=expand,
        content=control,
    )


def screen(title: str, controls: list[ft.Control], identifier: str | None = None) -> ft.Control:
    """A scrolling screen body with a large title."""
    body = ft.ListView(
        expand=True,
        padding=ft.Padding.only(left=16, right=16, top=4, bottom=24),
        spacing=12,
        controls=[ft.Text(title, size=26, weight=ft.FontWeight.W_700), *controls],
    )
    if identifier is None:
        return body
    return tagged(identifier, body, container=True, expand=True)


def section(title: str, controls: list[ft.Control], stretch: bool = False) -> ft.Control:
    """A titled group; `stretch`: its fields and cards take the full width of the screen."""
    heading = ft.Text(title, size=18, weight=ft.FontWeight.W_600, color=ft.Colors.PRIMARY)
    if stretch:
        return ft.Column(
            spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=[heading, *controls]
        )
    return ft.Column(spacing=8, controls=[heading, *controls])


def choice(identifier: str, label: str, chosen: bool, handler: Handler) -> ft.Control:
    """One of a row of exclusive options: filled when chosen, and marked selected for screen readers."""
    kind = ft.FilledButton if chosen else ft.OutlinedButton
    return tagged(identifier, kind(content=label, on_click=handler), selected=chosen)


def choice_row(controls: list[ft.Control]) -> ft.Control:
    """Options side by side (`choice`s, or buttons of equal weight), wrapping onto more lines on a
    narrow screen or at a large text size."""
    return ft.Row(wrap=True, spacing=8, run_spacing=8, controls=controls)


def card(content: ft.Control, bgcolor: str | None = None) -> ft.Control:
    return ft.Container(
        padding=16,
        border_radius=16,
        bgcolor=bgcolor or ft.Colors.SURFACE_CONTAINER,
        content=content,
    )


def error_banner(identifier: str, message: str) -> ft.Control:
    """A form's error, announced by screen readers as it appears (a live region)."""
    return tagged(
        identifier,
        ft.Container(
            padding=12,
            border_radius=12,
            bgcolor=ft.Colors.ERROR_CONTAINER,
            content=ft.Text(message, color=ft.Colors.ON_ERROR_CONTAINER, size=15),
        ),
        live_region=True,
    )


def muted(text: str) -> ft.Control:
    return ft.Text(text, size=14, color=ft.Colors.ON_SURFACE_VARIANT)


def icon_button(icon: ft.IconData, label: str, on_click: Any, icon_size: float | None = None) -> ft.Control:
    """An icon-only button a screen reader can name: the label sits on the icon, which Flutter merges
    into the button; the tooltip (for a mouse) stays out of the semantics tree, where it would put the
    label on a role-less wrapper node and leave the button itself nameless (axe: aria-command-name)."""
    return ft.IconButton(
        icon=ft.Icon(icon, semantics_label=label),
        icon_size=icon_size,
        tooltip=ft.Tooltip(message=label, exclude_from_semantics=True),
        on_click=on_click,
    )


def back_button(label: str, route: str) -> ft.Control:
    return ft.Row([ft.TextButton(content=label, icon=ft.Icons.ARROW_BACK, on_click=nav_to(route))])
