"""The console's new-alert chime: the committed WAV is scripts/render_sound.py's output, short and small."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from console.ui.root import CHIME
from scripts.render_sound import OUT, render

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def test_the_committed_chime_is_the_scripts_output_short_and_small() -> None:
    assert ASSETS / CHIME == OUT  # the UI plays the file the script writes
    committed = OUT.read_bytes()
    assert committed == render()
    assert len(committed) < 16_000
    with wave.open(io.BytesIO(committed)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
    assert 0.3 <= seconds <= 1.0
