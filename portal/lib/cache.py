"""A Redis cache that treats an outage as a miss: pages get slower, never broken.

Every read answers as if the key were absent, every write is dropped, and the
failure is logged once a minute at most, while Redis is unreachable.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _safely[T](self, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except Exception as error:  # any client error: connection, timeout, protocol
            now = time.monotonic()
            if now - ResilientRedisCache._last_logged > LOG_EVERY_SECONDS:
                ResilientRedisCache._last_logged = now
                logger.warning("Cache unavailable, treated as a miss: %s", error)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._safely(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._safely(
            lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._safely(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._safely(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._safely(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._safely(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._safely(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        value = self._safely(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing
        )
        if value is missing:
            # What Django raises for a key that is not there.
            raise ValueError(f"Key '{key}' not found")
        return int(cast(int, value))

    def set_many(
        self, data: dict[Any, Any], timeout: Any = None, version: int | None = None
    ) -> list[Any]:
        return self._safely(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._safely(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)


def _key(parts: Iterable[object]) -> str:
    return "remembered:" + hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()


def recall(parts: Iterable[object], alias: str = "default") -> Any:
    """What `keep` kept under a key made of `parts`, or None; a cache that fails to answer is
    a miss, never an error."""
    from django.core.cache import caches

    try:
        return caches[alias].get(_key(parts))
    except Exception:  # any backend's error: what was kept is made again instead
        logger.warning("Cache unavailable, treated as a miss", exc_info=True)
        return None


def keep(parts: Iterable[object], value: object, timeout: int, alias: str = "default") -> None:
    """Keep `value` in a cache (the default one unless `alias` names another) under a key made
    of `parts`, if the cache can."""
    from django.core.cache import caches

    try:
        caches[alias].set(_key(parts), value, timeout)
    except Exception:
        logger.warning("Cache unavailable, nothing kept", exc_info=True)


def remembered[T](parts: Iterable[object], compute: Callable[[], T], timeout: int) -> T:
    """`compute()`, kept in the default cache under a key made of `parts` (`recall`, `keep`)."""
    parts = tuple(parts)
    found = recall(parts)
    if found is not None:
        return cast(T, found)
    value = compute()
    keep(parts, value, timeout)
    return value
