"""Unit tests of app.sync."""
