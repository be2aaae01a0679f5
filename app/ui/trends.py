"""My trends (`trends-chart`, `trends-summary`): craving, mood, confidence over four weeks; the history.

The chart is drawn on a Flet canvas (flet-charts is not in this app's environment); each line has
its own colour and dash pattern, and every check-in day is marked on the line and on the axis.
A screen reader reads the summary, which says in words what the chart shows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import flet as ft
import flet.canvas as cv

from app.domain.checkins import TREND_ITEMS, CheckIn, Trends, WeekSummary, text_in
from app.i18n import N_, Translator
from app.ui.checkin import SHORT_NAMES as NAMES
from app.ui.checkin_confirmation import delivery_text
from app.ui.context import nav_to, use_app, use_screens, use_tr
from app.ui.layout import back_button, card, muted, screen, section, tagged

HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 28, 10, 10, 26
STYLES: dict[str, tuple[str, list[float] | None]] = {  # colour, dash pattern: told apart without colour too
    "craving": ("#E8590C", None),
    "mood": ("#1C7ED6", [8, 5]),
    "confidence": ("#2F9E44", [2, 4]),
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


def chart_shapes(tr: Translator, trends: Trends, width: float, outline: str, faint: str) -> list[cv.Shape]:
    days = (trends.last - trends.first).days or 1
    inner_w = max(width - PAD_LEFT - PAD_RIGHT, 10)
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day: date) -> float:
        return PAD_LEFT + inner_w * (day - trends.first).days / days

    def y(value: float) -> float:
        return PAD_TOP + inner_h * (1 - value / 10)

    grid = ft.Paint(color=faint, stroke_width=1, style=ft.PaintingStyle.STROKE)
    label = ft.TextStyle(size=11, color=outline)
    shapes: list[cv.Shape] = []
    for value in (0, 5, 10):
        shapes.append(cv.Line(PAD_LEFT, y(value), PAD_LEFT + inner_w, y(value), paint=grid))
        shapes.append(cv.Text(4, y(value) - 7, tr.number(value), style=label))
    monday = trends.first + timedelta(days=(7 - trends.first.weekday()) % 7)
    while monday <= trends.last:
        shapes.append(cv.Text(x(monday) - 14, HEIGHT - PAD_BOTTOM + 8, tr.date(monday, "d MMM"), style=label))
        shapes.append(cv.Line(x(monday), PAD_TOP, x(monday), PAD_TOP + inner_h, paint=grid))
        monday += timedelta(days=7)
    for point in trends.points:  # the check-in days, marked on the axis
        shapes.append(
            cv.Circle(
                x(point.day),
                HEIGHT - PAD_BOTTOM + 2,
                3,
                paint=ft.Paint(color=outline, style=ft.PaintingStyle.FILL),
            )
        )
    for item in TREND_ITEMS:
        colour, dashes = STYLES[item]
        points = [(x(p.day), y(p.values[item])) for p in trends.points if item in p.values]
        if len(points) > 1:
            path = [cv.Path.MoveTo(*points[0]), *(cv.Path.LineTo(px, py) for px, py in points[1:])]
            stroke = ft.Paint(
                color=colour, stroke_width=2.5, style=ft.PaintingStyle.STROKE, stroke_dash_pattern=dashes
            )
            shapes.append(cv.Path(path, paint=stroke))
        fill = ft.Paint(color=colour, style=ft.PaintingStyle.FILL)
        shapes += [cv.Circle(px, py, 3.5, paint=fill) for px, py in points]
    return shapes


@ft.component
def TrendChart(trends: Trends, description: str) -> Any:
    tr = use_tr()
    width, set_width = ft.use_state(340.0)

    async def resized(e: Any) -> None:
        if abs(float(e.width) - width) > 1:
            set_width(float(e.width))

    legend = ft.Row(
        wrap=True,
        spacing=16,
        controls=[
            ft.Row(
                spacing=6,
                tight=True,
                controls=[
                    ft.Container(width=18, height=4, bgcolor=STYLES[item][0], border_radius=2),
                    ft.Text(tr.gettext(NAMES[item]), size=13),
                ],
            )
            for item in TREND_ITEMS
        ],
    )
    canvas = cv.Canvas(
        height=HEIGHT,
        expand=True,
        shapes=chart_shapes(tr, trends, width, "#8A8F98", ft.Colors.with_opacity(0.35, "#8A8F98")),
        on_resize=resized,
    )
    chart = ft.Column(
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[ft.Container(height=HEIGHT, content=canvas), legend],
    )
    return tagged(
        "trends-chart", ft.Semantics(label=description, container=True, content=chart), container=True
    )


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
