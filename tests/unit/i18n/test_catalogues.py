"""The catalogues are complete and in step with the code; the tooling finds every way UI code marks text."""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from app.i18n import load_catalogue
from scripts import i18n as tool

SCREEN = '''
"""A screen in the four styles the UI uses."""

def view(tr, n):
    _ = tr.gettext
    return [
        _("Good morning"),
        tr.gettext("My week"),
        tr._("Settings"),
        tr.ngettext("{n} change waiting", "{n} changes waiting", n).format(n=n),
        N_("Later"),
        tr.pgettext("month", "May"),
    ]
'''


def test_every_message_in_the_code_is_translated_into_spanish_and_portuguese() -> None:
    """Extracts from app/ and compares: missing, empty, fuzzy or out-of-date entries all fail here."""
    problems = tool.check()
    assert problems == [], "\n".join(problems[:40])


@pytest.fixture
def tree(tmp_path: Path) -> tool.Tree:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "screen.py").write_text(SCREEN, encoding="utf-8")
    shutil.copy(tool.ROOT / "babel.cfg", tmp_path / "babel.cfg")
    return tool.Tree(tmp_path)


def _fill(tree: tool.Tree, lang: str, *, fuzzy: str | None = None) -> None:
    path = tree.po(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            texts = tuple(f"[{lang}] {i}" for i in ids)
            message.string = texts if isinstance(message.id, tuple) else texts[0]
            if message.id == fuzzy:
                message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_extraction_finds_every_calling_style(tree: tool.Tree) -> None:
    ids = {(m.context, m.id) for m in tool.extract_catalog(tree) if m.id}
    assert ids == {
        (None, "Good morning"),
        (None, "My week"),
        (None, "Settings"),
        (None, ("{n} change waiting", "{n} changes waiting")),
        (None, "Later"),
        ("month", "May"),
    }


def test_update_is_deterministic(tree: tool.Tree) -> None:
    tool.update(tree)
    first = {p: p.read_bytes() for p in tree.root.rglob("*.po*")}
    tool.update(tree)
    assert {p: p.read_bytes() for p in tree.root.rglob("*.po*")} == first
    assert b"POT-Creation-Date" not in tree.template.read_bytes()
    assert b"nplurals=2; plural=(n > 1);" in tree.po("pt_BR").read_bytes()


def test_check_passes_only_when_both_languages_are_complete(tree: tool.Tree) -> None:
    tool.update(tree)
    assert any(p.startswith("es: untranslated") for p in tool.check(tree))
    _fill(tree, "es")
    _fill(tree, "pt_BR")
    assert tool.check(tree) == []


def test_check_fails_on_a_fuzzy_entry(tree: tool.Tree) -> None:
    tool.update(tree)
    _fill(tree, "es", fuzzy="My week")
    _fill(tree, "pt_BR")
    assert tool.check(tree) == ["es: fuzzy: 'My week'"]


def test_check_fails_when_the_code_gains_or_loses_a_message(tree: tool.Tree) -> None:
    tool.update(tree)
    _fill(tree, "es")
    _fill(tree, "pt_BR")
    screen = tree.source / "screen.py"
    screen.write_text(screen.read_text().replace('N_("Later")', 'N_("Tomorrow")'), encoding="utf-8")
    problems = tool.check(tree)
    assert "locales/messages.pot is out of date with the code: " in problems[0]
    assert any("es: missing 'Tomorrow'" in p for p in problems)
    assert any("pt_BR: no longer in the code 'Later'" in p for p in problems)


def test_check_fails_on_a_placeholder_the_english_does_not_have(tree: tool.Tree) -> None:
    tool.update(tree)
    _fill(tree, "es")
    _fill(tree, "pt_BR")
    po = tree.po("es")
    po.write_bytes(po.read_bytes().replace(b'msgstr "[es] My week"', b'msgstr "[es] {week}"'))
    assert any("placeholder not in the English text: ['week']" in p for p in tool.check(tree))


@pytest.mark.parametrize(
    "call",
    [
        '_(f"Hi {name}")',
        '_("Hi " + name)',
        'tr.gettext("Hi {n}".format(n=name))',
        'tr.gettext("Hi %s" % name)',
    ],
)
def test_check_reports_messages_built_before_translation(tree: tool.Tree, call: str) -> None:
    (tree.source / "bad.py").write_text(f"def f(tr, name, _):\n    return {call}\n", encoding="utf-8")
    assert any(p.startswith("not extractable: app/bad.py:2") for p in tool.check(tree))


def test_a_marked_variable_is_not_reported(tree: tool.Tree) -> None:
    (tree.source / "fine.py").write_text(
        "def f(tr, label):\n    return tr.gettext(label)\n", encoding="utf-8"
    )
    assert list(tool.untranslatable_calls(tree)) == []


def test_compile_is_idempotent_and_the_result_translates(tree: tool.Tree) -> None:
    tool.update(tree)
    _fill(tree, "pt_BR")
    tool.compile_all(tree)
    mo = tree.po("pt_BR").with_suffix(".mo")
    stamp = mo.stat().st_mtime_ns
    tool.compile_all(tree)
    assert mo.stat().st_mtime_ns == stamp  # unchanged catalogue: the file is not rewritten
    with mo.open("rb") as handle:
        pt = gettext.GNUTranslations(handle)
    assert pt.gettext("My week") == "[pt_BR] My week"
    assert pt.ngettext("{n} change waiting", "{n} changes waiting", 1) == "[pt_BR] {n} change waiting"
    assert pt.ngettext("{n} change waiting", "{n} changes waiting", 2) == "[pt_BR] {n} changes waiting"


def test_command_line_check_exits_non_zero_on_problems(tree: tool.Tree) -> None:
    assert tool.main(["update"], tree) == 0
    assert tool.main(["check"], tree) == 1
    _fill(tree, "es")
    _fill(tree, "pt_BR")
    assert tool.main(["check"], tree) == 0
    assert tool.main(["compile"], tree) == 0
    assert tree.po("es").with_suffix(".mo").is_file()
    assert tool.main(["frobnicate"], tree) == 2


def test_the_app_reads_a_po_that_was_not_compiled_yet(tree: tool.Tree) -> None:
    tool.update(tree)
    _fill(tree, "es")
    locales = tree.template.parent
    assert load_catalogue(locales, "es").gettext("My week") == "[es] My week"  # no .mo at all
    tool.compile_all(tree)
    mo = tree.po("es").with_suffix(".mo")
    assert load_catalogue(locales, "es").gettext("Settings") == "[es] Settings"  # from the .mo
    po = tree.po("es")
    po.write_bytes(po.read_bytes().replace(b'msgstr "[es] Settings"', b'msgstr "Ajustes"'))
    os.utime(mo, (mo.stat().st_atime, po.stat().st_mtime - 10))  # the .mo is now older than the .po
    assert load_catalogue(locales, "es").gettext("Settings") == "Ajustes"
    assert load_catalogue(locales, "xx").gettext("Settings") == "Settings"  # unknown language: English


def test_the_staff_consoles_catalogue_is_complete_too() -> None:
    """`python -m scripts.i18n check` covers the console's own domain (console/ -> console.po)."""
    assert [t.package for t in tool.TREES] == ["app", "console"]
    problems = tool.check(tool.TREES[1])
    assert problems == [], "\n".join(problems[:40])


def test_a_second_domain_has_its_own_template_and_catalogues(tmp_path: Path) -> None:
    (tmp_path / "console").mkdir()
    (tmp_path / "console" / "queue.py").write_text('def v(tr):\n    return tr.gettext("Queue")\n', "utf-8")
    shutil.copy(tool.ROOT / "babel.cfg", tmp_path / "babel.cfg")
    console = tool.Tree(tmp_path, package="console", domain="console")
    assert tool.main(["update"], console) == 0
    assert console.template == tmp_path / "locales" / "console.pot"
    assert console.po("es") == tmp_path / "locales" / "es" / "LC_MESSAGES" / "console.po"
    assert "#: console/queue.py" in console.template.read_text("utf-8")
    assert tool.check(console) == ["es: untranslated: 'Queue'", "pt_BR: untranslated: 'Queue'"]
    _fill(console, "es")
    _fill(console, "pt_BR")
    assert tool.check(console) == []
    assert not (tmp_path / "locales" / "messages.pot").exists()  # the other domain untouched
