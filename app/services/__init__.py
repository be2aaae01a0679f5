"""app services package."""
