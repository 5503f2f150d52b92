import json
from pathlib import Path

import pytest

from memory.errors import ImportFormatError
from memory.importer import parse_time, read_conversations

GOOD = {"conversations": [{"id": "c1", "sessions": [
    {"id": "s1", "date_time": "1:56 pm on 8 May, 2023", "turns": [
        {"id": "D1:1", "speaker": "Ann", "text": "Hi"},
        {"id": "D1:2", "speaker": "Bob", "text": "Hello"}]},
    {"id": "s2", "date_time": "2023-05-09T10:00:00", "turns": [
        {"id": "D2:1", "speaker": "Ann", "text": "Back again"}]}]}]}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "conv.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_turns_become_episodes_with_their_ids_kept_as_source_ids(tmp_path: Path) -> None:
    episodes = read_conversations(write(tmp_path, GOOD))
    assert [e.source_id for e in episodes] == ["D1:1", "D1:2", "D2:1"]
    assert {e.thread for e in episodes} == {"c1"}
    assert episodes[0].time_ms < episodes[1].time_ms < episodes[2].time_ms
    assert episodes[0].time_ms == int(parse_time("2023-05-08 13:56").timestamp() * 1000)
    assert read_conversations(write(tmp_path, GOOD))[0].id == episodes[0].id


@pytest.mark.parametrize(("data", "message"), [
    ("{not json", "not valid JSON"),
    ({"chats": []}, "missing 'conversations'"),
    ({"conversations": [{"id": "c", "sessions": [{"date_time": "2023-01-01", "turns": [
        {"id": "t", "speaker": "a"}]}]}]}, r"turns\[0\]: missing 'text'"),
    ({"conversations": [{"id": "c", "sessions": [{"date_time": "yesterday-ish",
                                                  "turns": []}]}]}, "date_time"),
])
def test_a_bad_file_names_the_place_that_is_wrong(tmp_path: Path, data: object,
                                                  message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        read_conversations(write(tmp_path, data))
