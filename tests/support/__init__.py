"""Test support shared by every test suite: the real clinic server on loopback, and its fixtures."""
