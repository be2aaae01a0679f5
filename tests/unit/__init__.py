"""tests unit package."""
