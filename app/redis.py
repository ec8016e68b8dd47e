"""Connections to Redis: one primary by URL, or the primary that Redis Sentinel names.

SUPPORTDESK_REDIS_URL gives the database, credentials and TLS; with
SUPPORTDESK_REDIS_SENTINELS (host:port,…) the primary's address comes from the sentinels
watching SUPPORTDESK_REDIS_SENTINEL_MASTER, and a failover is followed without a restart.
"""

from arq.connections import ArqRedis, RedisSettings
from redis.asyncio.sentinel import Sentinel

from app.config import Settings


def redis_settings(settings: Settings) -> RedisSettings:
    """arq's settings for the workers."""
    result = RedisSettings.from_dsn(settings.redis_url)
    if settings.redis_sentinels:
        result.host = [_address(item) for item in settings.redis_sentinels]
        result.sentinel = True
        result.sentinel_master = settings.redis_sentinel_master
    return result


def client(settings: Settings) -> ArqRedis:
    """A client for the API; it connects on first use, so the API starts while Redis is down."""
    if not settings.redis_sentinels:
        return ArqRedis.from_url(settings.redis_url)
    config = redis_settings(settings)
    sentinel = Sentinel(
        config.host,
        socket_connect_timeout=config.conn_timeout,
        ssl=config.ssl,
        db=config.database,
        username=config.username,
        password=config.password,
    )
    return sentinel.master_for(config.sentinel_master, redis_class=ArqRedis)


def _address(item: str) -> tuple[str, int]:
    host, _, port = item.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"SUPPORTDESK_REDIS_SENTINELS wants host:port items, not {item!r}")
    return host.strip("[]"), int(port)
