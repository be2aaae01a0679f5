"""One Translator per session: languages switch at run time, no shared `_`, never a raw error code shown."""

from __future__ import annotations

import asyncio
import builtins
import re
from pathlib import Path

import pytest
from babel import Locale

from app.i18n import PROBLEMS, SUPPORTED, Translator, languages, locale_configuration, negotiate

API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
# Codes the app itself reports (not from the server).
CLIENT_CODES = [
    "net.offline",
    "net.https_required",
    "net.bad_address",
    "net.timeout",
    "server.error",
    "store.repaired",
    "sync.rejected",
    "sync.conflict",
    "unknown",
]


def api_codes() -> list[str]:
    """Every error code docs/api.md names: its Errors table, and codes quoted in the prose."""
    text = API_DOC.read_text(encoding="utf-8")
    codes: set[str] = set()
    in_table = False
    for line in text.splitlines():
        if line.startswith("| status | code |"):
            in_table = True
        elif in_table and not line.startswith("|"):
            in_table = False
        elif in_table:
            codes.update(re.findall(r"`([a-z_]+(?:\.[a-z_]+)*)`", line.split("|")[2]))
    codes.update(re.findall(r"\b[45]\d\d `([a-z_]+(?:\.[a-z_]+)+)`", text))
    codes.update(re.findall(r'"code": "([a-z_]+(?:\.[a-z_]+)*)"', text))
    return sorted(codes)


def test_the_api_document_lists_codes() -> None:
    codes = api_codes()
    assert {"auth.code_expired", "auth.device_revoked", "share.revoked", "not_found", "rate_limited"} <= set(
        codes
    )


@pytest.mark.parametrize("code", api_codes() + CLIENT_CODES)
def test_every_code_has_its_own_plain_message_in_every_language(code: str) -> None:
    assert code in PROBLEMS, f"{code} falls back to a generic message; give it one in app/i18n.py"
    english = Translator("en").problem(code)
    for lang in SUPPORTED:
        text = Translator(lang).problem(code)
        assert text.strip()
        assert code not in text
        if lang != "en":
            assert text != english, f"{code} is not translated into {lang}"


@pytest.mark.parametrize("code", ["", "teapot", "auth.brand_new", "billing.overdue", "x.y.z"])
def test_unknown_codes_get_a_generic_message_never_the_raw_code(code: str) -> None:
    for lang in SUPPORTED:
        text = Translator(lang).problem(code)
        assert text.strip()
        assert code == "" or code not in text


def test_a_rejection_code_falls_back_on_its_last_part() -> None:
    tr = Translator("es")
    assert tr.problem("coping_plan.not_found") == tr.problem("not_found")


def test_two_sessions_in_one_process_keep_their_own_language() -> None:
    english, spanish = Translator("en"), Translator("es")
    assert english.gettext("Today") == "Today"
    assert spanish.gettext("Today") == "Hoy"
    assert english.gettext("Today") == "Today"  # the Spanish session did not switch the English one
    assert english.problem("net.offline") != spanish.problem("net.offline")
    assert "_" not in vars(builtins)  # nothing installed a process-global `_`


async def test_concurrent_sessions_do_not_interfere() -> None:
    async def session(code: str) -> set[str]:
        tr = Translator(code)
        _ = tr.gettext
        seen = set()
        for _step in range(50):
            seen.add(_("Week"))
            seen.add(tr.weekday_names()[0])
            await asyncio.sleep(0)
        return seen

    en, es, pt = await asyncio.gather(session("en"), session("es"), session("pt_BR"))
    assert en == {"Week", "Monday"}
    assert es == {"Semana", "lunes"}
    assert pt == {"Semana", "segunda-feira"}


def test_switching_language_at_run_time_keeps_the_clinics_timezone() -> None:
    tr = Translator("en", "America/Chicago")
    switched = tr.with_language("es-MX")
    assert (switched.code, switched.timezone) == ("es", "America/Chicago")
    assert switched.gettext("Settings") == "Ajustes"


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        ("es-MX", "es"),
        ("es_US", "es"),
        ("pt-BR", "pt_BR"),
        ("pt_PT", "pt_BR"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_device_locale_picks_the_closest_language(device: str | None, expected: str) -> None:
    assert negotiate(device) == expected


def test_languages_are_listed_in_their_own_names() -> None:
    assert languages() == (("en", "English"), ("es", "Español"), ("pt_BR", "Português (Brasil)"))
    for code, name in languages():
        own = Locale.parse(code).get_display_name(code)
        assert own is not None
        assert name == own[:1].upper() + own[1:]


@pytest.mark.parametrize(
    ("code", "current"),
    [("en", ("en", "US")), ("es", ("es", None)), ("pt_BR", ("pt", "BR")), ("xx", ("en", "US"))],
)
def test_locale_configuration_for_flutter_widgets(code: str, current: tuple[str, str | None]) -> None:
    supported, chosen = locale_configuration(code)
    assert chosen == current
    assert supported == (("en", "US"), ("es", None), ("pt", "BR"))
    assert Translator(code).locale_configuration() == (supported, chosen)
