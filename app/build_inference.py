"""Building the inference side from the settings: the router over the local and cloud
backends, the generation options, the embedder, the chat model's token counter. The only
place that hands settings to `inference`, as plain values."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from app import secrets
from app.profile import Profile
from inference.backend import Backend
from inference.catalogue import resolve_chat_model
from inference.cloud_anthropic import AnthropicBackend
from inference.cloud_openai import OpenAIBackend
from inference.embedded import Progress, embedding_model_dir
from inference.embeddings import Embedder, SentenceTransformerEmbedder
from inference.embeddings_onnx import OnnxEmbedder, int8_model_path
from inference.embeddings_onnx import available as onnx_available
from inference.errors import InvalidRequest
from inference.hardware import probe_gpus
from inference.local import LocalBackend
from inference.local_loader import LocalModelConfig
from inference.messages import GenerationOptions
from inference.router import Router

log = logging.getLogger(__name__)


def local_backend(profile: Profile, model: str | None = None,
                  progress: Progress | None = None) -> LocalBackend:
    """The local llama.cpp backend for `model` (or the models.chat setting)."""
    settings = profile.settings
    path = resolve_chat_model(model or settings.models.chat, profile.paths.models_dir,
                              progress)
    config = LocalModelConfig(
        path=path,
        n_ctx=settings.models.context_length,
        n_threads=settings.models.threads,
        gpu_layers=settings.models.gpu_layers,
        vram_budget_mb=settings.models.vram_budget_mb,
    )
    return LocalBackend(config)


def cloud_backend(profile: Profile) -> Backend:
    """The configured cloud backend, with its key from the keyring or the environment."""
    settings = profile.settings
    provider = settings.cloud.provider
    key, source = secrets.api_key(provider)
    log.info("cloud provider %s, API key from %s", provider, source)
    timeout = settings.inference.timeout_s
    if provider == "anthropic":
        return AnthropicBackend(settings.cloud.anthropic.model, key, timeout,
                                settings.cloud.anthropic.base_url)
    return OpenAIBackend(settings.cloud.openai.base_url, settings.cloud.openai.model, key,
                         timeout)


def build_router(profile: Profile, model: str | None = None, backend: str | None = None,
                 progress: Progress | None = None) -> Router:
    """The router over the backends in inference.order (or just `backend`)."""
    order = [backend] if backend else list(profile.settings.inference.order)
    backends: list[Backend] = []
    for name in order:
        if name == "local":
            backends.append(local_backend(profile, model, progress))
        elif name == "cloud":
            backends.append(cloud_backend(profile))
        else:
            raise InvalidRequest(f"unknown backend {name!r} in inference.order: use local, cloud")
    remote = [b.name for b in backends if not isinstance(b, LocalBackend)]
    allow = profile.settings.privacy.allow_cloud
    return Router(backends, allow_cloud=allow, remote=remote)


def generation_options(profile: Profile) -> GenerationOptions:
    settings = profile.settings
    return GenerationOptions(
        max_tokens=settings.inference.max_tokens,
        temperature=settings.inference.temperature,
        min_call_confidence=settings.inference.min_tool_call_confidence,
    )


def embedder(profile: Profile) -> Embedder:
    """The embedding model named by models.embedding, on the engine models.embedding_engine
    picks: 'auto' takes the int8 ONNX copy of the default model on the CPU (it starts in
    0.3 s instead of ~4 s) and sentence-transformers wherever a GPU or another model is."""
    settings = profile.settings
    choice, engine = settings.models.embedding, settings.models.embedding_engine
    folder = embedding_model_dir() if choice == "default" else Path(choice).expanduser()
    if engine == "auto":
        on_cpu = settings.models.embedding_device == "cpu" or (
            settings.models.embedding_device == "auto" and not probe_gpus()[0])
        engine = "onnx" if choice == "default" and on_cpu and onnx_available() \
            else "sentence-transformers"
    if engine == "onnx":
        if choice != "default":
            raise InvalidRequest("models.embedding_engine = onnx works only with the "
                                 "default embedding model")
        return OnnxEmbedder(int8_model_path(), folder)
    return SentenceTransformerEmbedder(folder, settings.models.embedding_device)


def chat_token_counter(profile: Profile, model: str | None = None) -> Callable[[str], int]:
    """Token counting with the chat model's own tokenizer (for working-memory budgets)."""
    from inference.tokens import token_counter

    path = resolve_chat_model(model or profile.settings.models.chat,
                              profile.paths.models_dir)
    return token_counter(path)
