"""Failure handling for Flet 1.0.5 sessions, shared by the patient app and the staff console.

`flet_guard.session`: a bug in one handler, effect or component leaves a notice, not Flet's crash
screen, and the session goes on; Flet's log keeps no exception text. `flet_guard.notice`: the
notice itself, in whatever words the app gives it. `flet_guard.transport`: Flet's web transport
without a text copy of every outgoing message, and quiet when a browser goes mid-send.
"""
