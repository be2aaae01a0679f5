"""Unit tests of app.api."""
