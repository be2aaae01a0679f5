"""What the patient is told when a bug of ours made something fail (flet_guard): the app goes on.

The session stays: the screen the patient was on, what they typed and "Get help now" are all still
there. The notice says so, in the patient's language, and tells them to try again.
"""

from __future__ import annotations

from app.i18n import Translator

# Flet's crash screen, when a session fails before it can go on (its first render). Not translated:
# nothing of the app, its language included, may be working by then.
CRASH_MESSAGE = (
    "Waypoint could not open this screen. Reload the page. "
    "If you are in danger, call 911. To talk to someone now, call or text 988."
)


def failure_text(tr: Translator) -> str:
    return tr.gettext(
        "Something went wrong there. Nothing you saved is lost: try again. “Get help now” still works."
    )
