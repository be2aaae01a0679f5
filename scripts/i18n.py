"""Catalogue tooling: extract, update, compile and check the gettext catalogues (babel's API).

Two catalogue domains: the patient app's (app/ -> locales/messages.pot, <lang>/LC_MESSAGES/messages.po)
and the staff console's (console/ -> locales/console.pot, <lang>/LC_MESSAGES/console.po); every
command covers both.

python -m scripts.i18n extract   # app/ -> locales/messages.pot, console/ -> locales/console.pot
python -m scripts.i18n update    # extract, then merge the template into every .po
python -m scripts.i18n compile   # .po -> .mo (fast, idempotent; scripts/setup runs it)
python -m scripts.i18n check     # non-zero if es/pt_BR miss a message or are out of date
"""

from __future__ import annotations

import ast
import io
import string
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "es", "pt_BR")
TRANSLATED = ("es", "pt_BR")  # en is the source language: empty msgstr means "as written"
# UI code calls `_ = tr.gettext` then `_("…")`, or `tr.gettext(…)`, `tr._(…)`, `tr.ngettext(…)`:
# babel matches the last name before the parenthesis, so all of these are found.
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}
# The usual GNU forms; babel's CLDR default adds a third form for exact millions.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
}
HEADER = (
    "# Waypoint: {what}.\n# See docs/TRANSLATING.md. Edit translations here; never edit the .mo files.\n#"
)
Key = str | tuple[str, str]


@dataclass(frozen=True)
class Tree:
    """Where the code and the catalogues are (a test points it at a copy)."""

    root: Path = ROOT
    package: str = "app"  # the code whose messages this catalogue holds
    domain: str = "messages"  # the gettext domain: locales/<domain>.pot, <lang>/LC_MESSAGES/<domain>.po

    @property
    def source(self) -> Path:
        return self.root / self.package

    @property
    def template(self) -> Path:
        return self.root / "locales" / f"{self.domain}.pot"

    def po(self, lang: str) -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / f"{self.domain}.po"

    def show(self, path: Path) -> str:
        return str(path.relative_to(self.root))


def extract_catalog(tree: Tree = Tree()) -> Catalog:
    """Every message the code under the tree's package (app/, console/) marks for translation."""
    mapping = io.StringIO((tree.root / "babel.cfg").read_text(encoding="utf-8"))
    method_map, options_map = parse_mapping_cfg(mapping)  # type: ignore[no-untyped-call]
    catalog = Catalog(
        header_comment=HEADER.format(what=f"messages to translate, extracted from {tree.package}/"),
        project="Waypoint",
        version="1.0",
        copyright_holder="Waypoint",
        msgid_bugs_address="see docs/TRANSLATING.md",
        charset="utf-8",
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        tree.source,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        location = (f"{tree.package}/{filename}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _dump(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers and sorted output: a re-run on unchanged messages writes the same bytes.
    write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=True, include_lineno=False)
    lines = buffer.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"POT-Creation-Date:'))


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def extract(tree: Tree = Tree()) -> Catalog:
    template = extract_catalog(tree)
    if _write_if_changed(tree.template, _dump(template)):
        print(f"i18n: wrote {tree.show(tree.template)} ({len(template)} messages)")
    return template


def _new_catalog(lang: str) -> Catalog:
    catalog = Catalog(
        locale=lang,
        header_comment=HEADER.format(what=f"{lang} translations"),
        project="Waypoint",
        version="1.0",
        copyright_holder="Waypoint",
        msgid_bugs_address="see docs/TRANSLATING.md",
        last_translator="Waypoint translators",
        language_team="Waypoint translators",
        charset="utf-8",
        fuzzy=False,
    )
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
    return catalog


def update(tree: Tree = Tree()) -> None:
    template = extract(tree)
    for lang in LANGUAGES:
        path = tree.po(lang)
        catalog = _read(path, lang) if path.is_file() else _new_catalog(lang)
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
        catalog.update(template, update_creation_date=False)
        if _write_if_changed(path, _dump(catalog)):
            print(f"i18n: updated {tree.show(path)}")


def compile_all(tree: Tree = Tree()) -> None:
    for lang in LANGUAGES:
        path = tree.po(lang)
        if not path.is_file():
            continue
        buffer = io.BytesIO()
        write_mo(buffer, _read(path, lang))
        mo = path.with_suffix(".mo")
        if not _write_if_changed(mo, buffer.getvalue()) and mo.stat().st_mtime < path.stat().st_mtime:
            mo.touch()  # same bytes, but the app trusts only a .mo at least as new as its .po


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid) if message.context else msgid


def _shape(catalog: Iterable[Message]) -> dict[Key, object]:
    return {_key(m): m.id for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ("",)


def _translation_problems(message: Message) -> Iterator[str]:
    if message.fuzzy:
        yield "fuzzy"
    strings = _texts(message.string)
    if not all(strings):
        yield "untranslated"
        return
    ids = _texts(message.id)
    allowed = set().union(*(_fields(i) for i in ids))
    for text in strings:
        extra = _fields(text) - allowed
        if extra:
            yield f"placeholder not in the English text: {sorted(extra)}"
    if not isinstance(message.id, tuple) and _fields(strings[0]) != allowed:
        yield "placeholders differ from the English text"


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _built_at_run_time(arg: ast.expr) -> bool:
    """A message put together before translation; `_(label)` of a marked variable is fine."""
    if isinstance(arg, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in arg.values)
    if isinstance(arg, ast.BinOp):
        return _is_text(arg.left) or _is_text(arg.right) or _built_at_run_time(arg.left)
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
        return _is_text(arg.func.value)
    return False


def untranslatable_calls(tree: Tree = Tree()) -> Iterator[str]:
    """`_(f"…{x}")`, `_("a" + b)`, `_("…".format(x))`: babel cannot extract what these show."""
    for path in sorted(tree.source.rglob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(module):
            if not isinstance(node, ast.Call) or _call_name(node) not in KEYWORDS:
                continue
            for arg in node.args:
                if _built_at_run_time(arg):
                    yield f"{tree.show(path)}:{node.lineno}: {ast.unparse(node)[:100]}"


def check(tree: Tree = Tree()) -> list[str]:
    """Every problem with the catalogues, as lines a person can act on; empty when all is well."""
    problems = [f"not extractable: {line}" for line in untranslatable_calls(tree)]
    code = _shape(extract_catalog(tree))
    hint = "run `python -m scripts.i18n update` and translate"
    if not tree.template.is_file() or _shape(_read(tree.template)) != code:
        problems.append(f"{tree.show(tree.template)} is out of date with the code: {hint}")
    for lang in LANGUAGES:
        path = tree.po(lang)
        if not path.is_file():
            problems.append(f"{tree.show(path)} is missing: {hint}")
            continue
        catalog = _read(path, lang)
        shape = _shape(catalog)
        for key in sorted(set(code) - set(shape), key=str):
            problems.append(f"{lang}: missing {key!r}: {hint}")
        for key in sorted(set(shape) - set(code), key=str):
            problems.append(f"{lang}: no longer in the code {key!r}: {hint}")
        for key in sorted(set(code) & set(shape), key=str):
            if code[key] != shape[key]:
                problems.append(f"{lang}: plural form changed for {key!r}: {hint}")
        if lang not in TRANSLATED:
            continue
        for message in catalog:
            if message.id:
                problems.extend(f"{lang}: {p}: {_key(message)!r}" for p in _translation_problems(message))
    return problems


# The patient app's catalogue and the staff console's (its own domain; docs/TRANSLATING.md).
TREES: tuple[Tree, ...] = (Tree(), Tree(package="console", domain="console"))


def check_all(trees: Iterable[Tree] = TREES) -> list[str]:
    return [problem for tree in trees for problem in check(tree)]


def main(argv: list[str], tree: Tree | None = None) -> int:
    command = argv[0] if argv else ""
    trees = TREES if tree is None else (tree,)
    if command == "extract":
        for t in trees:
            extract(t)
    elif command == "update":
        for t in trees:
            update(t)
    elif command == "compile":
        for t in trees:
            compile_all(t)
    elif command == "check":
        problems = check_all(trees)
        for line in problems:
            print(f"i18n: {line}", file=sys.stderr)
        if problems:
            return 1
        print("i18n: catalogues complete and in step with the code")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
