"""partialload_opt/display.py: the number formats and escaped HTML every ``_repr_html_`` is built of."""

from __future__ import annotations

import math

from partialload_opt import display as d


def test_numbers_read_as_a_person_writes_them():
    assert [d.number(x) for x in (None, math.nan, 17.0, 3, 0.1123456, 1e20)] == [
        "-",
        "-",
        "17",
        "3",
        "0.1123",
        "1e+20",
    ]
    assert [d.seconds(s) for s in (None, 8.5e-4, 0.0123, 4.567)] == [
        "-",
        "850 us",
        "12.3 ms",
        "4.57 s",
    ]
    assert d.count(1, "batch", "batches") == "1 batch" and d.count(2, "model") == "2 models"
    assert d.shorten("a\n  b " + "c" * 80, 10) == "a b ccccc…"  # 10 characters


def test_every_cell_and_title_is_escaped():
    html = d.card("<t>", d.fields([("<k>", "<v>")]), d.table(["<h>"], [["<c>"]]), d.items(["<i>"]))
    assert "<t>" not in html and "<k>" not in html and "<v>" not in html
    assert all(f"&lt;{x}&gt;" in html for x in "tkvhci")


def test_a_long_table_or_list_says_how_many_rows_it_left_out():
    rows = [[n] for n in range(25)]
    html = d.table(["n"], rows)
    assert ">19<" in html and ">20<" not in html and "… 5 more" in html
    assert "… 2 more" in d.items([str(n) for n in range(22)])
