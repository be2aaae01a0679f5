"""app sync package."""
