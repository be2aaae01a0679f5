"""What the patient sees when a bug of ours made something fail: a short notice, and the app goes on.

The session stays (app/platform/flet_session.py): the screen the patient was on, what they typed
and "Get help now" are all still there. The notice says so, in the patient's language, and tells
them to try again. What failed is in the log, never on screen.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.i18n import Translator
from app.platform import flet_session
from app.ui.layout import tagged

NOTICE_SECONDS = 8  # long enough to be read, then gone (it asks for nothing)


class FailureNotice:
    """Shows the notice on `page`; one at a time (a burst of failures is one notice)."""

    def __init__(self, page: ft.Page) -> None:
        self._page = page
        self._open: ft.SnackBar | None = None
        self.tr: Translator | None = None  # the session's current translator, set on each render

    def __call__(self) -> None:
        if self._open is not None or self.tr is None:
            return
        text = self.tr.gettext(
            "Something went wrong there. Nothing you saved is lost: try again. “Get help now” still works."
        )
        notice = ft.SnackBar(
            content=tagged("failure-notice", ft.Text(text), live_region=True),
            duration=ft.Duration(seconds=NOTICE_SECONDS),
            show_close_icon=True,
            behavior=ft.SnackBarBehavior.FLOATING,  # above the bottom edge, not over the tab bar's own line
            on_dismiss=self._dismissed,
        )
        self._open = notice
        self._page.show_dialog(notice)

    def _dismissed(self, _e: Any) -> None:
        self._open = None


def listen_for_failures(page: ft.Page) -> FailureNotice:
    """The notice this session shows after each failure flet_session reports for it."""
    notice = FailureNotice(page)
    flet_session.listen(page.session, notice)
    return notice
