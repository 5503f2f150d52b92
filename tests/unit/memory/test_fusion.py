"""Reciprocal rank fusion of the meaning and the words rankings."""

from memory.episodic import _fuse


def row(ident: str, text: str | None = None, time_ms: int = 0) -> dict:
    return {"id": ident, "text": text or ident, "time_ms": time_ms, "thread": "",
            "channel": "", "speaker": "", "source_id": ident, "metadata": "{}"}


def test_an_item_both_rankings_agree_on_wins() -> None:
    vector = [row("a"), row("b"), row("c")]
    words = [row("c"), row("d")]
    assert _fuse([(1.0, vector), (1.0, words)], 4)[0].id == "c"


def test_keyword_hits_count_by_their_weight() -> None:
    vector = [row("a"), row("b")]
    words = [row("b"), row("z")]
    assert [h.id for h in _fuse([(1.0, vector), (0.5, words)], 3)] == ["b", "a", "z"]
    assert [h.id for h in _fuse([(1.0, vector), (0.0, words)], 2)] == ["a", "b"]


def test_duplicate_texts_collapse_to_the_best_ranked_one() -> None:
    vector = [row("old", "Sounds good!", 1), row("new", "sounds   good!", 2), row("x")]
    hits = _fuse([(1.0, vector)], 3)
    assert [h.id for h in hits] == ["old", "x"]
