"""The notice a session shows after a bug of ours made something fail; the session goes on.

The screen the user was on and what they typed are still there. The app gives the words, in its
user's language (`FailureNotice.text`). What failed is in the log, never on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from flet_guard import session

NOTICE_SECONDS = 8  # long enough to be read, then gone (it asks for nothing)


class FailureNotice:
    """Shows the notice on `page`; one at a time (a burst of failures is one notice)."""

    def __init__(self, page: ft.Page) -> None:
        self._page = page
        self._open: ft.SnackBar | None = None
        self._armed = False
        self.text: Callable[[], str] | None = None  # the words, set by the app on each render

    def arm(self) -> None:
        """The session's first screen is drawn (call it from an effect): from now on a failure gets
        the notice. Before, there is no screen to go on with, and Flet's crash screen says where
        help is (flet_guard.session.install)."""
        self._armed = True

    def __call__(self) -> bool:
        """Show the notice; False if this session cannot go on with one (nothing drawn yet)."""
        if not self._armed or self.text is None:
            return False
        if self._open is not None:
            return True
        notice = ft.SnackBar(
            content=ft.Semantics(identifier="failure-notice", live_region=True, content=ft.Text(self.text())),
            duration=ft.Duration(seconds=NOTICE_SECONDS),
            show_close_icon=True,
            behavior=ft.SnackBarBehavior.FLOATING,  # above the bottom edge, not over a tab bar's line
            on_dismiss=self._dismissed,
        )
        self._open = notice
        self._page.show_dialog(notice)
        return True

    def _dismissed(self, _e: Any) -> None:
        self._open = None


def listen_for_failures(page: ft.Page) -> FailureNotice:
    """The notice this page's session shows after each failure flet_guard.session reports for it."""
    notice = FailureNotice(page)
    session.listen(page.session, notice)
    return notice
