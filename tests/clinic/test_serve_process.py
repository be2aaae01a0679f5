"""The serving process keeps its start-up objects out of the garbage collector's full collections.

A full (generation 2) collection walks every tracked object while holding the GIL: with the ~145,000
objects start-up builds it held every request for 180-270 ms (docs/PERFORMANCE.md, "Clinic
capacity"). `python -m clinic serve` freezes them before it starts serving.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.clinic_server import REPO

# Runs `python -m clinic serve` in a fresh interpreter up to the point where uvicorn would start,
# and reports what the collector would walk there.
PROBE = """
import gc, sys
import uvicorn
from clinic import cli

def run(app, **kwargs):
    print(gc.get_freeze_count(), len(gc.get_objects()))

uvicorn.run = run
cli.main(["serve", "--db", sys.argv[1]])
"""


def test_a_full_collection_in_the_serving_process_skips_what_start_up_built(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "clinic.sqlite3")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, tracked = (int(n) for n in done.stdout.split()[-2:])
    assert frozen > 50_000, f"start-up objects left to every full collection ({frozen} frozen)"
    assert tracked < frozen / 10, f"{tracked} objects still tracked against {frozen} frozen"
