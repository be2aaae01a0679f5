"""Links the device opens itself: a call or a text (tel:, sms:) and a web page (a session's video call).

The link rides on the button (Flet's `url`), so the client opens it on the tap with no round trip to
the server: browsers open tel:/sms: only from the user's own gesture, and the call buttons of the
support screen must work with no connection to the app server at all.
"""

from __future__ import annotations

import flet as ft

IN_PLACE = ("tel:", "sms:")  # the dialler or messages app takes over; the app stays where it was


def device_link(url: str) -> ft.Url:
    """tel:/sms: open in place (the phone's dialler, its messages); anything else in a new tab."""
    target = ft.UrlTarget.SELF if url.startswith(IN_PLACE) else ft.UrlTarget.BLANK
    return ft.Url(url, target=target)
