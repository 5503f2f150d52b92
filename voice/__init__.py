"""Push-to-talk voice: capture, VAD, speech-to-text, text-to-speech, playback with barge-in,
the push-to-talk controller, the pipeline and its latency observer.

Never imports `agent`, `app`, `cli`, `desktop`, `inference`, `memory` or `tools`.
"""
