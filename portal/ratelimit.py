"""A fixed-window counter in Django's cache: how many times a key was hit in the current
window, refused above a limit. Django's cache rather than django-ratelimit: the same counter
works on the per-process cache the portal uses by default and on the shared Redis of
DJANGO_CACHE_URL (django-ratelimit's checks refuse the first and do not know Django's own
Redis backend), and it is a dozen lines. add() then incr() is atomic on Redis and within one
process on the local-memory cache; with several workers and no shared cache each worker
counts its own share, which the settings' defaults allow for."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Counts one hit of `key`; False when it is over `limit` in the current window."""
    if limit <= 0:
        return True  # no limit configured
    window = int(time.time() // window_seconds)
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()  # no address stored
    name = f"ratelimit:{scope}:{window}:{digest}"
    if cache.add(name, 1, window_seconds + 1):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, window_seconds + 1)
        return True
    return count <= limit
