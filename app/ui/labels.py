"""Translated names of session kinds, RSVP answers and coping-plan sections."""

from __future__ import annotations

from app.domain.model import RsvpResponse, SessionKind
from app.i18n import N_, Translator

_KINDS: dict[SessionKind, str] = {
    SessionKind.CHECK_IN: N_("Check-in"),
    SessionKind.PROCESS_GROUP: N_("Process group"),
    SessionKind.INDIVIDUAL_COUNSELLING: N_("Counselling"),
    SessionKind.EDUCATION_CLASS: N_("Class"),
    SessionKind.PSYCHIATRIST: N_("Psychiatrist"),
    SessionKind.PHYSICIAN_ASSISTANT: N_("Physician assistant"),
    SessionKind.FAMILY_SESSION: N_("Family session"),
    SessionKind.DRUG_TEST: N_("Testing"),
    SessionKind.LUNCH: N_("Lunch"),
    SessionKind.ACTIVITY: N_("Activity"),
    SessionKind.SESSION: N_("Session"),
}

_RSVP: dict[RsvpResponse, str] = {
    RsvpResponse.GOING: N_("I'm going"),
    RsvpResponse.LATE: N_("Running late"),
    RsvpResponse.CANNOT: N_("Can't make it"),
}

_SECTIONS: dict[str, tuple[str, str]] = {
    "warning_signs": (N_("My warning signs and triggers"), N_("e.g. skipping meals, payday, old friends")),
    "on_my_own": (N_("Things I can do on my own"), N_("e.g. a walk, a shower, music")),
    "distractions": (N_("People and places that distract me"), N_("e.g. the library, my sister's house")),
    "people_to_ask": (N_("People I can ask for help"), N_("e.g. my sponsor, a friend")),
    "professionals": (N_("Professionals and lines I can call"), N_("e.g. my counsellor, 988")),
    "safe_surroundings": (N_("Making my surroundings safe"), N_("e.g. no alcohol at home")),
    "reasons": (N_("My reasons for recovery"), N_("e.g. my kids, my health")),
}


def kind_label(tr: Translator, kind: SessionKind) -> str:
    return tr.gettext(_KINDS.get(kind, _KINDS[SessionKind.SESSION]))


def rsvp_label(tr: Translator, response: RsvpResponse) -> str:
    return tr.gettext(_RSVP[response])


def section_label(tr: Translator, section: str) -> str:
    return tr.gettext(_SECTIONS[section][0])


def section_hint(tr: Translator, section: str) -> str:
    return tr.gettext(_SECTIONS[section][1])


def session_title(tr: Translator, title: str | None, kind: SessionKind) -> str:
    """Clinic-entered titles are data (shown as given); without one, the kind's name."""
    return title or kind_label(tr, kind)
