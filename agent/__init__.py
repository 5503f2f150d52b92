"""The agent core: the loop, typed events, the message protocol, the prompt, planning, tool
choice, grounding in memory, metrics, and reflection. It knows no command, window,
terminal or channel: front ends reach it through the app (`app.famulus.Famulus`)."""
