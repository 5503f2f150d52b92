"""The agent loop: perceive, retrieve, reason and act through the gate, store, finish.

One `run` per input Message; it yields typed events (agent.events) that every interface
consumes. Errors the model can act on (bad arguments, refused or failed tools) go back to
it as tool results; a failing model ends the turn with an ErrorEvent; bugs raise.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from agent.events import (
    AgentEvent,
    AnswerReset,
    ErrorEvent,
    MemorySaved,
    PlanMade,
    Token,
    ToolProposed,
    TurnFinished,
    action_event,
)
from agent.history import Conversations
from agent.message import Message
from agent.planning import asks_for_several, looks_multi_step, make_plan, render
from agent.prompt import context_note, system_prompt, time_note
from agent.telling import (
    claims_action,
    claims_undone,
    hollow,
    in_words,
    leaks_tools,
    misses_findings,
    refuses,
    unsupported_numbers,
    written_call,
)
from agent.tool_choice import ToolChooser, choose, nearest_tools, with_what_came_before
from agent.turn import REMEMBER, SPOKEN, AgentConfig, Approver, Observer, Turn
from agent.values import grounded
from agent.withhold import Withheld
from inference.errors import InferenceError
from inference.messages import (
    ChatMessage,
    ChatRequest,
    Fallback,
    Finished,
    TextDelta,
    ToolCall,
    ToolCallReady,
)
from inference.toolcalls import parse_calls
from tools.gate import Origin
from tools.gate import ToolCall as GateCall
from tools.intents import intent
from tools.service import ActionResult, ToolService, ToolSession


class Agent:
    """Answers Messages with the model, memory and tools."""

    def __init__(self, router: Any, config: AgentConfig | None = None,
                 grounding: Any = None, tools: ToolService | None = None,
                 observers: list[Observer] | None = None,
                 chooser: ToolChooser | None = None) -> None:
        self.router, self.config = router, config or AgentConfig()
        self.grounding, self.tools, self.chooser = grounding, tools, chooser
        self.observers = observers or []
        self.conversations = Conversations(self.config.context_tokens)
        self._asked: dict[str, str] = {}  # each thread's last request, for follow-ups
        # One turn (or reflection) at a time: there is one model and one memory handle.
        self.turn_lock = threading.RLock()
        self._last_turn = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the last turn ended (or the agent started)."""
        return time.monotonic() - self._last_turn

    # --- the turn ------------------------------------------------------------------
    def run(self, message: Message, approve: Approver | None = None) -> Iterator[AgentEvent]:
        """Answer one message, streaming events; the last one is TurnFinished."""
        with self.turn_lock:
            try:
                for event in self._turn(Turn(message), approve):
                    for observe in self.observers:
                        observe(event)
                    yield event
            finally:
                self._last_turn = time.monotonic()

    def _turn(self, turn: Turn, approve: Approver | None) -> Iterator[AgentEvent]:
        text, thread = turn.message.content, turn.message.context.thread
        note = ""
        wanted = REMEMBER.match(text)
        if wanted:
            outcome = yield from self._remember(wanted.group("what").strip())
            if outcome is not None:  # could not save: say so, without the model
                yield from self._say(turn, outcome)
                yield self._finish(turn)
                return
            note = (f"The user asked you to remember: {wanted.group('what')}. It is now saved "
                    "in long-term memory; confirm that in one short sentence.")
        memory_text = self._retrieve(turn, text, thread)
        # a remembered thing: only confirm it
        specs, sure = ([], False) if wanted else self._tool_specs(
            with_what_came_before(text, self._asked.get(thread, "")))
        self._asked[thread] = text
        steps = self.config.max_steps
        try:
            if specs and looks_multi_step(text):
                plan = make_plan(self.router, text, specs)
                if plan:
                    yield PlanMade(plan)
                    note, steps = render(plan), max(steps, len(plan) + 1)
            if turn.message.channel == "voice":  # speech starts at the first sentence's end
                note = "\n".join(p for p in (note, SPOKEN) if p)
            sent = [ChatMessage("system", time_note()), ChatMessage("user", text)]
            session = self.tools.session() if self.tools else None
            if session is not None and turn.untrusted:
                session.taint(*turn.untrusted)  # remembered outside text, in the prompt
            yield from self._reason(turn, self._prompt(thread, specs, memory_text, note, sent),
                                    specs, session, approve, steps, sure)
            if not (specs or wanted) and session is not None and refuses(turn.answer) and \
                    (specs := self._second_choice(text)):  # declined: a tool may do it
                yield AnswerReset("", "", "the model declined; the closest tools are offered")
                turn.answer = ""
                yield from self._reason(turn, self._prompt(thread, specs, memory_text, note,
                                                           sent), specs, session, approve, steps)
            if session is not None:  # what this turn read from outside marks its memory
                turn.untrusted = list(dict.fromkeys([*turn.untrusted, *session.tainted_by]))
        except InferenceError as exc:
            yield ErrorEvent(str(exc))
            yield self._finish(turn)
            return
        self._store(turn, thread, text, sent)
        yield self._finish(turn)

    def _prompt(self, thread: str, specs: list[Any], memory_text: str, note: str,
                sent: list[ChatMessage]) -> list[ChatMessage]:
        """The messages of a turn. Memory's context goes in the system prompt. Measured
        (bench/agent.py, 1.5B, 2 cores): sending it as a message after the thread's turns,
        to keep the prompt's start, made the first token later (7.6 s against 4.8 s in one
        conversation): the turns before it are read again each time, and a turn that
        offers tools changes the system message anyway (docs/performance.md)."""
        context = context_note(memory_text, note)
        system = system_prompt(self.config.personality, tools=bool(specs)) + \
            (f"\n{context}" if context else "")
        return [ChatMessage("system", system), *self._past(thread), *sent]

    def _second_choice(self, text: str) -> list[Any]:
        if self.tools is None or self.chooser is None:
            return []
        return nearest_tools([t.manifest for t in self.tools.registry], text, self.chooser)

    def _remember(self, what: str) -> Iterator[AgentEvent]:
        """Store what the person asked to remember; None when it is saved and read back,
        else the honest sentence to answer with."""
        if self.tools is None or "memory" not in self.tools.services or \
                "memory_remember" not in self.tools.registry:
            return "I cannot remember that: memory is not set up or not open here."
        result = self.tools.call(GateCall("memory_remember", {"text": what}, Origin.USER))
        yield from self._tool_events(result)
        if result.status == "done":
            yield MemorySaved(result.result["id"], result.result["text"])
            return None
        if result.status == "review":
            return "Saving that to memory waits for your approval."
        return f"I could not save that to memory: {result.error}"

    def _say(self, turn: Turn, text: str) -> Iterator[AgentEvent]:
        turn.answer += text
        yield from self._show(turn, text)

    @staticmethod
    def _show(turn: Turn, text: str) -> Iterator[AgentEvent]:
        turn.timings["first_token_s"] = turn.timings["first_token_s"] or turn.since_start()
        yield Token(text)

    def _retrieve(self, turn: Turn, text: str, thread: str) -> str:
        if self.conversations.untrusted(thread):
            turn.untrusted.append("remembered content (earlier in this conversation)")
        if self.grounding is None:
            return ""
        start = time.perf_counter()
        context = self.grounding.context(text, thread)
        turn.timings["retrieve_s"] = time.perf_counter() - start
        turn.memories = [i.id for i in context.items if i.kind != "recent"]
        if context.untrusted:
            turn.untrusted.append(f"remembered content ({len(context.untrusted)} items)")
        return context.render()

    def _past(self, thread: str) -> list[ChatMessage]:
        """Earlier turns of the thread kept in this process, when there is no memory to
        supply them (with memory they come in the working context, across processes)."""
        return [] if self.grounding is not None else self.conversations.messages(thread)

    def _tool_specs(self, text: str) -> tuple[list[Any], bool]:
        if self.tools is None:
            return [], False
        return choose([t.manifest for t in self.tools.registry], text, self.config.max_tools,
                      self.chooser)

    # --- reasoning and acting ----------------------------------------------------------
    def _reason(self, turn: Turn, messages: list[ChatMessage], specs: list[Any],
                session: ToolSession | None, approve: Approver | None, max_steps: int,
                sure: bool = False) -> Iterator[AgentEvent]:
        made: dict[str, ActionResult] = {}
        waiting, spent = False, 0
        for step in range(max_steps + 1):
            turn.steps = step + 1
            if waiting:  # something waits for the person: say what, and ask nothing more
                yield from self._say(turn, " ".join(in_words(r) for r in made.values()))
                return
            # Answer in words once the steps or the token budget are spent.
            last = step == max_steps or spent >= self.config.token_budget
            forced = sure and step == 0 and session is not None
            calls = yield from self._generate(turn, messages, [] if last else specs,
                                              forced=forced, hold=bool(specs))
            spent += turn.stats.completion_tokens if turn.stats else 0
            if not calls and not made and not last and session is not None:
                calls = yield from self._missed_calls(turn, messages, specs)
            if not calls or session is None or last:  # no tools were offered: no calls
                wrong = [] if turn.checked or last or not made else unsupported_numbers(
                    turn.answer, list(made.values()), turn.message.content)
                if wrong:  # asked once to answer from the results it has
                    yield from self._recheck(turn, messages, wrong)
                    continue
                if made and (written_call(turn.answer) or hollow(turn.answer) or
                             refuses(turn.answer) or leaks_tools(turn.answer) or
                             claims_undone(turn.answer, list(made.values())) or
                             misses_findings(turn.answer, list(made.values()),
                                             turn.message.content)):
                    yield from self._plainly(turn, list(made.values()))
                elif rest := turn.held.flush():  # it was words after all
                    yield from self._show(turn, rest)
                return
            turn.held.flush()  # the written call is made: its text is not shown
            if len(calls) > 1 and not asks_for_several(turn.message.content):
                calls = calls[:1]  # one call per step: the next step sees its result
            messages.append(ChatMessage("assistant", turn.answer, tuple(calls)))
            turn.answer = ""
            step = yield from self._calls(turn, session, calls, made, messages, approve)
            waiting = waiting or any(r.status == "review" for r in step)
            if self.config.tools_tell_changes and not looks_multi_step(turn.message.content) \
                    and all(r.status == "done" and r.summary for r in step):
                # Changes done, each told by its tool: that is the answer, without asking
                # the model again (5-10 s of prompt on 2 cores for a sentence it may garble).
                yield from self._say(turn, " ".join(in_words(r) for r in step))
                return

    def _calls(self, turn: Turn, session: ToolSession, calls: list[ToolCall],
               made: dict[str, ActionResult], messages: list[ChatMessage],
               approve: Approver | None) -> Iterator[AgentEvent]:
        """Run one step's calls; their results go to the model as tool messages."""
        step: list[ActionResult] = []
        for call in calls:
            key = json.dumps([call.name, call.arguments], sort_keys=True, default=str)
            if key in made:  # the same call again: its first result stands
                result = made[key]
            else:
                result = made[key] = yield from self._act(turn, session, call, approve)
            step.append(result)
            messages.append(ChatMessage("tool", result.for_model(), tool_call_id=call.id))
        return step

    def _recheck(self, turn: Turn, messages: list[ChatMessage], wrong: list[str]
                 ) -> Iterator[AgentEvent]:
        yield AnswerReset("", "", "the answer's numbers are not in the tools' results")
        turn.held.flush()
        turn.checked = True
        messages += [ChatMessage("assistant", turn.answer),
                     ChatMessage("user", f"{', '.join(wrong)} is not in the tool results "
                                 "above. Answer my question again, with the values exactly "
                                 "as the results give them.")]
        turn.answer = ""

    def _missed_calls(self, turn: Turn, messages: list[ChatMessage], specs: list[Any]
                      ) -> Iterator[AgentEvent]:
        """The call the model should have made where it answered in words instead: one it
        wrote out as text (in double braces, a fence, instructions to the person), or, when
        it claims an action no tool did ("I've saved the note") or tells the person to use
        a tool by its name, the call it is asked for once more, under the grammar. What it
        wrote is then not the answer."""
        if not specs:  # only calls of the tools offered
            return []
        calls, _errors = parse_calls(turn.answer, specs) if '"name"' in turn.answer \
            else ([], [])
        if not calls and (claims_action(turn.answer) or leaks_tools(turn.answer) or
                          any(s.name in turn.answer for s in specs)):
            yield AnswerReset("", "", "the model claimed an action no tool did, or told "
                                      "of its tools instead of using them")
            turn.answer = ""
            calls = yield from self._generate(turn, messages, specs, forced=True)
        elif calls:
            yield AnswerReset("", "", "the model wrote a tool call as text")
            turn.answer = ""
        return calls[:1]

    def _plainly(self, turn: Turn, results: list[ActionResult]) -> Iterator[AgentEvent]:
        """Small models sometimes answer after tools with a call written out as JSON, or
        with a bare "Done."; the person gets what happened instead, in words."""
        yield AnswerReset("", "", "the model's answer did not say what the tools did")
        turn.answer = ""
        yield from self._say(turn, " ".join(in_words(r) for r in results))

    def _generate(self, turn: Turn, messages: list[ChatMessage], specs: list[Any],
                  forced: bool = False, hold: bool = False) -> Iterator[AgentEvent]:
        """One model call; with tools offered in this turn (`specs`, or `hold` on the last
        step) text that may be a call or a result written out is held back."""
        request = ChatRequest(tuple(messages), tuple(specs), self.config.options,
                              require_tool_call=forced)
        calls: list[ToolCall] = []
        start = time.perf_counter()
        held = turn.held = Withheld()  # where tools are offered, a call may be written out
        for event in self.router.stream(request):
            if isinstance(event, TextDelta):
                turn.answer += event.text
                shown = held.feed(event.text) if specs or hold else event.text
                if shown:
                    yield from self._show(turn, shown)
            elif isinstance(event, ToolCallReady):
                calls.append(event.call)
            elif isinstance(event, Fallback):
                turn.answer, calls = "", []
                held.flush()
                yield AnswerReset(event.failed, event.next, event.reason)
            elif isinstance(event, Finished):
                turn.stats = event.stats
        turn.timings["model_s"] = (turn.timings["model_s"] or 0.0) + time.perf_counter() - start
        return calls

    def _act(self, turn: Turn, session: ToolSession, call: ToolCall,
             approve: Approver | None) -> Iterator[AgentEvent]:
        start = time.perf_counter()
        arguments, description = call.arguments, ""
        if self.tools is not None and call.name in self.tools.registry:  # checked by words
            manifest = self.tools.registry.get(call.name).manifest
            arguments = grounded(arguments, manifest.parameters, turn.message.content)
            description = manifest.description
        said = intent(call.name, arguments, description)
        yield ToolProposed(call.name, arguments, said,
                           self.tools.preview(call.name, arguments) if self.tools else "")
        confidence = call.confidence if call.confidence is not None else 1.0
        result = session.call(call.name, arguments, confidence)
        result.extra.setdefault("intent", said)  # for the words about it
        if result.status == "review" and approve is not None:
            yield from self._tool_events(result)
            result = self._decide(session, result, approve)
        yield from self._tool_events(result)
        turn.timings["tools_s"] = (turn.timings["tools_s"] or 0.0) + time.perf_counter() - start
        return result

    def _decide(self, session: ToolSession, result: ActionResult,
                approve: Approver) -> ActionResult:
        assert self.tools is not None
        answer = approve(self.tools.queue.get(result.review_id))
        if answer is True or isinstance(answer, dict):
            return session.approve(result.review_id, answer if isinstance(answer, dict)
                                   else None)
        if answer is False:
            self.tools.deny(result.review_id, "denied in the conversation")
            return ActionResult(result.action_id, result.tool, "failed", result.decision,
                                error="the user denied this action")
        return result

    @staticmethod
    def _tool_events(result: ActionResult) -> Iterator[AgentEvent]:
        yield action_event(result)

    # --- after the turn --------------------------------------------------------------
    def _store(self, turn: Turn, thread: str, text: str, sent: list[ChatMessage]) -> None:
        # kept exactly as the model saw it: the next prompt starts with the same tokens
        self.conversations.add(thread, [*sent, ChatMessage("assistant", turn.answer)],
                               bool(turn.untrusted))
        if self.grounding is None or not turn.answer.strip():
            return
        start = time.perf_counter()
        self.grounding.store_turn(thread, turn.message.channel, turn.message.sender, text,
                                  turn.answer, turn.untrusted)
        turn.timings["store_s"] = time.perf_counter() - start

    def _finish(self, turn: Turn) -> TurnFinished:
        turn.timings["total_s"] = turn.since_start()
        stats = turn.stats
        return TurnFinished(turn.answer, turn.message.context.thread,
                            {k: (round(v, 4) if v is not None else None)
                             for k, v in turn.timings.items()},
                            stats.backend if stats else "", stats.model if stats else "",
                            stats.tokens_per_s if stats else None, turn.steps, turn.memories,
                            stats.to_dict() if stats else {})

    def reset(self, thread: str = "default") -> None:
        self.conversations.reset(thread)
        self._asked.pop(thread, None)
