"""app domain package."""
