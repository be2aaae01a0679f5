"""The typed wire contract in /openapi.json, and docs/api.md's tables generated from it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clinic.schemas import CHANGES, MUTATIONS
from scripts import api_docs
from tests.support.clinic_server import ClinicServer


@pytest.fixture(scope="module")
def spec(demo: ClinicServer) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{demo.url}/openapi.json", timeout=10).json()
    return answer


def test_every_record_type_has_its_own_data_schema_and_changes_are_a_union_on_type(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    items = schemas["SyncResponse"]["properties"]["changes"]["items"]
    mapping = items["discriminator"]["mapping"]
    assert items["discriminator"]["propertyName"] == "type"
    assert set(mapping) == set(CHANGES)
    for type_, ref in mapping.items():
        change = schemas[ref.rsplit("/", 1)[-1]]
        assert change["properties"]["type"]["const"] == type_
        data = change["properties"]["data"]["anyOf"]
        assert {"type": "null"} in data  # tombstones: deleted true, data null
        for schema in (d for d in data if "$ref" in d):
            record = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            assert record["type"] == "object"
            assert record["properties"], type_
            assert record["additionalProperties"] is False


def test_the_mutations_body_is_a_union_of_typed_mutations_on_type(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    items = schemas["MutationBatch"]["properties"]["mutations"]["items"]
    assert items["discriminator"]["propertyName"] == "type"
    assert set(items["discriminator"]["mapping"]) == set(MUTATIONS)
    for type_, ref in items["discriminator"]["mapping"].items():
        mutation = schemas[ref.rsplit("/", 1)[-1]]
        assert mutation["properties"]["type"]["const"] == type_
        assert mutation["properties"]["payload"]["$ref"].endswith("/" + MUTATIONS[type_][1].__name__)


@pytest.mark.parametrize("name", sorted(api_docs.GENERATORS))
def test_api_md_tables_are_the_ones_the_contract_generates(spec: dict[str, Any], name: str) -> None:
    text = api_docs.DOC.read_text(encoding="utf-8")
    assert api_docs.blocks(text)[name] == api_docs.GENERATORS[name](spec), (
        "docs/api.md is stale: run `python -m scripts.api_docs`"
    )


def test_api_md_names_every_record_and_mutation_type(spec: dict[str, Any]) -> None:
    tables = api_docs.blocks(api_docs.DOC.read_text(encoding="utf-8"))
    for type_ in CHANGES:
        assert f"| `{type_}` |" in tables["records"]
    for type_ in MUTATIONS:
        assert f"| `{type_}` |" in tables["mutations"]
