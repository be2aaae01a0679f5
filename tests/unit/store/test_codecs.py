"""The store's fast codec paths give exactly what the generic ones give (stores on disk depend on it)."""

from __future__ import annotations

import json

import pytest

from app.store.crypto import KeyRing, Sealer, associated_data, load_json
from app.store.errors import RecordDamagedError
from app.store.rows import open_records, record_ad


@pytest.mark.parametrize(
    ("type_", "id_", "version"),
    [
        ("schedule_item", "item-00001", 1),
        ("rsvp", "0b7d2f0e-5a4c-4f4e-9d1e-3c2b1a0f9e8d", 0),
        ("coping_plan", "plan/ñandú 💙", 2**53),
        ("share", "", -1),
    ],
)
def test_a_record_is_bound_to_the_same_bytes_it_was_sealed_with_before(
    type_: str, id_: str, version: int
) -> None:
    assert record_ad(type_, id_, version) == associated_data("record", type_, id_, version)


@pytest.mark.parametrize(
    "text",
    [
        '{"title":"Process group","video_url":null,"n":3,"x":1.5,"ok":true,"tags":["a","b"]}',
        '{"note":"caf\u00e9 \\u2764 \\"quoted\\""}',
        "[]",
        '"plain"',
        "42",
        ' {"a": 1} ',  # whitespace around: json.loads accepts it, so does load_json
        '\n{"a":\t[1, 2]}\n',
    ],
)
def test_load_json_reads_what_json_loads_reads(text: str) -> None:
    assert load_json(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", " ", "{", '{"a":1} x', "[1] [2]", "{'a': 1}", "NaN x", "\ufeff{}"])
def test_load_json_refuses_what_json_loads_refuses(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        load_json(text)


def test_open_many_authenticates_each_value_against_its_own_associated_data() -> None:
    ring = KeyRing.generate()
    sealer = Sealer(ring)
    kid, one = sealer.seal(b"ad-1", b"first")
    _, two = sealer.seal(b"ad-2", b"second")
    opened = sealer.open_many(
        [
            (kid, b"ad-1", one),
            (kid, b"ad-1", two),
            (kid, b"ad-2", two),
            ("other", b"ad-2", two),
            (kid, b"ad-1", one[:27]),
        ]
    )
    assert opened == [b"first", None, b"second", None, None]
    with pytest.raises(RecordDamagedError):
        sealer.open(kid, b"ad-1", two)  # the single-value path agrees


def test_open_records_keeps_the_order_and_sets_aside_what_does_not_open() -> None:
    sealer = Sealer(KeyRing.generate())
    rows = []
    for n, payload in enumerate([b'{"n":0}', b'{"n":1}', b"[2]", b'{"n":3}']):
        kid, sealed = sealer.seal(record_ad("schedule_item", f"i{n}", n + 1), payload)
        rows.append((f"i{n}", n + 1, kid, sealed))
    rows[1] = ("i1", 9, *rows[1][2:])  # the clear version no longer matches what was sealed
    found, damaged = open_records(sealer, "schedule_item", rows)
    assert [(r.type, r.id, r.version, r.data) for r in found] == [
        ("schedule_item", "i0", 1, {"n": 0}),
        ("schedule_item", "i3", 4, {"n": 3}),
    ]
    assert damaged == ["i1", "i2"]
