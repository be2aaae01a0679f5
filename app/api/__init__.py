"""app api package."""
