"""Voice figures: speech-to-text and text-to-speech speed, and voice-to-voice latency (end
of speech → first audio of the reply) over spoken questions, broken down by stage.

The questions are spoken by Piper, heard by Whisper, answered by the agent (no memory, the
chosen model), and the reply is spoken sentence by sentence; the speaker is a silent one
that marks when each sentence would start. Each question is first "spoken into the
microphone" in real time while the key is held and let go `--hold-after` seconds after the
speech ends (transcribed while held), then handed over whole at release (transcribed at
release). The same turns are then run the naive way (the whole answer first, then all of
it synthesised) for comparison, as a ratio.

    .venv/bin/python bench/voice.py [--model light|default] [--utterances 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FAMULUS_CACHE_DIR", str(ROOT / ".cache"))

QUESTIONS = ["What is the capital of France?", "How many days are in a week?",
             "Name a fruit that is yellow.", "What colour is the sky on a clear day?",
             "Say good morning in Spanish.", "What is two plus three?",
             "Which planet do we live on?", "How many legs does a spider have?",
             "What do bees make?", "Name a large animal with a trunk.",
             "What is the opposite of hot?", "Which season comes after winter?",
             "What do you call frozen water?", "How many hours are in a day?",
             "What is the largest ocean?", "Name a musical instrument with strings.",
             "What do cows drink?", "Which month has the fewest days?",
             "What gas do plants take in?", "Say thank you in French."]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def stage_medians(turns: list[dict[str, Any]]) -> dict[str, float]:
    return {k: round(statistics.median(t[k] for t in turns if t[k] is not None), 3)
            for k in ("transcribe_s", "first_token_s", "first_audio_s")}


def held_turn(pipeline: Any, listening: Any, audio: Any, hold_after: float) -> Any:
    """Feed the question in 50 ms blocks at the pace it is spoken, with the key held and
    the words transcribed meanwhile; let go `hold_after` seconds after it ends."""
    import numpy as np

    block = 800
    padded = np.concatenate([audio, np.zeros(int(hold_after * 16000), np.float32)])
    fed = [0]
    listening.start(lambda: padded[:fed[0]])
    begun = time.monotonic()
    for end in range(block, len(padded) + block, block):
        time.sleep(max(0.0, begun + end / 16000 - time.monotonic()))
        fed[0] = min(end, len(padded))
    return pipeline.handle(padded, listening)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="light")
    parser.add_argument("--utterances", type=int, default=20)
    parser.add_argument("--hold-after", type=float, default=0.3,
                        help="seconds the key stays held after the speech ends")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.update({"FAMULUS_HOME": tempfile.mkdtemp(prefix="famulus-bench-voice-"),
                       "FAMULUS_MODELS_CHAT": args.model, "FAMULUS_INFERENCE_TEMPERATURE": "0",
                       "FAMULUS_INFERENCE_MAX_TOKENS": "60"})
    from app import paths, settings
    from app.build_voice import speech_to_text, text_to_speech
    from app.famulus import open_famulus
    from app.profile import open_profile
    from cli.voice_loop import responder
    from voice.audio import resample
    from voice.listening import IncrementalTranscriber
    from voice.pipeline import VoicePipeline
    from voice.speaker import Speaker

    resolved = paths.resolve(None)
    profile = open_profile(resolved, settings.load(resolved.config_file))
    stt, tts = speech_to_text(profile), text_to_speech(profile)
    spoken = []
    for text in (QUESTIONS * 2)[:args.utterances]:
        speech = tts.speak(text)
        spoken.append((text, resample(speech.audio, speech.rate), speech))
    silent = Speaker(lambda audio, rate, stop: True)
    turns, held, naive, stt_rtf = [], [], [], []
    with open_famulus(profile, use_memory=False) as famulus:
        respond = responder(famulus, "bench")
        list(respond("Hello."))  # load the model before timing
        pipeline = VoicePipeline(stt, tts, silent, respond)
        listening = IncrementalTranscriber(stt)
        for _text, audio, _speech in spoken:
            turn = held_turn(pipeline, listening, audio, args.hold_after)
            silent.wait(5)
            if turn is not None:
                held.append(turn.latency)
        for _text, audio, _speech in spoken:
            turn = pipeline.handle(audio)
            silent.wait(5)
            if turn is not None:
                turns.append(turn.latency)
        for _text, audio, _speech in spoken:  # the naive way, for the ratio
            start = time.monotonic()
            heard = stt.transcribe(audio)
            stt_rtf.append(heard.seconds / heard.audio_s)
            answer = "".join(respond(heard.text))
            tts.speak(answer)
            naive.append(time.monotonic() - start)
    silent.close()
    v2v = [t["voice_to_voice_s"] for t in held if t["voice_to_voice_s"] is not None]
    at_release = [t["voice_to_voice_s"] for t in turns if t["voice_to_voice_s"] is not None]
    report: dict[str, Any] = {
        "model": args.model, "utterances": len(spoken), "turns": len(held),
        "key_held_after_speech_s": args.hold_after,
        "stt_real_time_factor_median": round(statistics.median(stt_rtf), 3),
        "tts_real_time_factor_median": round(statistics.median(
            s.seconds / s.duration_s for _, _, s in spoken), 3),
        "tts_first_audio_s_median": round(statistics.median(s.seconds for _, _, s in spoken),
                                          3),
        "voice_to_voice_p50_s": pct(v2v, 0.5), "voice_to_voice_p95_s": pct(v2v, 0.95),
        "stage_medians_s": stage_medians(held),
        "transcribed_at_release_p50_s": pct(at_release, 0.5),
        "transcribed_at_release_p95_s": pct(at_release, 0.95),
        "stage_medians_at_release_s": stage_medians(turns),
        "naive_p50_s": pct(naive, 0.5),
        "ratio_pipeline_to_naive_p50": round(pct(v2v, 0.5) / pct(naive, 0.5), 3),
        "goal_p50_at_most_1_5_s": pct(v2v, 0.5) <= 1.5,
    }
    for key, value in report.items():
        print(f"{key:<32} {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
