"""Calm, warm colours and the icon + colour of each session kind (plain functions, no components)."""

from __future__ import annotations

import flet as ft

from app.domain.model import SessionKind

SEED = "#B86B4B"  # warm terracotta; Material 3 derives soft tones from it
SUPPORT_BG = "#8C2F39"  # a deep, calm red: noticeable without alarm
SUPPORT_FG = "#FFFFFF"

# Status colours: the same meaning on every theme, each theme its own tone of it, so that the text
# reads at 4.5:1 or more on that theme's cards (tests/unit/ui/test_theme.py computes it). They ride
# in the colour scheme (error, secondary), so a control names the role and the theme picks the tone.
STATUS_TONES: dict[bool, dict[str, str]] = {  # dark: role -> colour
    False: {"late": "#B3261E", "changed": "#8A5A00", "on_late": "#FFFFFF"},
    True: {"late": "#FFB4AB", "changed": "#F5BD62", "on_late": "#690005"},
}
LATE = ft.Colors.ERROR  # an overdue assignment, a cancelled session
CHANGED = ft.Colors.SECONDARY  # due soon, a moved session
OK_BG = "#DCEFD9"  # an alert seen, or sent and within its answer time
OK_FG = "#1E4620"
WARN_BG = "#FCE8C8"  # an alert not sent yet, or overdue
WARN_FG = "#5A3A00"
REASONS_BG = "#FFF1E0"  # the coping plan's reasons for recovery
REASONS_FG = "#5A3A1A"
QR_BG = ft.Colors.WHITE  # a QR code needs a light quiet zone, in dark mode too

KIND_STYLE: dict[SessionKind, tuple[ft.IconData, str]] = {
    SessionKind.CHECK_IN: (ft.Icons.WAVING_HAND_OUTLINED, "#C77D3A"),
    SessionKind.PROCESS_GROUP: (ft.Icons.GROUPS_OUTLINED, "#4F7A6A"),
    SessionKind.INDIVIDUAL_COUNSELLING: (ft.Icons.CHAT_OUTLINED, "#6B6FB0"),
    SessionKind.EDUCATION_CLASS: (ft.Icons.MENU_BOOK_OUTLINED, "#3F7CA6"),
    SessionKind.PSYCHIATRIST: (ft.Icons.MEDICAL_SERVICES_OUTLINED, "#9A5B8F"),
    SessionKind.PHYSICIAN_ASSISTANT: (ft.Icons.HEALTH_AND_SAFETY_OUTLINED, "#8A6BB0"),
    SessionKind.FAMILY_SESSION: (ft.Icons.FAMILY_RESTROOM_OUTLINED, "#B0645A"),
    SessionKind.DRUG_TEST: (ft.Icons.SCIENCE_OUTLINED, "#6F7F8F"),
    SessionKind.LUNCH: (ft.Icons.RESTAURANT_OUTLINED, "#A8894A"),
    SessionKind.ACTIVITY: (ft.Icons.DIRECTIONS_WALK_OUTLINED, "#5E8C4A"),
    SessionKind.SESSION: (ft.Icons.EVENT_OUTLINED, "#6F7F8F"),
}


def kind_icon(kind: SessionKind) -> ft.IconData:
    return KIND_STYLE.get(kind, KIND_STYLE[SessionKind.SESSION])[0]


def kind_colour(kind: SessionKind) -> str:
    return KIND_STYLE.get(kind, KIND_STYLE[SessionKind.SESSION])[1]


# Buttons change state in one step, not over Material's 200 ms: the support screen is kept built
# and disabled while hidden (app/ui/support_layer.py), and its call buttons must read enabled in the
# very frame they appear, not fade in from grey. A form's Save turning enabled lands at once too.
_BUTTON_STYLE = ft.ButtonStyle(animation_duration=ft.Duration())


def app_theme(dark: bool) -> ft.Theme:
    tones = STATUS_TONES[dark]
    return ft.Theme(
        color_scheme_seed=SEED,
        color_scheme=ft.ColorScheme(
            error=tones["late"], on_error=tones["on_late"], secondary=tones["changed"]
        ),
        visual_density=ft.VisualDensity.COMFORTABLE,
        use_material3=True,
        button_theme=ft.ButtonTheme(style=_BUTTON_STYLE),
        filled_button_theme=ft.FilledButtonTheme(style=_BUTTON_STYLE),
        outlined_button_theme=ft.OutlinedButtonTheme(style=_BUTTON_STYLE),
        text_button_theme=ft.TextButtonTheme(style=_BUTTON_STYLE),
        icon_button_theme=ft.IconButtonTheme(style=_BUTTON_STYLE),
    )


def theme_mode(dark: bool | None) -> ft.ThemeMode:
    if dark is None:
        return ft.ThemeMode.SYSTEM
    return ft.ThemeMode.DARK if dark else ft.ThemeMode.LIGHT
