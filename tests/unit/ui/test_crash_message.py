"""What Flet's crash screen says when a patient's session fails before its first screen (flet_guard)."""

from __future__ import annotations

from app.ui.failure_notice import CRASH_MESSAGE


def test_the_crash_message_is_one_line_flet_shows_no_more_of_it() -> None:
    # Flet 1.0.5's crash screen shows "The application encountered an error: " and the first line.
    assert "\n" not in CRASH_MESSAGE


def test_the_crash_message_names_911_and_988_in_each_of_the_apps_languages() -> None:
    assert CRASH_MESSAGE.startswith("Waypoint could not open this screen.")
    for words in ("If you are in danger, call 911", "Si estás en peligro, llama al 911", "ligue para o 911"):
        assert words in CRASH_MESSAGE
    assert CRASH_MESSAGE.count("988") == 3
