"""Language models and embeddings: local llama.cpp, cloud APIs, the router, tool-call decoding.

Never imports `agent`, `app`, `cli`, `desktop`, `memory`, `tools` or `voice`.
"""
