"""The one place that turns error codes (ServiceError/SignInError/problem keys) into translated text."""

from __future__ import annotations

from app.i18n import Translator


def problem_text(tr: Translator, code: str) -> str:
    """Plain-language, translated text for an error code; never the raw code."""
    return tr.problem(code)


def N_(message: str) -> str:
    return message
