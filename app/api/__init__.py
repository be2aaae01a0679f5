"""The Clinic Sync API client: the only module that imports httpx."""

from __future__ import annotations
