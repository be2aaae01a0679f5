"""Unit tests of app.state."""
