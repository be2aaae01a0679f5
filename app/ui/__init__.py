"""app ui package."""
