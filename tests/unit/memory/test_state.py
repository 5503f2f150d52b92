"""The fold from events to state: LWW, tombstones, restores, and order independence."""

import random

from memory.events import Event, Kind, fact_key
from memory.state import fold, needs_rebuild


def stamp(ms: int, device: str = "a") -> str:
    return f"{ms:013d}.000000.{device}"


def episode(uid: str, ms: int, device: str = "a") -> Event:
    return Event(uid, stamp(ms, device), device, Kind.EPISODE,
                 {"text": uid, "time_ms": ms})


def fact(ms: int, obj: str, kind: Kind = Kind.FACT_ASSERTED, device: str = "a") -> Event:
    fid = fact_key("Ann", "lives in", obj)
    return Event(f"f{ms}{device}", stamp(ms, device), device, kind,
                 {"fact_id": fid, "subject": "Ann", "relation": "lives in", "object": obj})


def forget(target: str, ms: int) -> Event:
    return Event(f"x{ms}", stamp(ms), "a", Kind.FORGOTTEN, {"target": target})


def restore(until: str, ms: int, inclusive: bool = True) -> Event:
    return Event(f"r{ms}", stamp(ms), "a", Kind.RESTORED,
                 {"until": until, "inclusive": inclusive})


def ordered(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.hlc, e.uuid))


def test_a_tombstone_wins_over_an_add_in_either_order() -> None:
    events = [episode("e1", 1), forget("e1", 2)]
    assert fold(ordered(events)).episodes == {}
    late_add = [forget("e1", 1), episode("e1", 2)]
    assert fold(ordered(late_add)).episodes == {}


def test_the_later_assertion_or_retraction_wins() -> None:
    fid = fact_key("Ann", "lives in", "Oslo")
    assert fid in fold([fact(1, "Oslo")]).facts
    assert fid not in fold([fact(1, "Oslo"), fact(2, "Oslo", Kind.FACT_RETRACTED)]).facts
    assert fid in fold([fact(1, "Oslo", Kind.FACT_RETRACTED), fact(2, "Oslo")]).facts


def test_restore_returns_to_the_state_at_its_target_and_undo_returns_back() -> None:
    base = [episode("e1", 1), episode("e2", 5), episode("e3", 9)]
    restored = ordered([*base, restore(stamp(5), 10)])
    assert sorted(fold(restored).episodes) == ["e1", "e2"]
    after = ordered([*restored, episode("e4", 11)])
    assert sorted(fold(after).episodes) == ["e1", "e2", "e4"]
    undo = ordered([*after, restore(stamp(10), 12, inclusive=False)])
    assert sorted(fold(undo).episodes) == ["e1", "e2", "e3"]


def test_forgotten_stays_forgotten_across_a_restore() -> None:
    events = ordered([episode("e1", 1), forget("e1", 2), restore(stamp(1), 3)])
    assert fold(events).episodes == {}


def test_any_delivery_order_gives_the_same_state() -> None:
    rng = random.Random(7)
    events = [episode(f"e{i}", i, rng.choice("abc")) for i in range(30)]
    events += [fact(40 + i, rng.choice(["Oslo", "Rome"]),
                    rng.choice([Kind.FACT_ASSERTED, Kind.FACT_RETRACTED]), rng.choice("abc"))
               for i in range(20)]
    events += [forget(f"e{i}", 80 + i) for i in range(0, 30, 4)]
    expected = fold(ordered(events)).summary()
    for _ in range(10):
        rng.shuffle(events)
        assert fold(ordered(list(events))).summary() == expected


def test_events_older_than_the_applied_ones_need_a_rebuild() -> None:
    assert not needs_rebuild([episode("e", 5)], stamp(4))
    assert needs_rebuild([episode("e", 3)], stamp(4))
    assert needs_rebuild([restore(stamp(1), 9)], stamp(4))
