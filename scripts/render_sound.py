"""Render the staff console's new-alert chime: assets/sounds/new-alert.wav (committed; run after editing).

    python -m scripts.render_sound

A short, calm two-tone chime (a rising major third, C5 then E5, each with a soft attack and a bell-like
decay), mono 16-bit at 8 kHz: about 8 KB. Deterministic: the same bytes every run (the test checks the
committed file is this script's output).
"""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "new-alert.wav"
RATE = 8_000
NOTES = ((523.25, 0.0), (659.25, 0.18))  # (Hz, start in seconds)
LENGTH = 0.55  # seconds
PEAK = 0.45  # of full scale: noticeable, not startling


def samples() -> list[float]:
    out = [0.0] * int(RATE * LENGTH)
    for freq, start in NOTES:
        first = int(RATE * start)
        for i in range(first, len(out)):
            t = (i - first) / RATE
            attack = min(1.0, t / 0.012)  # 12 ms: no click
            envelope = attack * math.exp(-t * 7.0)
            tone = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            out[i] += envelope * tone
    tail = int(RATE * 0.03)  # fade the last 30 ms to silence
    for k in range(tail):
        out[-1 - k] *= k / tail
    top = max(abs(x) for x in out)
    return [x * PEAK / top for x in out]


def render() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"".join(struct.pack("<h", round(x * 32767)) for x in samples()))
    return buffer.getvalue()


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(render())
    print(f"render_sound: wrote {OUT.relative_to(OUT.parents[2])} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
