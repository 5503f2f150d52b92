"""Encrypted, restorable memory: an encrypted event log and the stores derived from it.

The event log (SQLCipher) is the one durable copy. The episodic store (LanceDB) and the
semantic graph (Kùzu or Ladybug) are rebuilt from it and live in RAM while the vault is
unlocked, sealed into AES-256-GCM snapshots on disk when it is locked.

Never imports `agent`, `app`, `cli`, `desktop`, `inference`, `tools` or `voice`: the
embedder is handed in as a function.
"""
