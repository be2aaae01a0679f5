"""What a screen reader reads on My trends and under each check-in: whole translated sentences,
numbers by babel, and who saw a flagged check-in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.checkins import CheckIn, Flag, FlagStatus, WeekSummary
from app.i18n import Translator
from app.ui.checkin_confirmation import delivery_text
from app.ui.trends import summary_sentence

AT = datetime(2026, 3, 5, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "summary", "sentence"),
    [
        ("en", WeekSummary("craving", 3.0, 5.0), "This week craving averaged 3, down from 5 last week."),
        ("en", WeekSummary("mood", 6.54, 4.9), "This week mood averaged 6.5, up from 4.9 last week."),
        (
            "en",
            WeekSummary("confidence", 7.0, 7.04),
            "This week confidence averaged 7, the same as last week.",
        ),
        ("en", WeekSummary("craving", 2.5, None), "This week craving averaged 2.5."),
        ("en", WeekSummary("mood", None, 4.0), "Mood: no check-ins yet this week."),
        (
            "es",
            WeekSummary("craving", 3.5, 5.0),
            "Esta semana, tu deseo de consumir promedió 3,5, menos que 5 la semana pasada.",
        ),
        (
            "pt_BR",
            WeekSummary("mood", 6.5, 4.9),
            "Nesta semana, a média de humor foi 6,5, acima de 4,9 na semana passada.",
        ),
    ],
)
def test_the_trend_summary_is_a_sentence_with_the_locales_numbers(
    code: str, summary: WeekSummary, sentence: str
) -> None:
    assert summary_sentence(Translator(code), summary) == sentence


def checkin(flag: Flag | None = None, *, pending: bool = False) -> CheckIn:
    return CheckIn("c1", "q-daily", date(2026, 3, 5), {"craving": 9}, AT, AT, None, flag, pending)


def test_a_check_in_says_where_it_is_and_who_saw_it() -> None:
    tr = Translator("en")
    assert delivery_text(tr, checkin(pending=True)).startswith("Saved on this device")
    assert delivery_text(tr, checkin()) == "Sent to your clinic"
    assert delivery_text(tr, checkin(Flag(("craving",), FlagStatus.OPEN))) == "Sent to your clinic"
    seen = Flag(("craving", "contact"), FlagStatus.ACKNOWLEDGED, "Sam Ortiz", AT)
    assert delivery_text(tr, checkin(seen)) == "Seen by Sam Ortiz"
    assert delivery_text(Translator("es"), checkin(seen)) == "Visto por Sam Ortiz"
    anonymous = Flag(("used",), FlagStatus.ACKNOWLEDGED)
    assert delivery_text(tr, checkin(anonymous)) == "Seen by your care team"
