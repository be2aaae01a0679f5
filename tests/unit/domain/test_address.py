"""One rule for the clinic's address: the sign-in form and the API client never disagree."""

from __future__ import annotations

import pytest

from app.api import errors
from app.api.client import check_server_url
from app.domain.address import address_problem

ADDRESSES = [
    ("https://clinic.example.org", None),
    ("https://clinic.example.org/", None),
    ("http://127.0.0.1:8000", None),
    ("http://127.8.9.1", None),
    ("http://[::1]:81", None),
    ("http://localhost:5000", None),
    ("http://LOCALHOST:5000", None),
    ("http://clinic.example.org", "auth.https_required"),
    ("http://10.0.0.2", "auth.https_required"),
    ("http://127.evil.example", "auth.https_required"),  # a name, not a loopback address
    ("http://127.0.0.1.evil.example", "auth.https_required"),
    ("http://localhost.evil.example", "auth.https_required"),
    ("ftp://clinic.example.org", "auth.url_invalid"),
    ("clinic.example.org", "auth.url_invalid"),
    ("https://", "auth.url_invalid"),
    ("http://[::1", "auth.url_invalid"),
]


@pytest.mark.parametrize(("url", "problem"), ADDRESSES)
def test_only_https_or_plain_http_to_loopback_is_a_usable_clinic_address(
    url: str, problem: str | None
) -> None:
    assert address_problem(url) == problem


@pytest.mark.parametrize(("url", "problem"), ADDRESSES)
def test_the_api_client_takes_exactly_the_addresses_the_sign_in_form_takes(
    url: str, problem: str | None
) -> None:
    if problem is None:
        assert not check_server_url(url).endswith("/")
    else:
        with pytest.raises(errors.InsecureServerError):
            check_server_url(url)
