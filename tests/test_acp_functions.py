"""Worksheet functions of the ACP test: ACP_LIMIT through the registry, ACP_TEST's engine on whole ranges."""

from __future__ import annotations

import pytest

from megabackdoor.errors import InputError
from megabackdoor.excel import registry
from megabackdoor.excel.functions_acp import acp_test_verdict


def test_acp_limit_cells_and_ranges():
    assert registry.evaluate("ACP_LIMIT", 0.04) == 0.06
    assert registry.evaluate("ACP_LIMIT", [[0.01], [0.02], [0.10]]) == [[0.02], [0.04], [0.125]]
    with pytest.raises(InputError) as caught:
        registry.evaluate("ACP_LIMIT", 4)
    assert caught.value.excel_error == "#NUM!" and "pass 0.0400 for 4%" in str(caught.value)


def test_acp_limit_examples_hold():
    spec = registry.get("ACP_LIMIT")
    for example in spec.examples:
        if example.error:
            with pytest.raises(InputError) as caught:
                registry.call(spec, example.args)
            assert caught.value.excel_error == example.error
        else:
            assert example.holds(registry.call(spec, example.args))


def test_acp_test_engine_on_whole_columns():
    # HCEs 8% and 6% (7%), NHCEs 3%, 5%, 4% (4%): limit 6% -> FAIL; HCEs at 6% -> PASS (equal to the limit).
    assert acp_test_verdict([[0.08], [0.06]], [[0.03], [0.05], [0.04]]) == "FAIL"
    assert acp_test_verdict([[0.06], [0.06], [None]], [[0.04]]) == "PASS"
    with pytest.raises(InputError) as caught:
        acp_test_verdict([[0.06]], [[None]])
    assert caught.value.excel_error == "#N/A"
