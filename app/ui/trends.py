"""My trends (`trends-chart`, `trends-summary`): craving, mood, confidence over four weeks; the history.

The chart is a flet-charts line chart. Each line is told apart without colour too (its own dash
pattern and point shape, shown in the legend); every check-in day is a point on the lines and a dot
on the date axis, and a skipped day is a gap in the line. A screen reader reads the summary, which
says in words what the chart shows; the chart itself carries a one-line label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import flet as ft
import flet_charts as fch

from app.domain.checkins import TREND_ITEMS, CheckIn, DayPoint, Trends, WeekSummary, monday_of, text_in
from app.i18n import N_, Translator
from app.ui.checkin import SHORT_NAMES as NAMES
from app.ui.checkin_confirmation import delivery_text
from app.ui.context import nav_to, use_app, use_screens, use_tr
from app.ui.layout import back_button, card, muted, screen, section, tagged

HEIGHT = 240
AXIS = ft.Colors.ON_SURFACE_VARIANT  # colour-scheme roles: the theme (light or dark) picks the tone
GRID = ft.Colors.OUTLINE_VARIANT


@dataclass(frozen=True, slots=True)
class LineStyle:
    colour: str
    dashes: list[int] | None  # told apart without colour: a dash pattern and a point shape
    point: str  # "circle", "square", "cross"


STYLES: dict[str, LineStyle] = {
    "craving": LineStyle(ft.Colors.PRIMARY, None, "circle"),
    "mood": LineStyle(ft.Colors.TERTIARY, [10, 5], "square"),
    "confidence": LineStyle(ft.Colors.ON_SURFACE, [3, 4], "cross"),
}
REASONS = {
    "used": N_("used since the last check-in"),
    "contact": N_("asked to be contacted"),
    "craving": N_("strong craving"),
    "phq2": N_("PHQ-2 score"),
    "gad2": N_("GAD-2 score"),
    "missed_checkins": N_("missed check-ins"),
}


def summary_sentence(tr: Translator, summary: WeekSummary) -> str:
    name = tr.gettext(NAMES[summary.item])
    if summary.this_week is None:
        return tr.gettext("{name}: no check-ins yet this week.").format(name=name)
    now = tr.number(round(summary.this_week, 1))
    if summary.last_week is None:
        return tr.gettext("This week {name} averaged {value}.").format(name=name.lower(), value=now)
    before = tr.number(round(summary.last_week, 1))
    sentence = {
        "up": tr.gettext("This week {name} averaged {value}, up from {before} last week."),
        "down": tr.gettext("This week {name} averaged {value}, down from {before} last week."),
    }.get(summary.direction, tr.gettext("This week {name} averaged {value}, the same as last week."))
    return sentence.format(name=name.lower(), value=now, before=before)


def point_shape(style: LineStyle) -> fch.ChartPointShape:
    if style.point == "square":
        return fch.ChartSquarePoint(color=style.colour, size=7, stroke_width=0)
    if style.point == "cross":
        return fch.ChartCrossPoint(color=style.colour, size=9, width=2)
    return fch.ChartCirclePoint(color=style.colour, radius=3.5)


def day_x(day: date, trends: Trends) -> int:
    """A day's place on the x axis: days since the Monday of the chart's first week, so that the
    weekly grid lines (every 7) fall on Mondays."""
    return (day - monday_of(trends.first)).days


def runs(points: tuple[DayPoint, ...], item: str) -> list[list[DayPoint]]:
    """The days answering `item`, in stretches of consecutive days: a skipped day ends a stretch
    (the line has a gap there rather than joining across a day nobody answered)."""
    stretches: list[list[DayPoint]] = []
    for point in (p for p in points if item in p.values):
        if stretches and point.day - stretches[-1][-1].day == timedelta(days=1):
            stretches[-1].append(point)
        else:
            stretches.append([point])
    return stretches


def chart_lines(tr: Translator, trends: Trends) -> list[fch.LineChartData]:
    """One line per item and stretch of consecutive answered days, a point on each answered day."""
    lines = []
    for item in TREND_ITEMS:
        style, name = STYLES[item], tr.gettext(NAMES[item])
        for stretch in runs(trends.points, item):
            lines.append(
                fch.LineChartData(
                    points=[
                        fch.LineChartDataPoint(
                            day_x(p.day, trends),
                            p.values[item],
                            tooltip=f"{name}: {tr.number(p.values[item])}",
                        )
                        for p in stretch
                    ],
                    color=style.colour,
                    stroke_width=2.5,
                    dash_pattern=style.dashes,
                    rounded_stroke_cap=True,
                    point=point_shape(style),
                    data=item,
                )
            )
    return lines


def axis_dot() -> ft.Control:
    return ft.Container(width=5, height=5, border_radius=3, bgcolor=AXIS)


def date_labels(tr: Translator, trends: Trends) -> list[fch.ChartAxisLabel]:
    """The date axis: each Monday's date (babel, the session's language) and a dot under every
    check-in day."""
    answered = {p.day for p in trends.points}
    labels = []
    day = trends.first
    while day <= trends.last:
        parts: list[ft.Control] = [axis_dot() if day in answered else ft.Container(height=5)]
        if day.weekday() == 0:
            parts.append(ft.Text(tr.date(day, "d MMM"), size=11, color=AXIS, no_wrap=True))
        if day in answered or day.weekday() == 0:
            labels.append(
                fch.ChartAxisLabel(
                    value=day_x(day, trends),
                    label=ft.Column(
                        parts,
                        spacing=3,
                        tight=True,
                        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                )
            )
        day += timedelta(days=1)
    return labels


def trend_chart(tr: Translator, trends: Trends) -> fch.LineChart:
    return fch.LineChart(
        data_series=chart_lines(tr, trends),
        min_x=day_x(trends.first, trends) - 0.5,  # half a day each side: the end points show whole
        max_x=day_x(trends.last, trends) + 0.5,
        min_y=0,
        max_y=10,
        height=HEIGHT,
        left_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=v, label=ft.Text(tr.number(v), size=11, color=AXIS))
                for v in (0, 5, 10)
            ],
            label_spacing=5,
            label_size=26,
        ),
        bottom_axis=fch.ChartAxis(labels=date_labels(tr, trends), label_spacing=1, label_size=34),
        horizontal_grid_lines=fch.ChartGridLines(interval=5, color=GRID, width=1),
        vertical_grid_lines=fch.ChartGridLines(interval=7, color=GRID, width=1),
        border=ft.Border.all(1, GRID),
        tooltip=fch.LineChartTooltip(bgcolor=ft.Colors.INVERSE_SURFACE, fit_inside_horizontally=True),
    )


def legend_sample(style: LineStyle) -> ft.Control:
    """A short stretch of the line as the chart draws it: colour, dash pattern and point shape."""
    sample = fch.LineChart(
        data_series=[
            fch.LineChartData(
                points=[
                    fch.LineChartDataPoint(0, 1, point=False),
                    fch.LineChartDataPoint(1, 1),
                    fch.LineChartDataPoint(2, 1, point=False),
                ],
                color=style.colour,
                stroke_width=2.5,
                dash_pattern=style.dashes,
                point=point_shape(style),
            )
        ],
        min_x=0,
        max_x=2,
        min_y=0,
        max_y=2,
        width=40,
        height=16,
        interactive=False,
    )
    return ft.Semantics(exclude_semantics=True, content=sample)


@ft.component
def TrendChart(trends: Trends, description: str) -> Any:
    tr = use_tr()
    legend = ft.Row(
        wrap=True,
        spacing=16,
        controls=[
            ft.Row(
                spacing=6,
                tight=True,
                controls=[legend_sample(STYLES[item]), ft.Text(tr.gettext(NAMES[item]), size=13)],
            )
            for item in TREND_ITEMS
        ],
    )
    chart = ft.Column(
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[trend_chart(tr, trends), legend],
    )
    return tagged("trends-chart", chart, label=description, container=True)


def history_row(tr: Translator, checkin: CheckIn, title: str) -> ft.Control:
    lines: list[ft.Control] = [
        ft.Text(
            tr.gettext("{title}, {day}").format(title=title, day=tr.date(checkin.period, "full")),
            weight=ft.FontWeight.W_600,
        ),
        muted(delivery_text(tr, checkin)),
    ]
    if checkin.flag is not None:
        reasons = ", ".join(tr.gettext(REASONS[r]) for r in checkin.flag.reasons if r in REASONS)
        lines.append(muted(tr.gettext("Your care team was told: {reasons}").format(reasons=reasons)))
    return tagged(f"checkin-history-{checkin.id}", ft.Column(spacing=2, controls=lines), container=True)


@ft.component
def TrendsScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().checkins
    ft.use_effect(state.load, dependencies=[app.revision])
    controls: list[ft.Control] = [back_button(tr.gettext("Back to check-in"), "/checkin")]
    found = state.trends()
    if found is None:
        controls.append(muted(tr.gettext("Your clinic has not set up a check-in for you yet.")))
        return screen(tr.gettext("My trends"), controls, identifier="trends-screen")
    sentences = [summary_sentence(tr, s) for s in found.summaries]
    days = len(found.points)
    counted = tr.ngettext(
        "{n} check-in in the last 4 weeks.", "{n} check-ins in the last 4 weeks.", days
    ).format(n=tr.number(days))
    controls.append(
        tagged("trends-summary", card(ft.Text(" ".join([*sentences, counted]), size=16)), container=True)
    )
    if found.points:
        description = tr.gettext("Chart of craving, mood and confidence from {first} to {last}.").format(
            first=tr.date(found.first, "long"), last=tr.date(found.last, "long")
        )
        controls.append(card(TrendChart(found, description)))
    else:
        controls.append(card(muted(tr.gettext("Your chart starts with your first check-in."))))
    titles = {
        q.id: text_in(q.title, tr.code) for q in (state.overview.questionnaires if state.overview else ())
    }
    history = [
        history_row(tr, c, titles.get(c.questionnaire_id, tr.gettext("Check-in"))) for c in state.history()
    ]
    controls.append(
        section(
            tr.gettext("My check-ins"),
            [card(ft.Column(spacing=12, controls=history))]
            if history
            else [muted(tr.gettext("No check-ins yet."))],
        )
    )
    controls.append(
        ft.Row(
            [
                ft.TextButton(
                    content=tr.gettext("Check in now"), icon=ft.Icons.EDIT_NOTE, on_click=nav_to("/checkin")
                )
            ]
        )
    )
    return screen(tr.gettext("My trends"), controls, identifier="trends-screen")
