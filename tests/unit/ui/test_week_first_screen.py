"""Which days of the week go in a session's first frame (app/ui/week.py: first_screen_days)."""

from __future__ import annotations

from app.ui.week import FIRST_FRAME_CARDS, first_screen_days


def test_whole_days_up_to_the_one_that_fills_the_screen() -> None:
    # Mon 4, Tue none, Wed 5, Thu 3, Fri 3: Monday to Wednesday fill the screen.
    assert first_screen_days([4, 0, 5, 3, 3, 0, 0], budget=8) == 3


def test_a_day_is_never_cut_in_two() -> None:
    assert first_screen_days([6, 6, 6], budget=8) == 2
    assert first_screen_days([12, 1], budget=8) == 1


def test_an_empty_day_takes_a_line() -> None:
    assert first_screen_days([0] * 7, budget=3) == 3


def test_a_short_week_is_shown_whole() -> None:
    assert first_screen_days([1, 0, 1], budget=FIRST_FRAME_CARDS) == 3
    assert first_screen_days([], budget=FIRST_FRAME_CARDS) == 0
