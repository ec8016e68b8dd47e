"""Settings read from the environment (prefix SUPPORTDESK_)."""

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.assignment.models import Role

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
    # The bootstrap admin key (at least 32 characters); unset: only issued keys work.
    admin_key: SecretStr | None = None
    # Comma-separated CIDRs exempt from the webhook SSRF guard (tests use 127.0.0.0/8).
    webhook_allowed_networks: Annotated[list[Network], NoDecode] = Field(default_factory=list)
    db_pool_size: int = 10
    db_max_overflow: int = 20
    # How long a request waits for a pooled connection when all are busy before it answers 503
    # with Retry-After (SQLAlchemy's default, 30 s, outlasts most clients' own timeouts).
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    max_body_bytes: int = 1024 * 1024
    max_designated_contacts: int = Field(default=5, ge=1, le=1000)
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    # How long a process reuses a key lookup (0: never). Revocations, deactivated agents and
    # deleted contacts reach every process at once anyway (app/api_keys/cache.py).
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
    # Clients escalate a ticket at most once in this many hours (0: no limit); staff are free.
    client_escalation_cooldown_hours: float = Field(default=4, ge=0, le=24 * 365)
    pm_assignment_target_hours: int = Field(default=24, ge=1)
    # Resolved tickets close automatically after this many days.
    auto_close_days: float = Field(default=7, gt=0, le=365)
    # Keys that encrypt webhook signing secrets at rest (comma-separated; the first encrypts,
    # every one decrypts, so a key can be rotated), each at least 32 bytes. The API and workers
    # refuse to start without them; `supportdesk dev` and the tests set their own.
    secret_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    # How long a claimed delivery stays with its worker before another may resend it.
    webhook_lease_seconds: float = Field(default=45.0, gt=0)
    webhook_concurrency: int = Field(default=64, ge=1, le=1000)
    webhook_endpoint_concurrency: int = Field(default=16, ge=1, le=1000)
    # Sends in flight per worker to one organization's endpoints (the operator's count as one
    # organization). Unset: half of webhook_concurrency.
    webhook_organization_concurrency: int | None = Field(default=None, ge=1, le=1000)
    webhook_disable_after_days: float = Field(default=5.0, gt=0)
    max_webhook_endpoints: int = Field(default=20, ge=1, le=1000)
    # Test pings and single-delivery retries one endpoint may ask for, a minute (0: no limit):
    # each is an immediate POST to a URL the caller chose.
    webhook_manual_sends_per_minute: int = Field(default=10, ge=0)
    # A bulk replay of an endpoint must wait this long after its previous one.
    webhook_replay_cooldown_seconds: float = Field(default=60.0, ge=0)
    # A replay or retry that would leave an endpoint more pending deliveries is refused.
    webhook_max_pending_deliveries: int = Field(default=10_000, ge=1)
    # Workers relay the outbox and send webhooks beside their jobs (off: jobs only).
    worker_webhooks: bool = True
    # A worker serves its Prometheus metrics on this port when set.
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # Widget intake: requests a minute per client IP and per widget key (0: no limit).
    widget_rate_per_ip: int = Field(default=60, ge=0)
    widget_rate_per_key: int = Field(default=600, ge=0)
    # Every /v1 request, a minute: per API key (Authorization: Bearer), and per client IP for
    # requests without one (0: no limit, and no RateLimit-* headers). Widget routes also
    # spend the widget's own budgets above. At most one a millisecond: buckets count in ms.
    api_rate_limit_per_minute: int = Field(default=6000, ge=0, le=60_000)
    api_rate_limit_per_minute_anonymous: int = Field(default=600, ge=0, le=60_000)
    # Outbound mail: smtp://user:pass@host:587?starttls=true, smtps://… (implicit TLS) or
    # smtp://host:port. Unset: mail is recorded but not sent (`skipped`).
    smtp_url: SecretStr | None = None
    # The sender of every mail, and its Reply-To (replies come back through email intake).
    mail_from: str = "Support <support@desk.example>"
    # A folder whose templates replace the built-in ones of the same name (app/mail/templates).
    mail_templates: str | None = None
    # Where links in mail point (the satisfaction page): this service's public address.
    public_url: str = "http://127.0.0.1:8000"
    # The weekly summary goes to an organization with at least this many open requests.
    summary_min_open: int = Field(default=3, ge=1)
    # SMTP connections one worker keeps open, and how long a claimed mail stays with it.
    mail_concurrency: int = Field(default=4, ge=1, le=100)
    mail_lease_seconds: float = Field(default=60.0, gt=0)
    mail_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    # Workers plan and send mail beside their jobs (off: jobs only).
    worker_mail: bool = True
    # `supportdesk dev` only: the folder its SMTP sink writes to, served at GET /dev/mail.
    dev_mail_dir: str | None = None
    # Attachments: file:///var/lib/supportdesk/attachments, or
    # s3://bucket?endpoint_url=…&region=… (credentials from the standard AWS variables).
    storage_url: str = "file:///var/lib/supportdesk/attachments"
    # The largest upload; the 1 MiB body limit does not apply to uploads.
    max_attachment_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # A comment line this often keeps proxies from closing an idle event stream.
    stream_ping_seconds: float = Field(default=15, ge=1, le=300)
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

    @property
    def max_raw_mail_bytes(self) -> int:
        """A raw inbound mail may carry one attachment, base64-encoded (4/3 larger)."""
        return max(self.max_body_bytes, self.max_attachment_bytes * 4 // 3 + 2**20)


MIN_SECRET_BYTES = 32
KEYGEN = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


class InsecureSettings(RuntimeError):
    """The API or a worker would start without the secrets production needs."""


def require_secrets(settings: Settings) -> None:
    """Refuses (InsecureSettings) missing or short secret keys and a short bootstrap key."""
    keys = [key.get_secret_value().encode() for key in settings.secret_keys]
    if not keys:
        raise InsecureSettings(
            "SUPPORTDESK_SECRET_KEYS is not set. The API and workers need at least one key of "
            f"{MIN_SECRET_BYTES} bytes or more to encrypt webhook secrets (comma-separated; the "
            f"first encrypts, all decrypt). Generate one with: {KEYGEN}"
        )
    for number, key in enumerate(keys, start=1):
        if len(key) < MIN_SECRET_BYTES:
            raise InsecureSettings(
                f"SUPPORTDESK_SECRET_KEYS: key {number} of {len(keys)} is {len(key)} bytes; "
                f"each needs at least {MIN_SECRET_BYTES}. Generate one with: {KEYGEN}"
            )
    admin_key = settings.admin_key.get_secret_value() if settings.admin_key else ""
    if 0 < len(admin_key) < MIN_SECRET_BYTES:
        raise InsecureSettings(
            f"SUPPORTDESK_ADMIN_KEY is {len(admin_key)} characters; the bootstrap admin key "
            f"needs at least {MIN_SECRET_BYTES} (or unset it and issue keys with "
            f"`supportdesk keys create`). Generate one with: {KEYGEN}"
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()


def escalation_roles() -> list[str]:
    """The configured chain, validated against the known roles (at most four levels)."""
    chain = get_settings().escalation_chain
    unknown = [role for role in chain if role not in Role.__members__]
    if unknown or not 1 <= len(chain) <= 4:
        raise ValueError(f"SUPPORTDESK_ESCALATION_CHAIN must be 1-4 known roles, not {chain}")
    return chain
