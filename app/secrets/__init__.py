"""app secrets package."""
