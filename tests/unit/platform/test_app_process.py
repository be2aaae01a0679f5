"""The app's serving process keeps its start-up objects out of the garbage collector's full collections.

A full (generation 2) collection walks every tracked object while holding the GIL — 20-40 ms for
the ~75,000 objects the app's start-up builds — and lands in whichever session's first frame or tap
allocated last. `python -m app.main` freezes them before Flet starts serving.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.app_server import ROOT

# Runs app.main in a fresh interpreter up to the point where Flet would start serving, and reports
# what the collector would walk there.
PROBE = """
import gc, sys
import flet as ft

def run(main, **kwargs):
    print(gc.get_freeze_count(), len(gc.get_objects()))

ft.run = run
from app import main
sys.exit(main.run(["--data-dir", sys.argv[1], "--port", "0"]))
"""


def test_a_full_collection_in_the_app_process_skips_what_start_up_built(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "app")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, tracked = (int(n) for n in done.stdout.split()[-2:])
    assert frozen > 40_000, f"start-up objects left to every full collection ({frozen} frozen)"
    assert tracked < frozen / 10, f"{tracked} objects still tracked against {frozen} frozen"
