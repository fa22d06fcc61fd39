"""Every admin page declares what its template is given: a context dataclass whose fields each
say, in `help`, what they hold; and the templates are given exactly those fields."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import admin.web
from tests.admin.conftest import AdminWorld


def context_classes() -> list[type]:
    found = []
    for module_info in pkgutil.iter_modules(admin.web.__path__):
        module = importlib.import_module(f"admin.web.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__name__.endswith("Context")
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_page_context_field_says_what_it_holds() -> None:
    classes = context_classes()
    assert len(classes) >= 4
    missing = [
        f"{cls.__name__}.{field.name}"
        for cls in classes
        for field in dataclasses.fields(cls)
        if not str(field.metadata.get("help", "")).strip()
    ]
    assert missing == []


def test_a_rendered_page_is_given_its_context_fields(admin: AdminWorld) -> None:
    from admin.web.pages_accounts import AccountsContext

    admin.log_in("ada")
    page = admin.client.get("/admin/accounts")
    assert page.template.name == "accounts.html"
    given = set(page.context)
    declared = {field.name for field in dataclasses.fields(AccountsContext)}
    assert declared <= given
    common = {"request", "viewer", "csrf_token", "programme_name", "notices", "Ability"}
    assert given - declared <= common | {"current_path"}
