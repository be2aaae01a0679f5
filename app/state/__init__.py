"""app state package."""
