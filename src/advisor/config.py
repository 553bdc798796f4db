"""One settings object, read from ADVISOR_* environment variables and validated when created."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .addresses import HostRule, parse_networks
from .errors import ConfigError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MAX_QUESTION_CHARS = 2000
# How chunks and questions are embedded; see advisor.embedding.Embedder.
EMBED_BACKENDS = ("onnx-int8", "onnx", "torch")


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int = 200
    overlap_tokens: int = 40
    encoding: str = "cl100k_base"

    def __post_init__(self) -> None:
        if self.max_tokens < 16:
            raise ConfigError(f"chunk max_tokens must be at least 16, got {self.max_tokens}.")
        if not 0 <= self.overlap_tokens < self.max_tokens // 2 + 1:
            raise ConfigError(
                f"chunk overlap_tokens must be between 0 and half of max_tokens ({self.max_tokens // 2}), "
                f"got {self.overlap_tokens}."
            )

    def to_dict(self) -> dict[str, int | str]:
        return {"max_tokens": self.max_tokens, "overlap_tokens": self.overlap_tokens, "encoding": self.encoding}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunking: ChunkSettings = field(default_factory=ChunkSettings)
    embed_batch_size: int = 32
    embed_backend: str = "onnx-int8"
    embed_threads: int = field(default_factory=lambda: available_cpus())
    query_cache: int = 1024
    max_question_chars: int = MAX_QUESTION_CHARS
    hnsw_min_vectors: int = 50_000
    keep_generations: int = 2
    parse_timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.embed_batch_size < 1:
            raise ConfigError(f"ADVISOR_EMBED_BATCH_SIZE must be at least 1, got {self.embed_batch_size}.")
        if self.embed_backend not in EMBED_BACKENDS:
            raise ConfigError(
                f"ADVISOR_EMBED_BACKEND must be one of {', '.join(EMBED_BACKENDS)}, got {self.embed_backend!r}."
            )
        if self.query_cache < 0:
            raise ConfigError(f"ADVISOR_QUERY_CACHE must be 0 (off) or more, got {self.query_cache}.")
        if self.embed_threads < 1:
            raise ConfigError(f"ADVISOR_EMBED_THREADS must be at least 1, got {self.embed_threads}.")
        if self.max_question_chars < 10:
            raise ConfigError(f"ADVISOR_MAX_QUESTION_CHARS must be at least 10, got {self.max_question_chars}.")
        if self.hnsw_min_vectors < 1:
            raise ConfigError(f"ADVISOR_HNSW_MIN_VECTORS must be at least 1, got {self.hnsw_min_vectors}.")
        if self.keep_generations < 1:
            raise ConfigError(f"ADVISOR_KEEP_GENERATIONS must be at least 1, got {self.keep_generations}.")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ADVISOR_* variables; keyword overrides (from CLI options) win when not None."""
        env = dict(os.environ if env is None else env)
        chunking = ChunkSettings(
            max_tokens=_int(env, "ADVISOR_CHUNK_TOKENS", ChunkSettings.max_tokens),
            overlap_tokens=_int(env, "ADVISOR_CHUNK_OVERLAP", ChunkSettings.overlap_tokens),
            encoding=env.get("ADVISOR_CHUNK_ENCODING", "").strip() or ChunkSettings.encoding,
        )
        settings = cls(
            corpus_dir=Path(env.get("ADVISOR_CORPUS_DIR", "corpus")),
            index_dir=Path(env.get("ADVISOR_INDEX_DIR", "index")),
            model=env.get("ADVISOR_MODEL", DEFAULT_MODEL) or DEFAULT_MODEL,
            chunking=chunking,
            embed_batch_size=_int(env, "ADVISOR_EMBED_BATCH_SIZE", 32),
            embed_backend=env.get("ADVISOR_EMBED_BACKEND", "onnx-int8") or "onnx-int8",
            embed_threads=_int(env, "ADVISOR_EMBED_THREADS", available_cpus()),
            query_cache=_int(env, "ADVISOR_QUERY_CACHE", 1024),
            max_question_chars=_int(env, "ADVISOR_MAX_QUESTION_CHARS", MAX_QUESTION_CHARS),
            keep_generations=_int(env, "ADVISOR_KEEP_GENERATIONS", 2),
            hnsw_min_vectors=_int(env, "ADVISOR_HNSW_MIN_VECTORS", 50_000),
            parse_timeout=_float(env, "ADVISOR_PARSE_TIMEOUT", 30.0),
        )
        given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given) if given else settings


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers and taskset narrow), not the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0, got {raw!r}.")
    return value


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None


@dataclass(frozen=True)
class ServerSettings:
    """Settings of the web server: where it listens, who may embed and call it, and the limits it enforces."""

    host: str = "127.0.0.1"
    port: int = 7860
    allowed_origins: tuple[str, ...] = ()
    # Host names the server answers to; empty means the defaults of hosts.default_hosts (localhost names and
    # the bound address). Other Host headers get 400, which keeps DNS rebinding out.
    allowed_hosts: tuple[str, ...] = ()
    # Addresses or networks of reverse proxies whose X-Forwarded-* headers are believed; from anyone else they
    # are removed before the app sees them.
    trusted_proxies: tuple[str, ...] = ()
    feedback_db: Path = Path("feedback.sqlite3")
    # A SQLAlchemy URL of the database for answers and feedback (postgresql+psycopg://... for several processes);
    # None: the SQLite file feedback_db.
    database_url: str | None = field(default=None, repr=False)
    store_questions: bool = True
    retention_days: int = 90
    max_stored_answers: int = 100_000
    rate_limit_per_minute: int = 30
    # Where rate-limit counters live (the `limits` library's storage URI): memory:// is one process's own;
    # redis://host:port shares one limit across processes.
    rate_limit_storage: str = field(default="memory://", repr=False)
    # One answer per core: more only contend for the GIL and stretch the latency tail (benchmarks/).
    max_concurrent: int = field(default_factory=lambda: available_cpus())
    max_waiting: int = 16
    max_body_bytes: int = 16_384
    max_connections: int = 2048
    max_connections_per_client: int = 100
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    keepalive_timeout: float = 5.0
    shutdown_timeout: float = 3.0
    admin_token: str | None = field(default=None, repr=False)
    reload_interval: float = 1.0

    def __post_init__(self) -> None:
        if self.admin_token is not None and len(self.admin_token) < 16:
            raise ConfigError(
                "ADVISOR_ADMIN_TOKEN must be at least 16 characters long (or unset to turn rebuilds off)."
            )
        if not 0 < self.port < 65536:
            raise ConfigError(f"ADVISOR_PORT must be a port number (1-65535), got {self.port}.")
        for origin in self.allowed_origins:
            if origin == "*" or not origin.startswith(("http://", "https://")) or origin.endswith("/"):
                raise ConfigError(
                    f"ADVISOR_ALLOWED_ORIGINS takes exact origins such as https://careers.example.com "
                    f"(scheme and host, no path, no '*'); got {origin!r}."
                )
        for host in self.allowed_hosts:
            HostRule.parse(host)
        parse_networks(self.trusted_proxies)
        for name in (
            "retention_days",
            "rate_limit_per_minute",
            "max_concurrent",
            "max_body_bytes",
            "max_stored_answers",
            "max_connections",
            "max_connections_per_client",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{_VARIABLES[name]} must be at least 1, got {getattr(self, name)}.")
        if self.max_waiting < 0:
            raise ConfigError(f"ADVISOR_MAX_WAITING must be 0 or more, got {self.max_waiting}.")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> ServerSettings:
        env = dict(os.environ if env is None else env)
        settings = cls(
            host=env.get("ADVISOR_HOST", "").strip() or "127.0.0.1",
            port=_int(env, "ADVISOR_PORT", 7860),
            allowed_origins=_list(env, "ADVISOR_ALLOWED_ORIGINS"),
            allowed_hosts=_list(env, "ADVISOR_ALLOWED_HOSTS"),
            trusted_proxies=_list(env, "ADVISOR_TRUSTED_PROXIES"),
            feedback_db=Path(env.get("ADVISOR_FEEDBACK_DB", "feedback.sqlite3")),
            database_url=env.get("ADVISOR_DATABASE_URL", "").strip() or None,
            store_questions=env.get("ADVISOR_STORE_QUESTIONS", "1").strip().lower() not in ("0", "false", "no", "off"),
            retention_days=_int(env, "ADVISOR_RETENTION_DAYS", 90),
            max_stored_answers=_int(env, "ADVISOR_MAX_STORED_ANSWERS", 100_000),
            rate_limit_per_minute=_int(env, "ADVISOR_RATE_LIMIT", 30),
            rate_limit_storage=env.get("ADVISOR_RATE_LIMIT_STORAGE", "").strip() or "memory://",
            max_concurrent=_int(env, "ADVISOR_MAX_CONCURRENT", available_cpus()),
            max_waiting=_int(env, "ADVISOR_MAX_WAITING", 16),
            max_body_bytes=_int(env, "ADVISOR_MAX_BODY_BYTES", 16_384),
            max_connections=_int(env, "ADVISOR_MAX_CONNECTIONS", 2048),
            max_connections_per_client=_int(env, "ADVISOR_MAX_CONNECTIONS_PER_CLIENT", 100),
            header_timeout=_float(env, "ADVISOR_HEADER_TIMEOUT", 10.0),
            body_timeout=_float(env, "ADVISOR_BODY_TIMEOUT", 10.0),
            keepalive_timeout=_float(env, "ADVISOR_KEEPALIVE_TIMEOUT", 5.0),
            shutdown_timeout=_float(env, "ADVISOR_SHUTDOWN_TIMEOUT", 3.0),
            admin_token=env.get("ADVISOR_ADMIN_TOKEN") or None,
            reload_interval=_float(env, "ADVISOR_RELOAD_INTERVAL", 1.0),
        )
        given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given) if given else settings


_VARIABLES = {
    "retention_days": "ADVISOR_RETENTION_DAYS",
    "rate_limit_per_minute": "ADVISOR_RATE_LIMIT",
    "max_concurrent": "ADVISOR_MAX_CONCURRENT",
    "max_body_bytes": "ADVISOR_MAX_BODY_BYTES",
    "max_stored_answers": "ADVISOR_MAX_STORED_ANSWERS",
    "max_connections": "ADVISOR_MAX_CONNECTIONS",
    "max_connections_per_client": "ADVISOR_MAX_CONNECTIONS_PER_CLIENT",
}


def _list(env: dict[str, str], name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())
