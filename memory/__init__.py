"""Encrypted, restorable memory (episodic, semantic, procedural). Not built yet: see issue 3."""
