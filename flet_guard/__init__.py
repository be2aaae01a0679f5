"""Fixes for Flet 1.0.5 sessions, shared by the patient app and the staff console.

`flet_guard.session`: a bug in one handler, effect or component leaves a notice, not Flet's crash
screen, and the session goes on; Flet's log keeps no exception text. `flet_guard.notice`: the
notice itself, in whatever words the app gives it. `flet_guard.transport`: Flet's web transport
without a text copy of every outgoing message, and quiet when a browser goes mid-send.
`flet_guard.form`: text-field drafts that no render empties (Flet diffs a field against its last
render).
"""

from __future__ import annotations

from flet_guard import session, transport


def install(crash_message: str) -> bool:
    """Both fixes, as the app and the console serve themselves; True once both are in place.
    `crash_message`: what Flet's crash screen says when a session fails before its first screen."""
    sent = transport.install()
    guarded = session.install(crash_message)
    return sent and guarded
