"""Where the training queue lives, read from an Airflow connection (default `canopy_redis`, type redis).

The connection holds the Redis address (host, port, login, password, schema = database number; extra `ssl: true`
for rediss://) and, optionally in its extra, `queue` and `prefix` (defaults: canopy-training, bull) - the same
three settings the Node workers read from REDIS_URL, CANOPY_QUEUE and CANOPY_QUEUE_PREFIX.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from airflow.sdk import BaseHook

from canopy_airflow.contract import DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX


@dataclass(frozen=True)
class QueueConfig:
    redis_url: str
    queue_name: str
    prefix: str

    @property
    def redacted_url(self) -> str:
        """The Redis URL without its password, for logs."""
        parts = urlsplit(self.redis_url)
        if not parts.password:
            return self.redis_url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))


class BullMQHook(BaseHook):
    """Turns the `redis` connection into a QueueConfig for the bullmq client."""

    conn_name_attr = "redis_conn_id"
    default_conn_name = "canopy_redis"
    conn_type = "redis"
    hook_name = "Canopy training queue (Redis)"

    def __init__(self, redis_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.redis_conn_id = redis_conn_id

    def get_conn(self) -> QueueConfig:
        return self.queue_config()

    def queue_config(self, queue_name: str | None = None, prefix: str | None = None) -> QueueConfig:
        """Reads the connection (from a task); explicit queue_name/prefix win over the connection's extra."""
        return queue_config_of(self.get_connection(self.redis_conn_id), queue_name, prefix)

    async def aqueue_config(self, queue_name: str | None = None, prefix: str | None = None) -> QueueConfig:
        """The same, without blocking the event loop (from a trigger in the triggerer)."""
        return queue_config_of(await self.aget_connection(self.redis_conn_id), queue_name, prefix)


def queue_config_of(conn: Any, queue_name: str | None = None, prefix: str | None = None) -> QueueConfig:
    """QueueConfig from an Airflow Connection (duck-typed: host, port, login, password, schema, extra_dejson)."""
    if not conn.host:
        raise ValueError(f"Airflow connection {conn.conn_id!r} has no host: set it to the Redis server's address")
    extra = conn.extra_dejson or {}
    scheme = "rediss" if _truthy(extra.get("ssl")) else "redis"
    auth = ""
    if conn.login or conn.password:
        auth = f"{quote(conn.login or '', safe='')}:{quote(conn.password or '', safe='')}@"
    database = str(conn.schema or extra.get("db") or 0)
    if not database.isdigit():
        raise ValueError(f"Airflow connection {conn.conn_id!r}: schema must be a Redis database number, got {database!r}")
    url = f"{scheme}://{auth}{conn.host}:{conn.port or 6379}/{database}"
    return QueueConfig(
        redis_url=url,
        queue_name=queue_name or extra.get("queue") or DEFAULT_QUEUE_NAME,
        prefix=prefix or extra.get("prefix") or DEFAULT_QUEUE_PREFIX,
    )


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
