"""A session's first frame: the page's own properties set before the root component renders, and
what waits until the browser has drawn that frame."""

from __future__ import annotations

import asyncio

import flet as ft

from app.domain.zones import clinic_timezone
from app.i18n import Translator, negotiate
from app.state.first_frame import FirstFrame, current_first_frame
from app.ui.theme import app_theme, theme_mode

# First paint waits for everything in the first frame, and what arrives while the browser draws it
# is built alongside it; by this long after the frame left, the browser has drawn it
# (bench/ui_first_paint.py, docs/PERFORMANCE.md).
AFTER_FIRST_FRAME_SECONDS = 0.6


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
    # No cross-fade into a new theme. Flutter animates one over 200 ms and rebuilds the whole
    # screen in every frame of it, and each session's first frame is such a change (from the
    # loading screen's default theme): those frames held up the browser's renderer while it was
    # still starting, and the first session reached the screen ~0.2 s later (docs/PERFORMANCE.md).
    # Light / dark in Settings then switches in one step too.
    page.theme_animation_style = ft.AnimationStyle.no_animation()
    page.padding = 0
    supported, current = tr.locale_configuration()
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale(lang, country) for lang, country in supported],
        current_locale=ft.Locale(*current),
    )


def use_after_first_frame(*, wait_outside_it: bool = False) -> bool:
    """False while the component renders in the session's first frame, True from
    AFTER_FIRST_FRAME_SECONDS later. A component first drawn in a later frame: True at once, or
    with `wait_outside_it` AFTER_FIRST_FRAME_SECONDS later too (the support layer, never part of the
    frame that first draws the shell).

    For what a screen shows below its first screenful: left out of the first frame, it costs the
    server no diff and the browser no build before the patient sees the screen."""
    after, set_after = ft.use_state(not wait_outside_it and current_first_frame() is None)

    async def wait_for_first_paint() -> None:
        if not after:
            await asyncio.sleep(AFTER_FIRST_FRAME_SECONDS)
            set_after(True)

    ft.use_effect(wait_for_first_paint, dependencies=[])
    return bool(after)
