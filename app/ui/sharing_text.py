"""Plain-language texts of sharing: scope names, the consent, why access ended, and form problems."""

from __future__ import annotations

from datetime import datetime

from app.domain.model import ShareScope
from app.i18n import N_, Translator

_SCOPE_LABELS: dict[ShareScope, str] = {
    ShareScope.TIMES: N_("Dates and times only"),
    ShareScope.DETAILS: N_("Dates, times, session names and places"),
    ShareScope.FAMILY_SESSIONS: N_("Family sessions only"),
}

_SCOPE_WHAT: dict[ShareScope, str] = {
    ShareScope.TIMES: N_("the dates and times of your sessions, without their names or places"),
    ShareScope.DETAILS: N_("the dates, times, names and places of your sessions"),
    ShareScope.FAMILY_SESSIONS: N_("your family sessions only, with their names and places"),
}

# Not a copy of app.i18n.PROBLEMS: form checks of the sharing screens, and the enrolment-code
# problems reworded for an invitation from a person rather than a code from the clinic.
_INVITATION_PROBLEMS: dict[str, str] = {
    "share.name_missing": N_("Write the name of the person you are inviting."),
    "share.relationship_missing": N_("Write who this person is to you, for example “partner”."),
    "share.purpose_missing": N_("Write what the sharing is for, for example “rides to my sessions”."),
    "family.code_missing": N_("Type the invitation code you were given."),
    "family.name_missing": N_("Write your name, so the person who invited you knows it is you."),
    "family.username_short": N_("Choose a username of at least 3 characters."),
    "family.password_short": N_("Choose a password of at least 8 characters."),
    "family.not_family_account": N_(
        "This is a patient account. To see a schedule someone shares with you, make a family account."
    ),
    "auth.code_invalid": N_(
        "That invitation code did not work. Check it, or ask the person who invited you."
    ),
    "auth.code_expired": N_("This invitation has expired. Ask the person who invited you for a new one."),
    "auth.code_used": N_("This invitation was already used. Ask the person who invited you for a new one."),
}


def scope_label(tr: Translator, scope: ShareScope) -> str:
    return tr.gettext(_SCOPE_LABELS[scope])


def share_problem(tr: Translator, code: str) -> str:
    """Texts that speak of invitations rather than the clinic's enrolment codes; else the app's own."""
    return tr.gettext(_INVITATION_PROBLEMS[code]) if code in _INVITATION_PROBLEMS else tr.problem(code)


def consent_preview(tr: Translator, scope: ShareScope, until: datetime, name: str = "") -> list[str]:
    """What the patient agrees to, before "I agree": the same consent as the invitation will carry
    (what is disclosed by seeing a schedule at all, and the 42 CFR Part 2 notice included)."""
    first = name.strip() or tr.gettext("The person you invite")
    within = name.strip() or tr.gettext("the person you invite")
    return [
        tr.gettext("{name} will see {what}, until {date}.").format(
            name=first, what=tr.gettext(_SCOPE_WHAT[scope]), date=tr.date(until, "long")
        ),
        _treatment(tr, within),
        _never_and_revoke(tr),
        _part2(tr, within),
    ]


def consent_text(
    tr: Translator, name: str, relationship: str, scope: ShareScope, purpose: str, until: datetime
) -> list[str]:
    """The consent in plain words, one sentence a paragraph."""
    return [
        tr.gettext("{name} ({relationship}) will see {what}, until {date}.").format(
            name=name,
            relationship=relationship,
            what=tr.gettext(_SCOPE_WHAT[scope]),
            date=tr.date(until, "long"),
        ),
        tr.gettext("What it is for: {purpose}").format(purpose=purpose),
        _treatment(tr, name),
        _never_and_revoke(tr),
        _part2(tr, name),
    ]


def _treatment(tr: Translator, name: str) -> str:
    return tr.gettext("Seeing your schedule tells {name} that you are in a treatment program.").format(
        name=name
    )


def _part2(tr: Translator, name: str) -> str:
    return tr.gettext(
        "Federal law (42 CFR Part 2) does not allow {name} to pass this on to anyone else "
        "without your written consent."
    ).format(name=name)


def _never_and_revoke(tr: Translator) -> str:
    return tr.gettext(
        "They will never see your assignments, your coping plan, your support alerts, your drug and "
        "alcohol tests or your attendance. You can stop sharing at any time here: they lose access "
        "the next time their app connects, and what it saved is erased."
    )


def ended_text(tr: Translator, reasons: list[str]) -> str:
    """Why a family member no longer sees a schedule (no name: the device keeps none)."""
    if reasons and all(r == "expired" for r in reasons):
        return tr.gettext(
            "The time someone chose for sharing their schedule with you has ended. "
            "Their schedule has been erased from this device."
        )
    return tr.gettext(
        "Someone stopped sharing their schedule with you. Their schedule has been erased from this device."
    )
