"""Check-ins: the clinic's questionnaires, when one is due (clinic days), which answers alert the
care team, amending, and the patient's own trends.

A questionnaire is clinic data (the `questionnaire` record); the rules here only read it: the
thresholds that alert the team are the clinic's (`flag_at`, `flag_total_at`), never constants of
the app. Days are the clinic's days: the caller passes its IANA zone.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

Answer = int | bool | str
Answers = Mapping[str, Answer]
Texts = Mapping[str, str]  # language tag ("en", "es", "pt_BR") -> text

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEXT_LIMIT = 2000
TREND_ITEMS: tuple[str, ...] = ("craving", "mood", "confidence")
TREND_WEEKS = 4


class Cadence(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class ItemKind(enum.StrEnum):
    SCALE = "scale"
    YES_NO = "yes_no"
    CHOICE = "choice"
    TEXT = "text"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


def text_in(texts: Texts | None, language: str) -> str:
    """The text in `language`, else its base language, else English, else any; "" when none."""
    if not texts:
        return ""
    for tag in (language, language.split("_")[0], "en"):
        if texts.get(tag):
            return texts[tag]
    return next(iter(texts.values()), "")


def clinic_day(moment: datetime, timezone: str) -> date:
    """The clinic's calendar day at `moment` (an aware time)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class Choice:
    value: int
    text: Texts


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: ItemKind
    text: Texts
    min: int | None = None
    max: int | None = None
    low_label: Texts | None = None
    high_label: Texts | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = True
    flag_at: int | None = None

    def alerts(self, value: Answer | None) -> bool:
        """Whether this answer alone raises a flag under the clinic's threshold."""
        if self.flag_at is None or value is None:
            return False
        if self.kind is ItemKind.YES_NO:
            return value is True and self.flag_at == 1
        if self.kind in (ItemKind.SCALE, ItemKind.CHOICE) and isinstance(value, int):
            return not isinstance(value, bool) and value >= self.flag_at
        return False

    def accepts(self, value: Answer) -> bool:
        """The value's type and range are what the clinic takes for this item."""
        if self.kind is ItemKind.YES_NO:
            return isinstance(value, bool)
        if self.kind is ItemKind.TEXT:
            return isinstance(value, str) and len(value) <= TEXT_LIMIT
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if self.kind is ItemKind.CHOICE:
            return value in {c.value for c in self.choices}
        low = 0 if self.min is None else self.min
        high = 10 if self.max is None else self.max
        return low <= value <= high

    @property
    def values(self) -> tuple[int, ...]:
        """The tappable values of a scale or choice item."""
        if self.kind is ItemKind.CHOICE:
            return tuple(c.value for c in self.choices)
        if self.kind is ItemKind.SCALE:
            return tuple(
                range(0 if self.min is None else self.min, (10 if self.max is None else self.max) + 1)
            )
        return ()


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    key: str  # "daily", "phq2", "gad2"
    title: Texts
    cadence: Cadence
    due_weekdays: tuple[str, ...]
    items: tuple[Item, ...]
    attribution: str | None = None
    flag_total_at: int | None = None

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def period(self, day: date) -> date:
        """The period a clinic day belongs to: the day itself (daily) or its week's Monday (weekly)."""
        return day if self.cadence is Cadence.DAILY else monday_of(day)

    def due_on(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.due_weekdays

    def score(self, answers: Answers) -> int | None:
        """The sum of the choice answers of a scored questionnaire; None without choice items."""
        choices = [i for i in self.items if i.kind is ItemKind.CHOICE]
        if not choices:
            return None
        values = [answers.get(i.id) for i in choices]
        return sum(v for v in values if isinstance(v, int) and not isinstance(v, bool))

    def alerting_items(self, answers: Answers) -> tuple[str, ...]:
        """The items whose answer raises a flag on its own (the clinic's `flag_at`)."""
        return tuple(i.id for i in self.items if i.alerts(answers.get(i.id)))

    def total_alerts(self, answers: Answers) -> bool:
        """The total reaches the clinic's `flag_total_at` (PHQ-2, GAD-2)."""
        score = self.score(answers)
        return self.flag_total_at is not None and score is not None and score >= self.flag_total_at

    def alerts(self, answers: Answers) -> bool:
        """Whether the care team will see this check-in today (a flag is raised)."""
        return bool(self.alerting_items(answers)) or self.total_alerts(answers)

    def missing(self, answers: Answers) -> tuple[str, ...]:
        """Required items without an acceptable answer, in the questionnaire's order."""
        return tuple(
            i.id for i in self.items if i.required and (i.id not in answers or not i.accepts(answers[i.id]))
        )

    def cleaned(self, answers: Answers) -> dict[str, Answer]:
        """Only this questionnaire's items with acceptable values (an empty optional text is kept)."""
        return {k: v for k, v in answers.items() if (i := self.item(k)) is not None and i.accepts(v)}


@dataclass(frozen=True, slots=True)
class Flag:
    reasons: tuple[str, ...]
    status: FlagStatus
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: str  # the device-made checkin_id: the same for every amendment of one period
    questionnaire_id: str
    period: date
    answers: Mapping[str, Answer]
    submitted_at: datetime
    updated_at: datetime
    score: int | None = None
    flag: Flag | None = None
    pending: bool = False  # an answer or amendment is still in the outbox


def worrying(questionnaire: Questionnaire, answers: Answers) -> bool:
    """A worrying answer: the confirmation offers the call buttons at once."""
    return questionnaire.alerts(answers)


def due_today(
    questionnaire: Questionnaire, checkins: Iterable[CheckIn], now: datetime, timezone: str
) -> bool:
    """Due today in the clinic's zone and not yet answered for the period today falls in.

    A daily questionnaire is due on its weekdays; a weekly one from its day (the patient's group
    day) until the week ends, so a missed group day still leaves the rest of the week to answer.
    """
    today = clinic_day(now, timezone)
    if questionnaire.cadence is Cadence.DAILY:
        due = questionnaire.due_on(today)
    else:
        due = any(WEEKDAYS.index(d) <= today.weekday() for d in questionnaire.due_weekdays if d in WEEKDAYS)
    return due and current(questionnaire, checkins, now, timezone) is None


def current(
    questionnaire: Questionnaire, checkins: Iterable[CheckIn], now: datetime, timezone: str
) -> CheckIn | None:
    """The check-in already given for the period today falls in (the one an edit amends)."""
    period = questionnaire.period(clinic_day(now, timezone))
    for checkin in checkins:
        if checkin.questionnaire_id == questionnaire.id and checkin.period == period:
            return checkin
    return None


def can_amend(questionnaire: Questionnaire, checkin: CheckIn, now: datetime, timezone: str) -> bool:
    """Amending is for the same clinic day (daily) or the same clinic week (weekly) only."""
    return checkin.period == questionnaire.period(clinic_day(now, timezone))


# -- trends ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayPoint:
    day: date
    values: Mapping[str, int]  # item id (craving, mood, confidence) -> answer


@dataclass(frozen=True, slots=True)
class WeekSummary:
    item: str
    this_week: float | None  # the average of this clinic week's check-ins; None without any
    last_week: float | None

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" when there is nothing to compare."""
        if self.this_week is None or self.last_week is None:
            return ""
        now, before = round(self.this_week, 1), round(self.last_week, 1)
        return "up" if now > before else "down" if now < before else "same"


def trend_points(
    checkins: Iterable[CheckIn], questionnaire_id: str, today: date, weeks: int = TREND_WEEKS
) -> list[DayPoint]:
    """The days of the last `weeks` weeks (today included) with a daily check-in, oldest first."""
    first = today - timedelta(days=7 * weeks - 1)
    points = []
    for c in checkins:
        if c.questionnaire_id != questionnaire_id or not first <= c.period <= today:
            continue
        values = {
            k: v for k in TREND_ITEMS if isinstance(v := c.answers.get(k), int) and not isinstance(v, bool)
        }
        if values:
            points.append(DayPoint(c.period, values))
    return sorted(points, key=lambda p: p.day)


def _average(points: Sequence[DayPoint], item: str, first: date, last: date) -> float | None:
    values = [p.values[item] for p in points if first <= p.day <= last and item in p.values]
    return sum(values) / len(values) if values else None


def week_summaries(points: Sequence[DayPoint], today: date) -> list[WeekSummary]:
    """For each trend item: this clinic week's average (Monday to today) beside last week's."""
    monday = monday_of(today)
    last_monday = monday - timedelta(days=7)
    return [
        WeekSummary(
            item,
            _average(points, item, monday, today),
            _average(points, item, last_monday, monday - timedelta(days=1)),
        )
        for item in TREND_ITEMS
    ]


@dataclass(frozen=True, slots=True)
class Trends:
    """The patient's own trends, from the check-ins on this device."""

    first: date  # the chart's first and last day
    last: date
    points: tuple[DayPoint, ...] = ()
    summaries: tuple[WeekSummary, ...] = field(default_factory=tuple)


def trends(
    checkins: Iterable[CheckIn], questionnaire_id: str, today: date, weeks: int = TREND_WEEKS
) -> Trends:
    points = trend_points(checkins, questionnaire_id, today, weeks)
    return Trends(
        today - timedelta(days=7 * weeks - 1), today, tuple(points), tuple(week_summaries(points, today))
    )
