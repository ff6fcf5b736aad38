"""partialload_opt/verify/report.py's Report: a report folder's report.json, as read, in one line and
in a notebook (escaped HTML)."""

from __future__ import annotations

import json

import pytest

from partialload_opt.errors import InputError
from partialload_opt.verify.report import Report

from conftest import ROOT

QPART = ROOT / "docs" / "verify-qpart"


def test_a_report_is_its_report_json_unchanged():
    doc = json.loads((QPART / "report.json").read_text())
    assert Report.load(QPART).doc == doc == Report.load(QPART / "report.json").doc


def test_a_report_says_what_it_is_in_one_line(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert repr(Report.load("docs/verify-qpart")) == (
        "Report('docs/verify-qpart', 204 instances, 7 entries: 2 held, 5 violated, seed 7)"
    )


def test_a_reports_html_escapes_and_shows_every_entrys_counts(tmp_path):
    html = Report.load(QPART)._repr_html_()
    for fact in (">qpart-rounding<", ">without-loss<", ">204<", ">134<", ">70<"):
        assert fact in html, fact
    doc = json.loads((QPART / "report.json").read_text())
    doc["claims"][0]["reading"] = "<i>"
    doc["solver_bugs"] = [{"instance": "a&b", "bug": "claims <3>"}]
    (tmp_path / "report.json").write_text(json.dumps(doc))
    html = Report.load(tmp_path)._repr_html_()
    assert "<i>" not in html and "&lt;i&gt;" in html and "a&amp;b: claims &lt;3&gt;" in html
    assert repr(Report.load(tmp_path)).endswith("seed 7, 1 solver bug)")


def test_a_folder_without_a_report_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        Report.load(tmp_path)
    (tmp_path / "report.json").write_text('{"claims": 3}')
    with pytest.raises(InputError, match="is not a verification report"):
        Report.load(tmp_path)
