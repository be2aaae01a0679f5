"""Errors of the secrets layer.

SecretsError
├── SecretBackendUnavailableError   no safe keychain here (fail/null/plaintext backend)
└── SecretAccessError               the keychain exists but refused or failed a call
"""

from __future__ import annotations


class SecretsError(Exception):
    """Base of every secrets-layer error; `code` is a message key the UI translates."""

    code = "secrets.error"


class SecretBackendUnavailableError(SecretsError):
    """No keychain that keeps secrets encrypted; the app refuses to fall back to plaintext."""

    code = "secrets.no_backend"


class SecretAccessError(SecretsError):
    """The keychain is there but a call failed (locked, denied, D-Bus error)."""

    code = "secrets.access_failed"
