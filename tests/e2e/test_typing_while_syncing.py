"""What a patient is typing is theirs: a change from the clinic landing mid-word must not wipe it.

Every change the app syncs re-renders the screen. A text field whose text the app did not hand
back on that render was emptied in the browser (Flet sends the field's value as it was last
rendered), so a PIN typed into Settings or the lock screen vanished when, say, the counsellor added
an assignment: the digits typed after it were all the app got ("Use 4 to 8 digits", or a wrong
PIN at the lock screen).
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import Stack, signed_in
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
PIN = "2468"
LANDED_S = 1.5  # after the clinic has served the sync: the app re-reads and re-renders within this


def a_change_from_the_clinic_lands(stack: Stack, title: str) -> None:
    """The counsellor adds an assignment; return once the app has pulled it and re-rendered."""
    clinic = stack.clinic
    patient = clinic.patient_id("alex")
    reads = clinic.audit_actions(patient)["sync.read"]
    clinic.add_assignment(patient, title)
    wait_until(
        lambda: clinic.audit_actions(patient)["sync.read"] > reads, timeout=20, message="the app never synced"
    )
    time.sleep(LANDED_S)


def test_a_pin_typed_while_the_clinic_changes_something_is_kept(stack: Stack) -> None:
    page = stack.page
    signed_in(stack)
    page.open_settings("pin-new")
    page.fill("pin-new", PIN[:2])
    a_change_from_the_clinic_lands(stack, "Write down three triggers")
    page.page.keyboard.type(PIN[2:])  # the rest of the PIN, in the field that still has the focus
    page.fill("pin-confirm", PIN)
    page.tap("lock-enable")  # once: a second tap would hide what the first one did
    page.wait_id("lock-now")

    page.tap("lock-now")
    page.fill("pin-entry", PIN[:2])
    a_change_from_the_clinic_lands(stack, "A letter to myself")
    page.page.keyboard.type(PIN[2:])
    page.tap("pin-unlock")
    page.wait_id("nav-today")
