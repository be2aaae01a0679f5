"""The console's Flet components (one screen per module)."""
