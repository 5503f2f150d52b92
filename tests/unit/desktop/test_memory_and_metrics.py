"""The memory browser (search, an entity's facts as a graph with their sources, correct a
fact, forget after confirmation) and the metrics charts."""

from __future__ import annotations

from desktop.memory_browser import MemoryBrowser
from desktop.metrics_view import MetricsView

KNOWN = {"entity": "Ana", "entities": ["Ana", "Lisbon"],
         "facts": [{"id": "F1", "subject": "Ana", "relation": "lives_in", "object": "Lisbon",
                    "confidence": 0.9, "sources": ["Ana moved to Lisbon last spring."]}]}


def test_search_and_forget_an_episode_after_confirming(qtbot) -> None:
    browser = MemoryBrowser()
    qtbot.addWidget(browser)
    browser.query.setText("Lisbon")
    with qtbot.wait_signal(browser.search) as searched:
        browser.query.returnPressed.emit()
    assert searched.args == ["Lisbon"]
    browser.show_episodes([{"id": "c1", "source_id": "E1", "text": "Ana moved to Lisbon",
                            "time": "2026-11-20T10:00:00", "speaker": "user"}])
    browser.episodes.setCurrentRow(0)
    browser.confirm = lambda parent, what: False
    with qtbot.assert_not_emitted(browser.forget):
        browser.forget_episode.click()
    browser.confirm = lambda parent, what: True
    with qtbot.wait_signal(browser.forget) as forgot:
        browser.forget_episode.click()
    assert forgot.args == ["E1", "search:Lisbon"]


def test_an_entity_shows_as_a_graph_with_where_each_fact_came_from(qtbot) -> None:
    browser = MemoryBrowser()
    qtbot.addWidget(browser)
    browser.resize(600, 600)
    browser.show_known(KNOWN)
    assert browser.graph.entity == "Ana" and len(browser.graph.facts) == 1
    assert not browser.graph.grab().isNull()  # paints without error
    browser.facts.setCurrentRow(0)
    assert "Ana moved to Lisbon last spring." in browser.sources.text()
    browser.confirm = lambda parent, what: True
    with qtbot.wait_signal(browser.forget) as forgot:
        browser.forget_fact.click()
    assert forgot.args == ["F1", "entity:Ana"]


def test_a_fact_is_corrected_with_what_the_person_typed(qtbot) -> None:
    browser = MemoryBrowser()
    qtbot.addWidget(browser)
    browser.show_known(KNOWN)
    browser.facts.setCurrentRow(0)
    browser.edit = lambda parent, fact: None  # cancelled
    with qtbot.assert_not_emitted(browser.correct):
        browser.correct_fact.click()
    browser.edit = lambda parent, fact: {"subject": "Ana", "relation": "lives_in",
                                         "object": "Porto"}
    with qtbot.wait_signal(browser.correct) as corrected:
        browser.correct_fact.click()
    fact, refresh = corrected.args
    assert (fact["id"], fact["object"], refresh) == ("F1", "Porto", "entity:Ana")


def test_metrics_charts_show_the_figures(qtbot) -> None:
    view = MetricsView()
    qtbot.addWidget(view)
    summary = {"turns": 3, "response_time_s": {"p50": 1.2, "p95": 2.0},
               "time_to_first_token_s": {"p50": 0.3, "p95": 0.5},
               "tokens_per_s_median": 25.0, "tool_calls": 4, "tool_refusals": 1,
               "tool_success_rate": 0.75, "satisfaction": {"up": 1, "down": 0, "rate": 1.0},
               "memory_feedback": {"up": 0, "down": 0, "rate": None}}
    daily = {"response_time_s": [("2026-11-24", 1.1), ("2026-11-25", 1.3)],
             "tool_success_rate": [("2026-11-25", 0.75)]}
    view.show_figures({"summary": summary, "daily": daily})
    assert "3 turns" in view.summary.text() and "75%" in view.summary.text()
    assert view.charts["response_time_s"].points == daily["response_time_s"]
    assert view.charts["satisfaction"].points == []
    assert not view.grab().isNull()
