"""One counter for every limit the portal sets: logins per address, exports, the API.

Fixed windows in the cache. It fails open: with the cache down, nothing is
limited, and nothing breaks.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `key` in each window of `window` seconds."""

    name: str
    limit: int
    window: int

    def _bucket(self, key: str) -> str:
        return f"ratelimit:{self.name}:{key}:{int(time.time() // self.window)}"

    def hit(self, key: str) -> bool:
        """Count one hit; False when the limit is passed."""
        bucket = self._bucket(key)
        try:
            cache.add(bucket, 0, timeout=self.window)
            return cache.incr(bucket) <= self.limit
        except Exception:  # the cache is down or evicted the bucket: fail open
            return True

    def exceeded(self, key: str) -> bool:
        """Whether the limit is passed, without counting a hit."""
        try:
            return int(cache.get(self._bucket(key), 0)) >= self.limit
        except Exception:
            return False
