"""Tests that flow YAML is read plainly, with lines, and that risky YAML is refused."""

from __future__ import annotations

import pytest

from flows.format.yaml_loader import LocatedDict, LocatedList, YamlFileError, load_yaml


def test_yes_no_on_off_and_times_stay_text_as_staff_wrote_them() -> None:
    data = load_yaml("no: x\nyes: y\non: 'z'\nat: 12:30\nflag: true\ncount: 3\nratio: 1.5\n")
    assert data == {
        "no": "x",
        "yes": "y",
        "on": "z",
        "at": "12:30",
        "flag": True,
        "count": 3,
        "ratio": 1.5,
    }


def test_every_key_and_item_remembers_its_line() -> None:
    data = load_yaml("a: 1\nsteps:\n  one:\n    say:\n      - hi\n      - there\n")
    assert isinstance(data, LocatedDict)
    assert data.key_lines == {"a": 1, "steps": 2}
    say = data["steps"]["one"]["say"]
    assert isinstance(say, LocatedList) and say.item_lines == [5, 6]


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("a: 1\nb: [\n", 3, "not valid YAML"),
        ("a: 1\na: 2\n", 2, "lines 1 and 2"),
        ("base: &b {x: 1}\ncopy: *b\n", 2, "aliases"),
        ("? [a, b]\n: c\n", 1, "plain word"),
    ],
)
def test_bad_yaml_is_refused_with_its_line(text: str, line: int, hint: str) -> None:
    with pytest.raises(YamlFileError) as caught:
        load_yaml(text)
    assert caught.value.line == line
    assert hint in caught.value.message


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(YamlFileError, match="aliases"):
        load_yaml(bomb)
