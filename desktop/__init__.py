"""The Qt desktop app. It talks only to `agent`."""
