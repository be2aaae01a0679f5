"""The page's own properties for a session's first frame, set before the root component renders."""

from __future__ import annotations

import flet as ft

from app.domain.zones import clinic_timezone
from app.i18n import Translator, negotiate
from app.state.first_frame import FirstFrame
from app.ui.theme import app_theme, theme_mode


def dress_page(page: ft.Page, frame: FirstFrame) -> None:
    """Set what app/ui/root.py's App sets on the page (title, themes, locales), through the same `dress`.

    Flet sends a property the root sets during its first render in a second update after the
    controls: the browser then lays out the whole first screen, and lays it out again in the
    seeded theme. Set here first, the root's assignments are equal values, which change nothing,
    and the theme goes out with the first frame.
    """
    language = frame.prefs.language or negotiate(None)
    tr = Translator(language, clinic_timezone(frame.support.clinic if frame.support else None))
    dress(page, tr, discreet=frame.prefs.discreet, dark=frame.prefs.dark)


def dress(page: ft.Page, tr: Translator, *, discreet: bool, dark: bool | None) -> None:
    """The page's title, themes and locales: the first frame's (above) and every render's of App."""
    page.title = "Waypoint" if discreet else tr.gettext("Waypoint — my recovery")
    page.theme = app_theme(False)
    page.dark_theme = app_theme(True)
    page.theme_mode = theme_mode(dark)
    page.padding = 0
    supported, current = tr.locale_configuration()
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale(lang, country) for lang, country in supported],
        current_locale=ft.Locale(*current),
    )
