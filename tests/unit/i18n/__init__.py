"""Tests of the translators, babel formatting and the catalogue tooling."""
