"""Settings read from the environment (prefix SUPPORTDESK_)."""

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/supportdesk"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

Network = IPv4Network | IPv6Network


class Settings(BaseSettings):
    """Every knob of the service; each field is SUPPORTDESK_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="SUPPORTDESK_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    # Redis Sentinel: comma-separated host:port of the sentinels, and the primary's name.
    redis_sentinels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    redis_sentinel_master: str = "mymaster"
    admin_key: SecretStr | None = None
    # Comma-separated CIDRs exempt from the webhook SSRF guard (tests use 127.0.0.0/8).
    webhook_allowed_networks: Annotated[list[Network], NoDecode] = Field(default_factory=list)
    db_pool_size: int = 10
    db_max_overflow: int = 20
    max_body_bytes: int = 1024 * 1024
    max_designated_contacts: int = Field(default=5, ge=1, le=1000)
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    api_key_cache_seconds: float = Field(default=5.0, ge=0)
    log_level: str = "info"
    # Logs: one JSON object per line (`json`, for collectors) or plain `text`.
    log_format: Literal["json", "text"] = "json"
    # OpenTelemetry traces over OTLP (configured by the standard OTEL_* variables).
    tracing: bool = False
    # Escalation: the roles of levels 1..n (a tiered chain is "support_tier1,support_tier2,...").
    escalation_chain: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["pm", "senior_pm", "ops_manager", "leadership"]
    )
    # A ticket affecting at least this many users escalates once, automatically.
    impact_threshold: int = Field(default=50, ge=1)
    pm_assignment_target_hours: int = Field(default=24, ge=1)
    # Resolved tickets close automatically after this many days.
    auto_close_days: float = Field(default=7, gt=0, le=365)
    # Keys that encrypt webhook signing secrets at rest (comma-separated; the first encrypts,
    # every one decrypts, so a key can be rotated). Unset: a built-in development key.
    secret_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    # How long a claimed delivery stays with its worker before another may resend it.
    webhook_lease_seconds: float = Field(default=45.0, gt=0)
    webhook_concurrency: int = Field(default=64, ge=1, le=1000)
    webhook_endpoint_concurrency: int = Field(default=16, ge=1, le=1000)
    webhook_disable_after_days: float = Field(default=5.0, gt=0)
    max_webhook_endpoints: int = Field(default=20, ge=1, le=1000)
    # Workers relay the outbox and send webhooks beside their jobs (off: jobs only).
    worker_webhooks: bool = True
    # A worker serves its Prometheus metrics on this port when set.
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # Widget intake: requests a minute per client IP and per widget key (0: no limit).
    widget_rate_per_ip: int = Field(default=60, ge=0)
    widget_rate_per_key: int = Field(default=600, ge=0)
    # Comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client.
    trusted_proxies: Annotated[list[Network], NoDecode] = Field(default_factory=list)

    @field_validator(
        "webhook_allowed_networks",
        "escalation_chain",
        "secret_keys",
        "trusted_proxies",
        "redis_sentinels",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()


def escalation_roles() -> list[str]:
    """The configured chain, validated against the known roles (at most four levels)."""
    from app.assignment.models import Role

    chain = get_settings().escalation_chain
    unknown = [role for role in chain if role not in Role.__members__]
    if unknown or not 1 <= len(chain) <= 4:
        raise ValueError(f"SUPPORTDESK_ESCALATION_CHAIN must be 1-4 known roles, not {chain}")
    return chain
