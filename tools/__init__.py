"""Tools under graduated autonomy: manifests and the registry, the gate, the review queue,
the audit log and undo, the executor and sandbox, and the built-ins by category.

Never imports `agent`, `app`, `cli`, `desktop`, `inference`, `memory` or `voice`: services
(a memory, a mail server) are handed in by the app.
"""
