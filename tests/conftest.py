"""This module contains pytest options and fixtures shared by every test."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the expected events in golden files instead of comparing; read the diff.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden files rather than check them."""
    return bool(request.config.getoption("--update-goldens"))


#: The data key every test process seals with (a fixed Fernet key, for tests only).
TEST_DATA_KEY = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


@pytest.fixture(autouse=True, scope="session")
def data_key() -> str:
    """Seal personal data in every test with one known key (see storage/sealing.py)."""
    from storage import sealing

    sealing.use_keys([TEST_DATA_KEY])
    return TEST_DATA_KEY
