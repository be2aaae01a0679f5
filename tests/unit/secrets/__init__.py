"""Unit tests of app.secrets."""
