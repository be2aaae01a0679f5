"""What Flet's crash screen says when a session of the app or the console fails before its first
screen (flet_guard)."""

from __future__ import annotations

from app.ui.failure_notice import CRASH_MESSAGE
from console.main import CRASH_MESSAGE as CONSOLE_CRASH_MESSAGE


def test_the_crash_message_is_one_line_flet_shows_no_more_of_it() -> None:
    # Flet 1.0.5's crash screen shows "The application encountered an error: " and the first line.
    assert "\n" not in CRASH_MESSAGE


def test_the_crash_message_names_911_and_988_in_each_of_the_apps_languages() -> None:
    assert CRASH_MESSAGE.startswith("Waypoint could not open this screen.")
    for words in ("If you are in danger, call 911", "Si estás en peligro, llama al 911", "ligue para o 911"):
        assert words in CRASH_MESSAGE
    assert CRASH_MESSAGE.count("988") == 3


def test_the_consoles_crash_message_is_one_line_in_each_of_its_languages() -> None:
    assert "\n" not in CONSOLE_CRASH_MESSAGE
    for words in ("Reload the page", "Vuelve a cargar la página", "Recarregue a página"):
        assert words in CONSOLE_CRASH_MESSAGE
