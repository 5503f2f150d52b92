"""CSV and JSON tables: a summary (columns, types, statistics) and simple queries.

A query is a filter like `city == Paris and age >= 30`, with optional columns, sorting
and one aggregate (count, sum:col, mean:col, min:col, max:col), by an optional group.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from tools.context import ToolContext
from tools.data_processing.limits import data_file
from tools.declare import tool
from tools.errors import ToolFailed, ToolInputError
from tools.manifest import Permissions, Risk

TABLES = (".csv", ".tsv", ".json", ".jsonl")
CONDITION = re.compile(r"^\s*(.+?)\s*(==|!=|>=|<=|>|<|contains)\s*(.+?)\s*$")
Row = dict[str, Any]


def load_rows(file: Path) -> list[Row]:
    """The rows of a CSV/TSV file, a JSON list of objects, or JSON lines."""
    try:
        text = file.read_text("utf-8-sig")
        if file.suffix.lower() in (".csv", ".tsv"):
            dialect = "excel-tab" if file.suffix.lower() == ".tsv" else "excel"
            return [dict(r) for r in csv.DictReader(text.splitlines(), dialect=dialect)]
        if file.suffix.lower() == ".jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise ToolFailed(f"{file.name} could not be parsed: {exc}") from None
    if isinstance(data, dict):  # {"items": [...]}: the first list of objects inside
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ToolFailed(f"{file.name} is not a table (a list of objects)")
    return data


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _matches(row: Row, column: str, op: str, wanted: str) -> bool:
    value = row.get(column)
    if op == "contains":
        return wanted.lower() in str(value).lower()
    left, right = number(value), number(wanted)
    if left is not None and right is not None:
        pair: tuple[Any, Any] = (left, right)
    else:
        pair = (str(value), wanted)
    return {"==": pair[0] == pair[1], "!=": pair[0] != pair[1], ">": pair[0] > pair[1],
            "<": pair[0] < pair[1], ">=": pair[0] >= pair[1], "<=": pair[0] <= pair[1]}[op]


def select(rows: list[Row], where: str) -> list[Row]:
    if not where.strip():
        return rows
    conditions = []
    for part in re.split(r"\s+and\s+", where.strip(), flags=re.I):
        match = CONDITION.match(part)
        if not match:
            raise ToolInputError(f"cannot read the condition {part!r}: write e.g. "
                                 "'age >= 30 and city == Paris'")
        conditions.append((match.group(1), match.group(2), match.group(3).strip("'\"")))
    columns = set().union(*(r.keys() for r in rows)) if rows else set()
    for column, _, _ in conditions:
        if rows and column not in columns:
            raise ToolInputError(f"no column {column!r}; columns: {', '.join(sorted(columns))}")
    return [r for r in rows if all(_matches(r, *c) for c in conditions)]


def _known(rows: list[Row], names: list[str]) -> None:
    """A column the table does not have is refused with the ones it has: the model then
    asks again, where it would otherwise get rows of nothing."""
    have = set().union(*(r.keys() for r in rows)) if rows else set()
    unknown = [n for n in names if n and rows and n not in have]
    if unknown:
        raise ToolInputError(f"no column {unknown[0]!r}; columns: {', '.join(sorted(have))}")


def aggregate(rows: list[Row], how: str) -> float | int | None:
    name, _, column = how.partition(":")
    if name == "count":
        return len(rows)
    values = [v for v in (number(r.get(column)) for r in rows) if v is not None]
    if name not in ("sum", "mean", "min", "max") or not column:
        raise ToolInputError(f"aggregate {how!r}: use count, sum:COL, mean:COL, min:COL or "
                             "max:COL")
    if not values:
        return None
    return {"sum": sum(values), "mean": sum(values) / len(values), "min": min(values),
            "max": max(values)}[name]


@tool("data_processing", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)
def table_summary(ctx: ToolContext, path: str) -> dict[str, Any]:
    """Summarise a CSV, TSV, JSON or JSON-lines table: columns, types, statistics, sample.

    Args:
        path: the file, inside a granted folder.
    """
    rows = load_rows(data_file(ctx, path, TABLES))
    columns: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(k for r in rows for k in r):
        values = [r.get(name) for r in rows if r.get(name) not in (None, "")]
        numbers = [n for n in map(number, values) if n is not None]
        info: dict[str, Any] = {"filled": len(values)}
        if values and len(numbers) == len(values):
            info.update(type="number", min=min(numbers), max=max(numbers),
                        mean=round(sum(numbers) / len(numbers), 6))
        else:
            distinct = {str(v) for v in values}
            info.update(type="text", distinct=len(distinct),
                        examples=sorted(distinct)[:5])
        columns[name] = info
    return {"rows": len(rows), "columns": columns, "first_rows": rows[:3]}


@tool("data_processing", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)
def table_query(ctx: ToolContext, path: str, where: str = "", columns: list[str] | None = None,
                sort_by: str = "", descending: bool = False, aggregate_by: str = "",
                group_by: str = "", limit: int = 20) -> dict[str, Any]:
    """Query a CSV, TSV, JSON or JSON-lines table.

    Args:
        path: the file, inside a granted folder.
        where: a filter such as "age >= 30 and city == Paris" (ops ==, !=, <, >, <=, >=,
            contains).
        columns: only these columns (the first column, which names a row, comes too).
        sort_by: a column to sort by.
        descending: sort largest first.
        aggregate_by: count, sum:COL, mean:COL, min:COL or max:COL instead of rows.
        group_by: a column to group the aggregate by.
        limit: at most this many rows or groups.
    """
    rows = select(load_rows(data_file(ctx, path, TABLES)), where)
    _known(rows, [sort_by, group_by, aggregate_by.partition(":")[2]])
    have = set().union(*(r.keys() for r in rows)) if rows else set()
    # columns to show that the table lacks are left out (all shown if none is left), where
    # a filter or a sort on one is refused: the rows asked for are still the right ones
    columns = [c for c in columns or [] if c in have] or None
    if columns and rows and next(iter(rows[0])) not in columns:  # which row it is, too
        columns = [next(iter(rows[0])), *columns]
    if aggregate_by:
        if not group_by:
            return {"matched": len(rows), "value": aggregate(rows, aggregate_by)}
        groups: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            groups[str(r.get(group_by))].append(r)
        values = {g: aggregate(rs, aggregate_by) for g, rs in groups.items()}
        top = sorted(values.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0)))
        return {"matched": len(rows), "groups": dict(top[:limit])}
    if sort_by:
        rows = sorted(rows, key=lambda r: (number(r.get(sort_by)) is None,
                                           number(r.get(sort_by)) or 0,
                                           str(r.get(sort_by))), reverse=descending)
    if columns:
        rows = [{c: r.get(c) for c in columns} for r in rows]
    return {"matched": len(rows), "rows": rows[:limit]}


@tool("data_processing", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)
def json_read(ctx: ToolContext, path: str, pointer: str = "", max_chars: int = 20_000) -> Any:
    """Read a JSON file, or one part of it by JSON Pointer (e.g. /items/0/name).

    Args:
        path: the file, inside a granted folder.
        pointer: the JSON Pointer of the part to return; empty for the whole file.
        max_chars: longer results are cut to this many characters.
    """
    file = data_file(ctx, path, (".json",))
    try:
        data = json.loads(file.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ToolFailed(f"{file.name} is not valid JSON: {exc}") from None
    for part in [p for p in pointer.split("/") if p] if pointer else []:
        key = part.replace("~1", "/").replace("~0", "~")
        try:
            data = data[int(key)] if isinstance(data, list) else data[key]
        except (KeyError, IndexError, ValueError, TypeError):
            raise ToolInputError(f"{pointer!r} does not exist in {file.name}") from None
    text = json.dumps(data, ensure_ascii=False)
    return data if len(text) <= max_chars else {"truncated": text[:max_chars]}


TOOLS = [table_summary, table_query, json_read]
