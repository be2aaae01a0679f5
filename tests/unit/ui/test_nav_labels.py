"""The bottom bar's labels (issue 16, item 1): shown only when they fit their tab on one line."""

from __future__ import annotations

import flet as ft
import pytest

from app.ui.nav import label_behaviour

LABELS = ["Today", "Week", "Assignments", "My check-in", "Sharing", "Settings"]
# Widths of those labels at 12 px (100 % text) and at 200 % text, as the hidden probe measures them.
AT_100 = {
    "Today": 34.0,
    "Week": 33.0,
    "Assignments": 75.0,
    "My check-in": 70.0,
    "Sharing": 48.0,
    "Settings": 52.0,
}
AT_200 = {label: 2 * width for label, width in AT_100.items()}
Show = ft.NavigationBarLabelBehavior


@pytest.mark.parametrize(
    ("measured", "selected", "width", "expected"),
    [
        (AT_100, 0, 600, Show.ALWAYS_SHOW),  # a wide phone: every label fits
        (AT_100, 0, 390, Show.ONLY_SHOW_SELECTED),  # "Assignments" would break; "Today" fits
        (AT_100, 2, 390, Show.ALWAYS_HIDE),  # the chosen one would break: icons only
        (AT_100, 0, 195, Show.ALWAYS_HIDE),  # a 390 px phone at 200 % zoom
        (AT_200, 0, 320, Show.ALWAYS_HIDE),  # 320 px with 200 % text
        (AT_100, None, 600, Show.ALWAYS_SHOW),
        (AT_100, None, 390, Show.ALWAYS_HIDE),  # on the support screen no tab is chosen
        ({}, 0, 1000, Show.ALWAYS_HIDE),  # not measured yet: never a label that might break
    ],
)
def test_labels_show_only_when_they_fit_their_tab(
    measured: dict[str, float], selected: int | None, width: float, expected: ft.NavigationBarLabelBehavior
) -> None:
    assert label_behaviour(measured, LABELS, selected, width) is expected
