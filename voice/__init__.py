"""Push-to-talk voice: capture, speech-to-text, text-to-speech. Not built yet: see issue 6."""
