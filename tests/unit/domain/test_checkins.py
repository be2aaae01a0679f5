"""Check-in rules: due in the clinic's days (midnight, DST), amend the same period only, the clinic's
alert thresholds, and the trend summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.api.records import QuestionnaireRecord
from app.domain.checkins import (
    Answer,
    CheckIn,
    WeekSummary,
    can_amend,
    clinic_day,
    current,
    due_today,
    text_in,
    trend_points,
    trends,
    week_summaries,
    worrying,
)
from app.services.checkins import questionnaire
from tests.support.checkin_data import DAILY, PHQ2

NY = "America/New_York"
DAILY_Q = questionnaire("q-daily", QuestionnaireRecord.parse(DAILY))
PHQ2_Q = questionnaire("q-phq2", QuestionnaireRecord.parse(PHQ2))
CALM: dict[str, Answer] = {
    "craving": 2,
    "mood": 7,
    "confidence": 8,
    "used": False,
    "contact": False,
    "note": "",
}


def given(period: date, q_id: str = "q-daily", answers: dict[str, Answer] | None = None) -> CheckIn:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    return CheckIn(f"c-{q_id}-{period}", q_id, period, answers or CALM, at, at)


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        # 23:30 in New York is already the next day in UTC: the clinic's day is still the 2nd.
        (datetime(2026, 3, 3, 4, 30, tzinfo=UTC), date(2026, 3, 2)),
        (datetime(2026, 3, 3, 5, 0, tzinfo=UTC), date(2026, 3, 3)),
        # DST starts on 8 March 2026 at 02:00 EST: midnight is 05:00 UTC before, 04:00 UTC after.
        (datetime(2026, 3, 8, 4, 59, tzinfo=UTC), date(2026, 3, 7)),
        (datetime(2026, 3, 8, 5, 0, tzinfo=UTC), date(2026, 3, 8)),
        (datetime(2026, 3, 9, 3, 59, tzinfo=UTC), date(2026, 3, 8)),
        (datetime(2026, 3, 9, 4, 0, tzinfo=UTC), date(2026, 3, 9)),
        # DST ends on 1 November 2026: midnight is 04:00 UTC before, 05:00 UTC after.
        (datetime(2026, 11, 2, 4, 30, tzinfo=UTC), date(2026, 11, 1)),
        (datetime(2026, 11, 2, 5, 0, tzinfo=UTC), date(2026, 11, 2)),
    ],
)
def test_the_day_is_the_clinics_across_midnight_and_dst(utc: datetime, day: date) -> None:
    assert clinic_day(utc, NY) == day
    checkins = [given(day - timedelta(days=1))]
    assert due_today(DAILY_Q, checkins, utc, NY)  # yesterday's answer does not count for today
    assert not due_today(DAILY_Q, [*checkins, given(day)], utc, NY)


def test_the_daily_check_in_done_at_2330_is_due_again_after_the_clinics_midnight() -> None:
    evening = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo(NY))
    done = [given(clinic_day(evening, NY))]
    assert not due_today(DAILY_Q, done, evening, NY)
    assert due_today(DAILY_Q, done, evening + timedelta(minutes=31), NY)


def test_a_weekly_questionnaire_is_due_from_its_day_to_the_end_of_that_week_until_answered() -> None:
    wednesday = datetime(2026, 3, 4, 12, tzinfo=ZoneInfo(NY))
    thursday, sunday = wednesday + timedelta(days=1), wednesday + timedelta(days=4)
    assert not due_today(PHQ2_Q, [], wednesday, NY)
    assert due_today(PHQ2_Q, [], thursday, NY)
    assert due_today(PHQ2_Q, [], sunday, NY)
    answered = [given(date(2026, 3, 2), "q-phq2", {"interest": 0, "down": 1})]  # period: the Monday
    assert not due_today(PHQ2_Q, answered, sunday, NY)
    assert due_today(PHQ2_Q, answered, thursday + timedelta(days=7), NY)


def test_amending_is_for_the_same_clinic_day_or_week_only() -> None:
    today = datetime(2026, 3, 5, 22, tzinfo=ZoneInfo(NY))
    todays, yesterdays = given(date(2026, 3, 5)), given(date(2026, 3, 4))
    assert current(DAILY_Q, [yesterdays, todays], today, NY) == todays
    assert can_amend(DAILY_Q, todays, today, NY)
    assert not can_amend(DAILY_Q, yesterdays, today, NY)
    assert not can_amend(DAILY_Q, todays, today + timedelta(hours=2), NY)  # after the clinic's midnight
    weekly = given(date(2026, 3, 2), "q-phq2", {"interest": 0, "down": 0})
    assert can_amend(PHQ2_Q, weekly, today + timedelta(days=2), NY)  # Saturday of the same week
    assert not can_amend(PHQ2_Q, weekly, today + timedelta(days=4), NY)  # the Monday after


@pytest.mark.parametrize(
    ("changes", "alerting"),
    [
        ({}, ()),
        ({"craving": 7}, ()),
        ({"craving": 8}, ("craving",)),  # the clinic's flag_at
        ({"craving": 10, "mood": 0, "confidence": 0}, ("craving",)),  # mood and confidence never flag
        ({"used": True}, ("used",)),
        ({"contact": True}, ("contact",)),
        ({"craving": 9, "contact": True}, ("craving", "contact")),
    ],
)
def test_which_answers_alert_the_team_come_from_the_clinics_thresholds(
    changes: dict[str, int | bool], alerting: tuple[str, ...]
) -> None:
    answers = {**CALM, **changes}
    assert DAILY_Q.alerting_items(answers) == alerting
    assert worrying(DAILY_Q, answers) is bool(alerting)


def test_a_clinic_that_moves_the_craving_threshold_moves_the_alert() -> None:
    items = tuple(replace(i, flag_at=6) if i.id == "craving" else i for i in DAILY_Q.items)
    stricter = replace(DAILY_Q, items=items)
    assert stricter.alerting_items({**CALM, "craving": 6}) == ("craving",)
    assert DAILY_Q.alerting_items({**CALM, "craving": 6}) == ()


def test_a_scored_questionnaire_alerts_on_its_total() -> None:
    assert PHQ2_Q.score({"interest": 1, "down": 1}) == 2
    assert not PHQ2_Q.alerts({"interest": 1, "down": 1})
    assert PHQ2_Q.alerts({"interest": 2, "down": 1})
    assert DAILY_Q.score(CALM) is None


def test_required_answers_and_values_the_clinic_takes() -> None:
    assert DAILY_Q.missing({**CALM, "note": ""}) == ()
    assert DAILY_Q.missing({"craving": 3}) == ("mood", "confidence", "used", "contact")
    assert DAILY_Q.missing({**CALM, "craving": 11}) == ("craving",)  # out of range
    assert DAILY_Q.missing({**CALM, "used": 1}) == ("used",)  # a number is not yes/no
    assert PHQ2_Q.missing({"interest": 4, "down": 0}) == ("interest",)
    assert DAILY_Q.cleaned({**CALM, "extra": 3, "note": "x" * 2001}) == {
        k: v for k, v in CALM.items() if k != "note"
    }


def test_texts_in_the_patients_language_with_english_as_the_fallback() -> None:
    assert text_in(DAILY_Q.title, "es") == "Registro diario"
    assert text_in(DAILY_Q.title, "pt_BR") == "Registro diário"
    assert text_in({"en": "Daily"}, "pt_BR") == "Daily"
    assert text_in(None, "en") == ""


def test_the_trend_summary_compares_this_clinic_week_with_the_last() -> None:
    thursday = date(2026, 3, 12)
    checkins = [
        given(date(2026, 3, 2), answers={**CALM, "craving": 6}),  # last week: 6, 4 → 5
        given(date(2026, 3, 4), answers={**CALM, "craving": 4}),
        given(date(2026, 3, 9), answers={**CALM, "craving": 2}),  # this week: 2, 4 → 3
        given(date(2026, 3, 11), answers={**CALM, "craving": 4}),
        given(date(2026, 2, 10), answers={**CALM, "craving": 9}),  # older than four weeks: not shown
        given(date(2026, 3, 10), "q-phq2", {"interest": 3, "down": 3}),  # not a daily check-in
    ]
    points = trend_points(checkins, "q-daily", thursday)
    assert [p.day for p in points] == [
        date(2026, 3, 2),
        date(2026, 3, 4),
        date(2026, 3, 9),
        date(2026, 3, 11),
    ]
    craving, mood, confidence = week_summaries(points, thursday)
    assert craving == WeekSummary("craving", 3.0, 5.0)
    assert craving.direction == "down"
    assert mood.direction == "same"
    assert confidence.item == "confidence"
    found = trends(checkins, "q-daily", thursday)
    assert (found.first, found.last) == (date(2026, 2, 13), thursday)


def test_a_week_without_check_ins_has_nothing_to_compare() -> None:
    summary = week_summaries(
        trend_points([given(date(2026, 3, 9))], "q-daily", date(2026, 3, 12)), date(2026, 3, 12)
    )
    assert summary[0] == WeekSummary("craving", 2.0, None)
    assert summary[0].direction == ""
    assert WeekSummary("mood", None, 4.0).direction == ""
    assert WeekSummary("mood", 4.04, 4.0).direction == "same"  # the same to one decimal
