"""Questionnaire records as the clinic sends them (the wire contract of issue 12), for the twins and tests."""

from __future__ import annotations

from typing import Any

ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _t(en: str, es: str, pt: str) -> dict[str, str]:
    return {"en": en, "es": es, "pt_BR": pt}


def _scale(
    id_: str, text: dict[str, str], low: dict[str, str], high: dict[str, str], flag_at: int | None
) -> dict[str, Any]:
    return {
        "id": id_, "kind": "scale", "text": text, "min": 0, "max": 10, "low_label": low,
        "high_label": high, "choices": [], "required": True, "flag_at": flag_at,
    }  # fmt: skip


def _yes_no(id_: str, text: dict[str, str], flag_at: int | None) -> dict[str, Any]:
    return {
        "id": id_, "kind": "yes_no", "text": text, "min": None, "max": None, "low_label": None,
        "high_label": None, "choices": [], "required": True, "flag_at": flag_at,
    }  # fmt: skip


DAILY: dict[str, Any] = {
    "key": "daily",
    "title": _t("Daily check-in", "Registro diario", "Registro diário"),
    "attribution": None,
    "cadence": "daily",
    "due_weekdays": ALL_DAYS,
    "flag_total_at": None,
    "items": [
        _scale(
            "craving",
            _t("How strong is your craving right now?", "¿Qué tan fuerte es tu deseo de consumir ahora?",
               "Qual é a intensidade da sua vontade de usar agora?"),
            _t("None", "Nada", "Nenhuma"), _t("Strongest", "Muy fuerte", "Muito forte"), 8,
        ),
        _scale(
            "mood",
            _t("How is your mood today?", "¿Cómo está tu ánimo hoy?", "Como está seu humor hoje?"),
            _t("Very low", "Muy bajo", "Muito baixo"), _t("Very good", "Muy bueno", "Muito bom"), None,
        ),
        _scale(
            "confidence",
            _t("How confident are you that you will stay sober today?",
               "¿Qué tan seguro te sientes de mantenerte sobrio hoy?",
               "Quão confiante você está de que vai se manter sóbrio hoje?"),
            _t("Not at all", "Nada", "Nada"), _t("Completely", "Totalmente", "Totalmente"), None,
        ),
        _yes_no(
            "used",
            _t("Have you used alcohol or drugs since your last check-in?",
               "¿Has consumido alcohol o drogas desde tu último registro?",
               "Você usou álcool ou drogas desde o último registro?"),
            1,
        ),
        _yes_no(
            "contact",
            _t("I'd like someone from my team to contact me today",
               "Me gustaría que alguien de mi equipo me contacte hoy",
               "Gostaria que alguém da minha equipe entrasse em contato hoje"),
            1,
        ),
        {
            "id": "note", "kind": "text",
            "text": _t("Anything else? (optional)", "¿Algo más? (opcional)", "Algo mais? (opcional)"),
            "min": None, "max": None, "low_label": None, "high_label": None, "choices": [],
            "required": False, "flag_at": None,
        },
    ],
}  # fmt: skip

_FREQUENCY = [
    (0, _t("Not at all", "Para nada", "Nenhuma vez")),
    (1, _t("Several days", "Varios días", "Vários dias")),
    (2, _t("More than half the days", "Más de la mitad de los días", "Mais da metade dos dias")),
    (3, _t("Nearly every day", "Casi todos los días", "Quase todos os dias")),
]

PHQ2: dict[str, Any] = {
    "key": "phq2",
    "title": _t("PHQ-2", "PHQ-2", "PHQ-2"),
    "attribution": "PHQ-2 © Pfizer Inc. Developed by Drs. Spitzer, Williams, Kroenke and colleagues. "
    "No permission required to reproduce.",
    "cadence": "weekly",
    "due_weekdays": ["thu"],
    "flag_total_at": 3,
    "items": [
        {
            "id": id_, "kind": "choice", "text": text, "min": None, "max": None, "low_label": None,
            "high_label": None, "choices": [{"value": v, "text": t} for v, t in _FREQUENCY],
            "required": True, "flag_at": None,
        }
        for id_, text in (
            ("interest", _t("Little interest or pleasure in doing things",
                            "Poco interés o placer en hacer cosas",
                            "Pouco interesse ou prazer em fazer as coisas")),
            ("down", _t("Feeling down, depressed, or hopeless",
                        "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
                        "Se sentir para baixo, deprimido(a) ou sem perspectiva")),
        )
    ],
}  # fmt: skip
