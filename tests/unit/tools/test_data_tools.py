"""CSV, JSON and PDF tools: summaries, queries, limits and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pdf_writer import write_pdf
from tests.tool_helpers import make_service
from tools.gate import ToolCall

CSV = "name,city,age,spend\nAda,Paris,36,120.5\nBob,Lyon,25,80\nCy,Paris,41,\nDee,Rome,30,15\n"


def call(tmp_path: Path, tool: str, **arguments: object) -> dict:
    result = make_service(tmp_path).call(ToolCall(tool, arguments))
    return {"status": result.status, "result": result.result, "error": result.error}


def test_csv_summary_and_queries(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(CSV)
    summary = call(tmp_path, "table_summary", path="people.csv")["result"]
    assert summary["rows"] == 4
    assert summary["columns"]["age"] == {"filled": 4, "type": "number", "min": 25.0,
                                         "max": 41.0, "mean": 33.0}
    assert summary["columns"]["city"]["distinct"] == 3
    rows = call(tmp_path, "table_query", path="people.csv", where="city == Paris and age > 40")
    assert [r["name"] for r in rows["result"]["rows"]] == ["Cy"]
    top = call(tmp_path, "table_query", path="people.csv", sort_by="age", descending=True,
               columns=["name"], limit=2)["result"]["rows"]
    assert top == [{"name": "Cy"}, {"name": "Ada"}]
    grouped = call(tmp_path, "table_query", path="people.csv", aggregate_by="count",
                   group_by="city")["result"]
    assert grouped["groups"] == {"Paris": 2, "Lyon": 1, "Rome": 1}
    total = call(tmp_path, "table_query", path="people.csv", aggregate_by="sum:spend")
    assert total["result"]["value"] == pytest.approx(215.5)


def test_query_errors_are_readable(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(CSV)
    assert "no column 'town'" in call(tmp_path, "table_query", path="people.csv",
                                      where="town == Paris")["error"]
    assert "cannot read the condition" in call(tmp_path, "table_query", path="people.csv",
                                               where="age about 3")["error"]
    shown = call(tmp_path, "table_query", path="people.csv", where="age > 40",
                 columns=["id", "age"])
    # a column it lacks is not shown; the first, which names the row, is
    assert shown["result"]["rows"] == [{"name": "Cy", "age": "41"}]
    for wrong in ({"sort_by": "height"}, {"aggregate_by": "count", "group_by": "town"}):
        said = call(tmp_path, "table_query", path="people.csv", **wrong)["error"]
        assert said.startswith("no column") and "columns: age" in said, said
    assert "aggregate" in call(tmp_path, "table_query", path="people.csv",
                               aggregate_by="median:age")["error"]


def test_json_tables_and_pointers(tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text(json.dumps({"items": [{"a": 1}, {"a": 3}], "meta": {"v": 2}}))
    assert call(tmp_path, "table_summary", path="d.json")["result"]["rows"] == 2
    assert call(tmp_path, "json_read", path="d.json", pointer="/meta/v")["result"] == 2
    assert "does not exist" in call(tmp_path, "json_read", path="d.json",
                                    pointer="/nope")["error"]


def test_corrupt_and_oversized_files(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    assert "not valid JSON" in call(tmp_path, "json_read", path="bad.json")["error"]
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    assert "not a readable PDF" in call(tmp_path, "pdf_read", path="bad.pdf")["error"]
    (tmp_path / "big.csv").write_text("a\n" + "1\n" * 100)
    service = make_service(tmp_path, services={"data_max_bytes": 50})
    result = service.call(ToolCall("table_summary", {"path": "big.csv"}))
    assert "over the 0 MiB limit" in result.error


def test_pdf_read_and_search(tmp_path: Path) -> None:
    write_pdf(tmp_path / "report.pdf", ["Quarterly report", "Revenue grew 12 percent",
                                        "Outlook is stable"])
    read = call(tmp_path, "pdf_read", path="report.pdf", pages="2-3")["result"]
    assert read["pages"] == 3
    assert "Revenue grew 12 percent" in read["text"] and "Quarterly" not in read["text"]
    hits = call(tmp_path, "pdf_search", path="report.pdf", query="outlook")["result"]
    assert hits == [{"page": 3, "text": "Outlook is stable"}]
