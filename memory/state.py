"""What the log means: a pure fold of events (in HLC order) into the remembered state.

Every replica that holds the same set of events computes the same state, whatever order the
events arrived in; the derived stores are bulk-loaded from it after a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from memory.events import Episode, Event, Fact, Kind, Preference


@dataclass
class MemoryState:
    """Episodes, live facts and preferences, with the tombstones that removed others."""

    episodes: dict[str, Episode] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    preferences: dict[str, Preference] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)
    # The last stamp of each fact or preference key, asserted or retracted (LWW).
    stamps: dict[str, str] = field(default_factory=dict)

    def apply(self, event: Event) -> None:
        """Fold one event in; events must come in HLC order."""
        handler = _HANDLERS.get(event.kind)
        if handler:
            handler(self, event)

    def summary(self) -> dict[str, object]:
        """A comparable digest, used by tests and by `memory check`."""
        return {
            "episodes": sorted(self.episodes),
            "facts": sorted((f.id, f.confidence) for f in self.facts.values()),
            "preferences": sorted((p.key, repr(p.value)) for p in self.preferences.values()),
        }


def _episode(state: MemoryState, event: Event) -> None:
    if event.uuid not in state.forgotten:
        state.episodes[event.uuid] = Episode.from_event(event)


def _fact(state: MemoryState, event: Event) -> None:
    fact_id = event.payload["fact_id"]
    if fact_id in state.forgotten or state.stamps.get(fact_id, "") > event.hlc:
        return
    state.stamps[fact_id] = event.hlc
    if event.kind is Kind.FACT_ASSERTED:
        state.facts[fact_id] = Fact.from_event(event)
    else:
        state.facts.pop(fact_id, None)


def _preference(state: MemoryState, event: Event) -> None:
    p = event.payload
    key = p["key"]
    if key in state.forgotten or state.stamps.get(key, "") > event.hlc:
        return
    state.stamps[key] = event.hlc
    if p.get("value") is None:
        state.preferences.pop(key, None)
    else:
        state.preferences[key] = Preference(key, p["value"], p.get("kind", "preference"),
                                            event.hlc, p.get("expires_ms"))


def _forget(state: MemoryState, event: Event) -> None:
    target = event.payload["target"]
    state.forgotten.add(target)
    state.episodes.pop(target, None)
    state.facts.pop(target, None)
    state.preferences.pop(target, None)


_HANDLERS = {
    Kind.EPISODE: _episode,
    Kind.FACT_ASSERTED: _fact,
    Kind.FACT_RETRACTED: _fact,
    Kind.PREFERENCE: _preference,
    Kind.PROCEDURE: _preference,
    Kind.FORGOTTEN: _forget,
}


def fold(events: list[Event]) -> MemoryState:
    """The state after `events` (sorted by HLC), honouring point-in-time restores.

    A restore event resets the state to what the events up to its target stamp give; events
    after the restore apply on top. Tombstones survive a restore: forgotten stays forgotten.
    """
    state = MemoryState()
    for index, event in enumerate(events):
        if event.kind is Kind.RESTORED:
            until, inclusive = event.payload["until"], event.payload.get("inclusive", True)
            earlier = [e for e in events[:index]
                       if (e.hlc <= until if inclusive else e.hlc < until)]
            forgotten = state.forgotten | {e.payload["target"] for e in events[:index]
                                           if e.kind is Kind.FORGOTTEN}
            state = fold(earlier)
            for target in forgotten:
                _forget(state, _tombstone(target))
        else:
            state.apply(event)
    return state


def _tombstone(target: str) -> Event:
    return Event("", "", "", Kind.FORGOTTEN, {"target": target})


def needs_rebuild(new_events: list[Event], applied_hlc: str) -> bool:
    """Incremental application is exact only for events newer than all applied ones."""
    return any(e.kind is Kind.RESTORED or e.hlc <= applied_hlc for e in new_events)
