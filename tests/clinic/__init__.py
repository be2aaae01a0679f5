"""tests clinic package."""
