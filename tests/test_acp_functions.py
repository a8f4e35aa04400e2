"""Worksheet functions of the ACP test through the registry: ACP_LIMIT per cell, ACP_TEST on whole columns."""

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
    assert caught.value.excel_error == "#NUM!" and "pass 0.04 for 4%" in str(caught.value)


@pytest.mark.parametrize("name", ["ACP_LIMIT", "ACP_TEST", "ADP_LIMIT", "ADP_TEST"])
def test_examples_hold(name):
    spec = registry.get(name)
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


def test_acp_test_through_the_registry_takes_columns_whole():
    # HCEs 13% and 3% (8%), NHCEs 3% and 5% (4%): limit 6% -> FAIL; a one-cell range works too.
    assert registry.evaluate("ACP_TEST", [[0.13], [0.03]], [[0.03], [0.05]]) == "FAIL"
    assert registry.evaluate("ACP_TEST", 0.06, 0.04) == "PASS"
    assert registry.evaluate("ACP_TEST", [[0.06], ["#N/A"]], [[0.04]]) == "#N/A"   # an error cell passes on
    with pytest.raises(InputError) as caught:
        registry.evaluate("ACP_TEST", [[0.06], ["6%"]], [[0.04]])
    assert caught.value.argument == "hce_ratios[2]" and caught.value.excel_error == "#VALUE!"


def test_limits_use_the_rounded_nhce_figure():
    assert registry.evaluate("ACP_LIMIT", 0.065875) == 0.0859
    assert registry.evaluate("ADP_LIMIT", [[0.03], [0.0378]]) == [[0.05], [0.0578]]
    # HCE ADP (6.71 + 17.50)/2 = 12.105% -> 12.11% vs NHCE 6.5875% -> 6.59%, limit 8.59%: FAIL
    assert registry.evaluate("ADP_TEST", [[0.0671], [0.175]], [[0.0706], [0.0679], [0.125], [0]]) == "FAIL"
    assert registry.evaluate("ACP_TEST", [[0.0859]], [[0.0706], [0.0679], [0.125], [0]]) == "PASS"
