"""Coping plan editor state: what is typed in an "Add" box is kept when the editor closes."""

from __future__ import annotations

from app.state.coping import ENTRY_LIMIT, CopingState
from tests.support.memory_services import MemoryPatientServices


async def loaded() -> tuple[CopingState, MemoryPatientServices]:
    services = MemoryPatientServices(signed_in=True)
    state = CopingState(plans=services.coping)
    await state.load()
    return state, services


async def test_text_typed_without_pressing_add_is_added_and_saved_when_the_editor_closes() -> None:
    state, services = await loaded()
    state.type("on_my_own", "Call my sister")
    state.type("reasons", "  ")  # blank: nothing to keep
    assert await state.keep_typed()
    plan = await services.coping.coping_plan()
    assert plan.on_my_own[-1] == "Call my sister"
    assert plan.pending  # saved on the device, waiting to be sent
    assert plan.reasons == ("My daughter",)
    assert state.typing == {"reasons": "  "}


async def test_an_entry_too_long_to_send_is_never_cut_and_stays_in_its_box() -> None:
    state, services = await loaded()
    long = "word " * (ENTRY_LIMIT // 5 + 1)
    state.type("warning_signs", long)
    assert not state.add("warning_signs", long)
    assert not await state.keep_typed()
    assert state.typing["warning_signs"] == long  # shown again when the editor opens
    assert (await services.coping.coping_plan()).warning_signs == ("Skipping meals",)


async def test_nothing_typed_saves_nothing() -> None:
    state, services = await loaded()
    assert not await state.keep_typed()
    assert not (await services.coping.coping_plan()).pending
