"""The local backend: a GGUF model in llama.cpp, streaming, with lazily constrained tool calls.

One model serves one conversation at a time (a lock guards it). llama.cpp keeps the KV
cache of the last prompt, so a turn whose prompt starts with the previous one reads only
the new tokens; we report how many were reused.
"""

from __future__ import annotations

import codecs
import dataclasses
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from inference import toolcalls
from inference.backend import Backend
from inference.chat_template import ChatTemplate
from inference.errors import BackendUnavailable, InvalidRequest
from inference.hardware import Hardware
from inference.hardware import probe as probe_hardware
from inference.local_loader import LoadReport, LocalModelConfig, load
from inference.messages import (
    ChatRequest,
    Finished,
    GenerationStats,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallReady,
)


class _TextWatcher:
    """Releases streamed text, holding back any tail that may begin a watched string."""

    def __init__(self, watched: Sequence[str]) -> None:
        self.watched = [w for w in watched if w]
        self.pending = ""
        self.text = ""

    def feed(self, piece: str) -> tuple[str, str | None]:
        """(text safe to emit, the watched string found or None)."""
        self.pending += piece
        for word in self.watched:
            at = self.pending.find(word)
            if at >= 0:
                out, self.pending = self.pending[:at], ""
                self.text += out
                return out, word
        keep = max((len(w) - 1 for w in self.watched), default=0)
        cut = len(self.pending)
        for size in range(min(keep, len(self.pending)), 0, -1):
            tail = self.pending[-size:]
            if any(w.startswith(tail) for w in self.watched):
                cut = len(self.pending) - size
                break
        out, self.pending = self.pending[:cut], self.pending[cut:]
        self.text += out
        return out, None

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        self.text += out
        return out


class _Scan:
    """Watches the streamed text for stop strings and for the start of a tool call."""

    def __init__(self, request: ChatRequest) -> None:
        watched = list(request.options.stop) + ([toolcalls.OPEN] if request.tools else [])
        self.watcher = _TextWatcher(watched)
        self.intent = toolcalls.CallIntent() if request.tools else None
        self.found: str | None = None

    def feed(self, piece: str) -> str:
        """The text that is safe to show now ("" while it may still be a call)."""
        if self.intent is not None:
            verdict = self.intent.feed(piece)
            if verdict is None:
                return ""
            if verdict == "call":
                self.found = toolcalls.OPEN
                return ""
            piece, self.intent = self.intent.held, None
        out, self.found = self.watcher.feed(piece)
        return out

    def flush(self) -> str:
        return (self.intent.held if self.intent is not None else "") + self.watcher.flush()


class LocalBackend(Backend):
    """Chat completions from a local GGUF model through llama-cpp-python."""

    def __init__(self, config: LocalModelConfig, hardware: Hardware | None = None,
                 name: str = "local") -> None:
        self.config, self.name = config, name
        self._hardware = hardware
        self._llm: Any = None
        self._template: ChatTemplate | None = None
        self.report: LoadReport | None = None
        self._start_tokens: list[int] = []
        self._open_tokens: list[int] = []
        self._add_bos = False
        self._lock = threading.RLock()

    # Loading ------------------------------------------------------------------------------
    def load(self) -> LoadReport:
        """Load the model now (it is otherwise loaded on first use)."""
        with self._lock:
            if self._llm is None:
                hardware = self._hardware or probe_hardware()
                self._llm, info, self.report = load(self.config, hardware)
                self._template = ChatTemplate(
                    info.chat_template,
                    bos_token=self._piece(self._llm.token_bos()),
                    eos_token=self._piece(self._llm.token_eos()),
                )
                self._add_bos = bool(info.metadata.get("tokenizer.ggml.add_bos_token", False))
                self._start_tokens = self._call_start_tokens()
                self._open_tokens = self._llm.tokenize(toolcalls.OPEN.encode(),
                                                       add_bos=False, special=True)
            assert self.report is not None
            return self.report

    def _call_start_tokens(self) -> list[int]:
        """Tokens that begin a tool call: the native tag first, then JSON openings."""
        found: list[int] = []
        for text in (toolcalls.OPEN, "```", "{", " {", "\n{"):
            ids = self._llm.tokenize(text.encode(), add_bos=False, special=True)
            if ids and ids[0] not in found:
                found.append(ids[0])
        return found

    def _piece(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", errors="replace")

    @property
    def model_name(self) -> str:
        return self.config.path.name

    def status(self) -> dict[str, Any]:
        state = {"name": self.name, "model": str(self.config.path), "loaded": self._llm is not None}
        if self.report:
            state["device"] = self.report.describe()
        return state

    # Generation ---------------------------------------------------------------------------
    def _tokens(self, request: ChatRequest) -> list[int]:
        assert self._template is not None
        prompt = self._template.render(request.messages, request.tools)
        # Templates that write the BOS token themselves must not get a second one.
        bos = self._template.bos_token
        add_bos = self._add_bos and not (bos and prompt.startswith(bos))
        return self._llm.tokenize(prompt.encode("utf-8"), add_bos=add_bos, special=True)

    def _reusable(self, tokens: list[int]) -> int:
        cached = list(self._llm._input_ids[: self._llm.n_tokens])
        same = 0
        for old, new in zip(cached, tokens, strict=False):
            if old != new:
                break
            same += 1
        return same

    def _run(self, tokens: list[int], max_tokens: int, request: ChatRequest,
             grammar: Any = None) -> Iterator[tuple[int, str]]:
        """Sample up to `max_tokens` tokens after `tokens`: (token, its text), until EOS."""
        import llama_cpp

        options = request.options
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        vocab = self._llm._model.vocab
        made = 0
        try:
            for token in self._llm.generate(tokens, temp=options.temperature,
                                            top_p=options.top_p, top_k=40, min_p=0.05,
                                            repeat_penalty=1.0, grammar=grammar):
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    return
                yield token, decoder.decode(self._llm.detokenize([token]))
                made += 1
                if made >= max_tokens or self._llm.n_tokens >= self._llm.n_ctx() - 1:
                    raise _Length
        except RuntimeError as exc:  # llama.cpp decode failures
            raise BackendUnavailable(f"the local model failed while generating: {exc}") from None

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        request.validate()
        with self._lock:
            self.load()
            yield from self._stream_locked(request)

    def _stream_locked(self, request: ChatRequest) -> Iterator[StreamEvent]:
        assert self.report is not None
        start = time.perf_counter()
        tokens = self._tokens(request)
        n_ctx = self._llm.n_ctx()
        if len(tokens) >= n_ctx - 8:
            raise InvalidRequest(
                f"the conversation ({len(tokens)} tokens) does not fit the model's context "
                f"({n_ctx} tokens): start a new thread or raise models.context_length"
            )
        stats = GenerationStats(self.name, self.model_name, self.report.describe(),
                                prompt_tokens=len(tokens),
                                reused_prompt_tokens=self._reusable(tokens))
        budget = min(request.options.max_tokens, n_ctx - len(tokens) - 1)
        if request.require_tool_call and request.tools:
            yield from self._forced_calls(tokens, budget, request, stats, start)
            return
        scan = _Scan(request)
        produced = yield from self._stream_text(tokens, budget, request, stats, start, scan)
        yield from self._after_text(tokens, produced, budget, request, stats, scan)
        stats.total_s = time.perf_counter() - start
        yield Finished(stats)

    def _stream_text(self, tokens: list[int], budget: int, request: ChatRequest,
                     stats: GenerationStats, start: float, scan: _Scan
                     ) -> Iterator[StreamEvent]:
        """Stream the answer's words until it ends, a stop string comes or the model starts
        a tool call; returns the tokens it produced."""
        produced: list[int] = []
        stats.finish_reason = "stop"
        try:
            for token, piece in self._run(tokens, budget, request):
                produced.append(token)
                if stats.time_to_first_token_s is None:
                    stats.time_to_first_token_s = time.perf_counter() - start
                    if request.tools:
                        stats.call_confidence = self._call_probability()
                out = scan.feed(piece)
                if out:
                    yield TextDelta(out)
                if scan.found:
                    break
        except _Length:
            stats.finish_reason = "length"
        stats.completion_tokens += len(produced)
        return produced

    def _after_text(self, tokens: list[int], produced: list[int], budget: int,
                    request: ChatRequest, stats: GenerationStats, scan: _Scan
                    ) -> Iterator[StreamEvent]:
        """What follows the words: the held-back rest, or the tool calls (decoded under
        the grammar), or words after all when the model was too unsure of its call."""
        if scan.found != toolcalls.OPEN:
            rest = scan.flush()
            if rest:
                yield TextDelta(rest)
        elif scan.intent is not None and (stats.call_confidence or 0.0) < \
                request.options.min_call_confidence:
            stats.calls_declined += 1
            yield from self._answer_in_words(tokens, budget, request, stats)
        else:
            stats.finish_reason = "tool_calls"
            for call in self._tool_calls(tokens, produced, scan.intent, budget, request,
                                         stats):
                yield ToolCallReady(call)

    def _forced_calls(self, tokens: list[int], budget: int, request: ChatRequest,
                      stats: GenerationStats, start: float) -> Iterator[StreamEvent]:
        """A call and nothing else, under the grammar from its first token."""
        stats.finish_reason, stats.call_confidence = "tool_calls", 1.0
        forced = dataclasses.replace(request, constrain_tool_calls=True)
        calls = self._tool_calls(tokens, [], None, budget, forced, stats)
        stats.time_to_first_token_s = stats.total_s = time.perf_counter() - start
        for call in calls:
            yield ToolCallReady(call)
        yield Finished(stats)

    def _call_probability(self) -> float:
        """The probability the model gave, for the token just sampled, to starting a call."""
        import llama_cpp
        import numpy as np

        pointer = llama_cpp.llama_get_logits_ith(self._llm._ctx.ctx, -1)
        logits = np.ctypeslib.as_array(pointer, shape=(self._llm.n_vocab(),))
        weights = np.exp(logits.astype(np.float64) - float(logits.max()))
        return float(weights[self._start_tokens].sum() / weights.sum())

    def _answer_in_words(self, tokens: list[int], budget: int, request: ChatRequest,
                         stats: GenerationStats) -> Iterator[StreamEvent]:
        """Answer without a call: the first token may not open one, the rest is free."""
        from llama_cpp import LlamaGrammar

        stats.finish_reason = "stop"
        opening = LlamaGrammar.from_string(NO_CALL_OPENING, verbose=False)
        first = next(self._run(tokens, 1, request, opening), None)
        if first is None:
            return
        stats.completion_tokens += 1
        watcher = _TextWatcher([*request.options.stop, toolcalls.OPEN])
        out, _ = watcher.feed(first[1])
        if out:
            yield TextDelta(out)
        try:
            for _token, piece in self._run([*tokens, first[0]], budget - 1, request):
                stats.completion_tokens += 1
                out, found = watcher.feed(piece)
                if out:
                    yield TextDelta(out)
                if found:
                    break
        except _Length:
            stats.finish_reason = "length"
        if rest := watcher.flush():
            yield TextDelta(rest)

    def _tool_calls(self, tokens: list[int], produced: list[int],
                    intent: toolcalls.CallIntent | None, budget: int, request: ChatRequest,
                    stats: GenerationStats) -> list[ToolCall]:
        """Finish the call the model began: under the tools' grammar unless asked not to.

        Under the grammar a call the model began in its own words (a JSON fence) restarts
        in the model's native `<tool_call>` form, which the grammar describes; without it
        the model goes on in its own words and we parse what it wrote.
        """
        from llama_cpp import LlamaGrammar

        grammar = None
        if request.constrain_tool_calls:
            grammar = LlamaGrammar.from_string(toolcalls.grammar(request.tools), verbose=False)
            start, text = tokens + self._open_tokens, toolcalls.OPEN
        elif intent is not None:
            start, text = tokens + produced, intent.held
        else:
            start, text = tokens + produced, toolcalls.OPEN
        count = 0
        try:
            for _token, piece in self._run(start, max(budget - len(produced), 1), request,
                                           grammar):
                text += piece
                count += 1
                if text.rstrip().endswith(toolcalls.CLOSE) and toolcalls.repeats_itself(text):
                    break  # small models loop on one call; the repeat adds nothing
        except _Length:
            stats.finish_reason = "length"
        stats.completion_tokens += count
        calls, errors = toolcalls.parse_calls(text, request.tools)
        stats.tool_call_errors = errors
        return [dataclasses.replace(c, confidence=stats.call_confidence) for c in calls]

    def close(self) -> None:
        with self._lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None


# The first token of an answer that must not open a tool call.
NO_CALL_OPENING = 'root ::= [^<{`\\x00-\\x20] [^\\x00]*'


class _Length(Exception):
    """The answer reached its token budget."""
