"""app store package."""
