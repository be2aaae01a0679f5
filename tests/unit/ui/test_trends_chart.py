"""What My trends' line chart is given: a point on every answered day for each item, a gap in the
line on a day nobody answered, each line told apart without colour, and dates on the axis in the
session's language."""

from __future__ import annotations

from datetime import date, timedelta

import flet as ft
import flet_charts as fch

from app.domain.checkins import DayPoint, Trends
from app.i18n import Translator
from app.ui.trends import trend_chart

LAST = date(2026, 11, 30)  # a Monday
FIRST = LAST - timedelta(days=27)  # Tuesday 3 November


def day(n: int) -> date:
    return FIRST + timedelta(days=n)


def lines_of(chart: fch.LineChart, item: str) -> list[list[tuple[float, float]]]:
    return [[(p.x, p.y) for p in line.points] for line in chart.data_series if line.data == item]


def test_every_answered_day_is_a_point_and_a_skipped_day_a_gap() -> None:
    points = (
        DayPoint(day(0), {"craving": 6, "mood": 4, "confidence": 5}),
        DayPoint(day(1), {"craving": 5, "mood": 5, "confidence": 5}),
        DayPoint(day(2), {"craving": 4, "mood": 6}),  # confidence left unanswered
        # day 3 skipped
        DayPoint(day(4), {"craving": 3, "mood": 7, "confidence": 7}),
        DayPoint(day(27), {"craving": 2, "mood": 8, "confidence": 8}),
    )
    chart = trend_chart(Translator("en"), Trends(FIRST, LAST, points))

    # x counts days from the first week's Monday (the grid's weekly lines fall on Mondays); half a
    # day of room each side.
    assert (chart.min_x, chart.max_x) == (0.5, 28.5)
    assert (chart.min_y, chart.max_y) == (0, 10)
    assert lines_of(chart, "craving") == [[(1, 6), (2, 5), (3, 4)], [(5, 3)], [(28, 2)]]
    assert lines_of(chart, "mood") == [[(1, 4), (2, 5), (3, 6)], [(5, 7)], [(28, 8)]]
    assert lines_of(chart, "confidence") == [[(1, 5), (2, 5)], [(5, 7)], [(28, 8)]]


def test_no_check_ins_no_lines() -> None:
    chart = trend_chart(Translator("en"), Trends(FIRST, LAST, ()))
    assert chart.data_series == []
    assert chart.bottom_axis is not None
    assert all(label.value % 7 == 0 for label in chart.bottom_axis.labels)  # the Mondays only


def test_each_line_has_its_own_dash_pattern_and_point_shape() -> None:
    points = (DayPoint(day(0), {"craving": 1, "mood": 2, "confidence": 3}),)
    chart = trend_chart(Translator("en"), Trends(FIRST, LAST, points))
    looks = {(str(line.dash_pattern), type(line.point).__name__) for line in chart.data_series}
    assert len(looks) == 3


def test_the_date_axis_marks_check_in_days_and_names_mondays_in_the_language() -> None:
    points = (DayPoint(day(1), {"craving": 4}), DayPoint(day(6), {"craving": 4}))  # Wed 4, Mon 9 Nov
    chart = trend_chart(Translator("es"), Trends(FIRST, LAST, points))
    assert chart.bottom_axis is not None
    labels = {
        label.value: [c.value for c in label.label.controls if isinstance(c, ft.Text)]
        for label in chart.bottom_axis.labels
    }
    assert labels == {2: [], 7: ["9 nov"], 14: ["16 nov"], 21: ["23 nov"], 28: ["30 nov"]}
    dots = {
        label.value
        for label in chart.bottom_axis.labels
        if label.label.controls[0].bgcolor is not None  # the check-in day's dot
    }
    assert dots == {2, 7}
    tooltips = [p.tooltip for line in chart.data_series for p in line.points]
    assert tooltips == ["Deseo de consumir: 4", "Deseo de consumir: 4"]
