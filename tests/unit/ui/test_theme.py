"""Status colours ("Cancelled", "Moved from…", "Overdue") read at 4.5:1 or more on both themes' cards."""

from __future__ import annotations

import pytest

from app.ui.theme import app_theme

AA = 4.5  # WCAG 2.x AA, normal-size text (the chips are 12 px)
# Material 3 draws cards on the neutral palette: light surfaces are tones 90 (surfaceContainerHighest)
# to 100, dark ones tones 4 to 24 (surfaceContainerHighest at most 22; 24 leaves a margin). The
# seed's neutral chroma is low, so a grey of the same tone has the same luminance to within a hair.
CARD_TONES = {False: (90, 96, 100), True: (4, 6, 10, 12, 17, 22, 24)}


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def tone_luminance(tone: float) -> float:
    """CIE L* (a Material tone) to relative luminance Y."""
    return ((tone + 16) / 116) ** 3 if tone > 8 else tone / 903.2962962


def contrast(a: float, b: float) -> float:
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("role", ["error", "secondary"], ids=["cancelled-overdue", "moved-due-soon"])
def test_status_text_reads_at_aa_on_every_card_of_the_theme(dark: bool, role: str) -> None:
    scheme = app_theme(dark).color_scheme
    assert scheme is not None
    colour = getattr(scheme, role)
    assert isinstance(colour, str), f"{role} is set by the app, not left to the seed"
    for tone in CARD_TONES[dark]:
        ratio = contrast(luminance(colour), tone_luminance(tone))
        assert ratio >= AA, f"{role} {colour} on a tone-{tone} card: {ratio:.2f}:1"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_on_an_error_button_reads_at_aa(dark: bool) -> None:
    scheme = app_theme(dark).color_scheme
    assert scheme is not None
    assert isinstance(scheme.error, str)
    assert isinstance(scheme.on_error, str)
    assert contrast(luminance(scheme.error), luminance(scheme.on_error)) >= AA


def test_the_old_fixed_colours_failed_on_dark_cards() -> None:
    # What the walkthrough measured (2.6–2.9:1): the reason the dark theme has tones of its own.
    for old in ("#B3261E", "#8A5A00"):
        assert contrast(luminance(old), tone_luminance(12)) < AA
