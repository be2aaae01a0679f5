"""What signing out says it erases: a family member's device holds only the shared schedule."""

from __future__ import annotations

import pytest

from app.domain.model import Role
from app.i18n import Translator
from app.ui.sign_out import sign_out_warning


@pytest.mark.parametrize("language", ["en", "es", "pt_BR"])
def test_a_family_member_is_not_warned_about_assignments_they_do_not_have(language: str) -> None:
    tr = Translator(language, "America/New_York")
    patient = sign_out_warning(tr, Role.PATIENT, waiting=0)
    family = sign_out_warning(tr, Role.FAMILY, waiting=0)
    assert family != patient
    english = sign_out_warning(Translator("en", "America/New_York"), Role.FAMILY, waiting=0)
    assert "assignments" not in english
    assert "coping plan" not in english
    assert "schedule" in english


def test_changes_not_sent_are_counted_for_both() -> None:
    tr = Translator("en", "America/New_York")
    assert "2 changes have not reached your clinic yet" in sign_out_warning(tr, Role.PATIENT, waiting=2)
    assert "assignments and coping plan" in sign_out_warning(tr, Role.PATIENT, waiting=0)
    assert "not reached" not in sign_out_warning(tr, Role.FAMILY, waiting=0)
