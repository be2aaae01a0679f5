"""Unit tests of app.services."""
