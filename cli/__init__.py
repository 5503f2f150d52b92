"""The `famulus` command: one module per command group, each registering its parser and
running it through the app's facade (`app`). The library below knows nothing of it."""
