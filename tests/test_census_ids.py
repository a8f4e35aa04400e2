"""The duplicate-id check (linear in the census size) names the same rows as comparing every id as
text: ids equal without surrounding spaces are duplicates, the first occurrence is not reported, and ids
whose hashes collide but differ are not duplicates."""

from __future__ import annotations

import io

import pytest
from _seeds import scaled
from hypothesis import example, given, settings
from hypothesis import strategies as st

from megabackdoor import census
from megabackdoor.errors import InputError

HEADER = "id,compensation,prior compensation,owner,eligible,match,after tax"
IDS = st.lists(st.tuples(st.sampled_from(["A1", "B2", "C3", "D4", "E5", "a1", "A 1", "E5x"]),
                         st.sampled_from(["", " ", "  "]), st.sampled_from(["", " "])), min_size=1, max_size=12)


def _read(ids: list[str]):
    rows = [f"{identifier},1000,1,n,y,0,0" for identifier in ids]
    return census.read_census(io.StringIO("\n".join([HEADER, *rows]) + "\n"))


def _first_repeat(ids: list[str]) -> int | None:
    seen = set()
    for number, identifier in enumerate(ids, start=2):
        if identifier.strip() in seen:
            return number
        seen.add(identifier.strip())
    return None


def _check(ids: list[str]) -> None:
    expected = _first_repeat(ids)
    if expected is None:
        assert list(_read(ids).frame["id"]) == [identifier.strip() for identifier in ids]
    else:
        with pytest.raises(InputError) as caught:
            _read(ids)
        assert caught.value.argument == f"row {expected}, column 'id' (id)"


@settings(max_examples=scaled(60), deadline=None, derandomize=True)
@given(IDS)
def test_duplicates_are_the_text_comparison(drawn):
    _check([left + identifier + right for identifier, left, right in drawn])


@pytest.mark.parametrize("ids", [["A1", "B2", "C3"], ["A1", "B2", " A1"], ["x", "y", "x ", "y", "z"]])
def test_every_id_hashing_alike_still_compares_the_text(monkeypatch, ids):
    monkeypatch.setattr(census, "hash", lambda text: 7, raising=False)     # every id collides
    _check(ids)


# Ids of one width get integer keys from their bytes (exact up to 8 bytes, hashed beyond): short and long
# widths, sorted and unsorted, with and without repeats, must name the same rows as the text comparison.
SAME_WIDTH = st.integers(1, 19).flatmap(lambda width: st.tuples(
    st.lists(st.text("0A9z-_.", min_size=width, max_size=width), min_size=1, max_size=14), st.booleans()))


@settings(max_examples=scaled(80), deadline=None, derandomize=True)
@given(SAME_WIDTH)
def test_ids_of_one_width_are_keyed_like_the_text_comparison(drawn):
    ids, ordered = drawn
    _check(sorted(ids) if ordered else ids)


@pytest.mark.parametrize("ids", [["E0000001", "E0000002", "E0000003"], ["E0000001", "E0000002", "E0000001"],
                                 ["LONG-ID-000000001", "LONG-ID-000000002", "LONG-ID-000000001"],
                                 ["LONG-ID-000000001", "LONG-ID-000000002"]])
def test_every_width_key_alike_still_compares_the_text(monkeypatch, ids):
    real = census._width_keys
    monkeypatch.setattr(census, "_width_keys", lambda *args: real(*args) * 0)     # every id collides
    _check(ids)


@pytest.mark.parametrize("ids", [["A 1", "A1", "A 1 "], ["AB", "A", "ABC", "A"], ["A\tB", "A B"], ["Z", "Y", "X"]])
def test_ids_of_varied_widths_or_inner_spaces(ids):
    _check(ids)


# The ids are checked ID_BLOCK at a time: with blocks of 3 ids, a census whose widths, spaces, non-ASCII text or
# repeats fall in a later block, or straddle a block edge, gets what the one-pass check (one block) gives.
BLOCKED = st.lists(st.sampled_from(["E01", "E02", "E03", "E04", "E05", "E0006", "E 07", " E08", "É09", "E10 ", "E1",
                                    "E2", "", "LONG-ID-000000001", "LONG-ID-000000002"]), min_size=1, max_size=11)


@settings(max_examples=scaled(120), deadline=None, derandomize=True)
@given(BLOCKED)
@example(["E01", "E02", "E03", "E1"])                       # the next block has ids of another width
@example(["E01", "E02", "E03", "E04", "E05", "E01", ""])   # a repeat across blocks; an empty id at the end
def test_ids_checked_block_by_block_are_checked_as_in_one_pass(ids):
    cells = census.np.array(ids, dtype=object)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(census, "ID_BLOCK", 3)
        clean, keys = census._clean_ascii_ids(cells)
        if "" not in ids:  # a CSV reads an empty cell as a blank, not as text
            _check(ids)
    whole_clean, whole_keys = census._clean_ascii_ids(cells)   # 65,536 to a block: one pass
    assert clean == whole_clean
    assert (keys is None) == (whole_keys is None)
    if keys is not None:
        assert keys.tolist() == whole_keys.tolist()
    assert clean == all(i and i.isascii() and i == i.strip() for i in ids)
    # keys on the fast path only: every id ASCII, of one width, without any space
    assert (keys is not None) == (clean and len({len(i) for i in ids}) == 1 and not any(" " in i for i in ids))
