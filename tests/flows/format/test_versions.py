"""Tests of format versions: the upgrade chain, and files from a newer format."""

from __future__ import annotations

from typing import Any

import pytest

from flows.format.versions import CURRENT_FORMAT, FormatVersionError, upgrade


def test_a_current_document_is_unchanged() -> None:
    document = {"format": CURRENT_FORMAT, "id": "x"}
    assert upgrade(dict(document)) == document


def test_old_documents_run_through_each_migration_in_turn() -> None:
    def one_to_two(doc: dict[str, Any]) -> dict[str, Any]:
        nodes = doc.pop("nodes")
        return {**doc, "steps": nodes}

    def two_to_three(doc: dict[str, Any]) -> dict[str, Any]:
        language = doc.pop("language")
        return {**doc, "languages": [language]}

    old = {"format": 1, "nodes": {"a": {}}, "language": "en"}
    upgraded = upgrade(old, {1: one_to_two, 2: two_to_three}, current=3)
    assert upgraded == {"format": 3, "steps": {"a": {}}, "languages": ["en"]}


@pytest.mark.parametrize(
    ("version", "hint"),
    [
        (None, "Add 'format: 1'"),
        ("one", "whole number"),
        (0, "whole number"),
        (True, "whole number"),
        (CURRENT_FORMAT + 1, "Update Companion"),
    ],
)
def test_a_missing_bad_or_newer_format_is_refused_with_advice(version: Any, hint: str) -> None:
    document = {} if version is None else {"format": version}
    with pytest.raises(FormatVersionError, match=hint):
        upgrade(document)
