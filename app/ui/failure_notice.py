"""What the patient is told when a bug of ours made something fail (flet_guard): the app goes on.

The session stays: the screen the patient was on, what they typed and "Get help now" are all still
there. The notice says so, in the patient's language, and tells them to try again.
"""

from __future__ import annotations

from app.i18n import Translator

# Flet's crash screen, when a session fails before it can go on (its first render). Not through the
# translator: nothing of the app, the patient's chosen language included, may be working by then. So
# it says it in each of the app's languages, English first (the numbers are the same in each). One
# line: Flet 1.0.5's crash screen shows only the first line of what it is sent.
CRASH_MESSAGE = " — ".join(
    (
        "Waypoint could not open this screen. Reload the page. "
        "If you are in danger, call 911. To talk to someone now, call or text 988.",
        "Waypoint no pudo abrir esta pantalla. Vuelve a cargar la página. "
        "Si estás en peligro, llama al 911. Para hablar con alguien ahora, llama o manda un mensaje al 988.",
        "O Waypoint não conseguiu abrir esta tela. Recarregue a página. "
        "Se você estiver em perigo, ligue para o 911. Para falar com alguém agora, ligue ou mande uma "
        "mensagem para o 988.",
    )
)


def failure_text(tr: Translator) -> str:
    return tr.gettext(
        "Something went wrong there. Nothing you saved is lost: try again. “Get help now” still works."
    )
