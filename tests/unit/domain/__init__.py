"""tests unit domain package."""
