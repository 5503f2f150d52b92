"""The agent: settings, the composition root, the CLI; everything else hangs off it."""
