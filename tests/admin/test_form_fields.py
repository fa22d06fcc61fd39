"""Tests of the form field macro: each attribute stands apart, so a required field is required
and its hint and error are tied to it for screen readers."""

from __future__ import annotations

import re

from admin.web.templating import build_templates


def _input(**kwargs: object) -> str:
    template = build_templates().env.from_string(
        '{% from "_forms.html" import field with context %}'
        "{{ field(name, 'Label', errors, {}, **options) }}"
    )
    name = "pw"
    errors = kwargs.pop("errors", {})
    page = template.render(csrf_token="t", name=name, errors=errors, options=kwargs)
    found = re.search(r"<input [^>]*>", page)
    assert found, page
    return found.group(0)


def test_a_required_field_with_a_hint_has_both_attributes() -> None:
    tag = _input(hint="At least 12 characters", required=True)
    assert " required " in tag
    assert ' aria-describedby="f-pw-hint "' in tag


def test_a_field_with_an_error_points_at_it() -> None:
    tag = _input(errors={"pw": "Too short"}, type="password", required=True)
    assert " required " in tag and ' aria-invalid="true" ' in tag
    assert 'aria-describedby="f-pw-error"' in tag and "value=" not in tag
