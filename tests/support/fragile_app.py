"""A Flet web app with bugs on purpose, run with the patient app's failure handling (for
tests/e2e/test_failures_keep_the_session.py).

`python -m tests.support.fragile_app PORT LANGUAGE`: "inc" counts up; "Fragile" raises on its
render when the count is 2; "boom" raises in its handler, with a text that must reach neither the
screen nor the log; at /broken the very first render raises.
"""

from __future__ import annotations

import sys
from typing import Any

import flet as ft

import flet_guard
from app.i18n import Translator
from app.ui.context import use_once
from app.ui.failure_notice import CRASH_MESSAGE, failure_text
from app.ui.layout import tagged
from flet_guard.notice import listen_for_failures

SECRET = "Alex Rivera relapsed"  # what a careless exception might carry: never shown, never logged


@ft.component
def Fragile(n: int) -> Any:
    if n == 2:
        raise RuntimeError(f"render bug: {SECRET}")
    return tagged("fragile", ft.Text(f"fragile {n}"))


@ft.component
def Broken() -> Any:
    use_once(lambda: listen_for_failures(ft.context.page))  # listening, but nothing drawn yet
    raise KeyError(SECRET)


@ft.component
def Root(language: str) -> Any:
    page = ft.context.page
    notice = use_once(lambda: listen_for_failures(page))
    notice.text = lambda: failure_text(Translator(language))
    ft.use_effect(notice.arm, dependencies=[])
    n, set_n = ft.use_state(0)

    def boom(_e: Any) -> None:
        raise RuntimeError(f"handler bug: {SECRET}")

    return ft.Column(
        [
            tagged("count", ft.Text(f"count {n}")),
            Fragile(n),
            # From the current count, not the count of the last render drawn: after a failed render the
            # button on screen is still that render's.
            tagged("inc", ft.Button("inc", on_click=lambda _e: set_n(lambda v: v + 1))),
            tagged("boom", ft.Button("boom", on_click=boom)),
        ]
    )


def main() -> None:
    port, language = int(sys.argv[1]), sys.argv[2]

    def session(page: ft.Page) -> None:
        page.title = "Fragile"  # as every screen of the app has one (axe: document-title)
        if page.route == "/broken":
            page.render(Broken)
        else:
            page.render(Root, language)

    flet_guard.install(CRASH_MESSAGE)  # as the app serves itself (app/main.py)
    print(f"fragile app: http://127.0.0.1:{port}/", flush=True)
    ft.run(session, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=port, no_cdn=True)


if __name__ == "__main__":
    main()
