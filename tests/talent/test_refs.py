"""Reference resolution against the last results shown."""

from __future__ import annotations

import pytest

from talent.refs import UnresolvedReference, resolve

SHOWN = ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("the second one", ["b"]),
        ("second", ["b"]),
        ("2nd", ["b"]),
        ("#3", ["c"]),
        ("number 4", ["d"]),
        ("the first", ["a"]),
        ("the last one", ["e"]),
        ("the last three", ["c", "d", "e"]),
        ("last 2", ["d", "e"]),
        ("the first two", ["a", "b"]),
        ("top 3", ["a", "b", "c"]),
        ("2 and 4", ["b", "d"]),
        ("1, 3 and 5", ["a", "c", "e"]),
        ("1-3", ["a", "b", "c"]),
        ("all of them", SHOWN),
        ("doosri wali", ["b"]),
        ("teesra", ["c"]),
        ("दूसरी", ["b"]),
        ("d", ["d"]),
    ],
)
def test_resolve(reference: str, expected: list[str]) -> None:
    assert resolve(reference, SHOWN) == expected


def test_pronoun_needs_one_result() -> None:
    assert resolve("her", ["x"]) == ["x"]
    with pytest.raises(UnresolvedReference, match="which one"):
        resolve("her", SHOWN)


@pytest.mark.parametrize("reference", ["the ninth one", "somebody nice"])
def test_unresolvable(reference: str) -> None:
    with pytest.raises(UnresolvedReference):
        resolve(reference, SHOWN)


def test_nothing_shown_yet() -> None:
    with pytest.raises(UnresolvedReference, match="no results"):
        resolve("the second one", [])
