"""`python -m clinic`: see clinic.cli."""

from __future__ import annotations

from clinic.cli import main

raise SystemExit(main())
