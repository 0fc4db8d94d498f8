"""The shared cache and sessions on a real Redis server (Debian's redis-server on a loopback
port and a temporary folder), configured as docs/deployment.md says: DJANGO_CACHE_URL and
DJANGO_SESSION_ENGINE=cached_db."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("PORTAL_ALL_SERVICES"):
            pytest.fail("нужен пакет Debian redis-server (tests/run_all.sh ставит его)")
        pytest.skip("redis-server не установлен")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder)]
        + ["--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server не запустился")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def shared_cache(redis_url):
    redis.Redis.from_url(redis_url).flushdb()
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    cache["default"]["LOCATION"] = redis_url
    with override_settings(
        CACHES=cache, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        yield redis.Redis.from_url(redis_url)
    caches["default"].close()


def test_the_settings_read_the_cache_and_session_engine_from_the_environment(redis_url):
    """What a web worker configured by the environment does: a value it caches is in Redis."""
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.core.cache import cache\n"
        "cache.set('portal-check', 'да', 60)\n"
        "print(settings.SESSION_ENGINE, cache.get('portal-check'))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_CACHE_URL": redis_url,
        "DJANGO_SESSION_ENGINE": "cached_db",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.contrib.sessions.backends.cached_db", "да"]
    assert redis.Redis.from_url(redis_url).keys("*portal-check")


@pytest.mark.django_db
def test_a_session_lives_in_redis_and_survives_its_loss(client, world, shared_cache):
    response = client.post(
        reverse("login"), {"username": world.official.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    session_key = client.cookies["sessionid"].value
    assert [k for k in shared_cache.keys("*") if session_key.encode() in k]
    assert client.get(reverse("registry:process_list")).status_code == 200

    # Another web worker, or Redis restarted empty: the session is read from the database.
    shared_cache.flushdb()
    assert client.get(reverse("registry:process_list")).status_code == 200

    client.post(reverse("logout"))
    assert not [k for k in shared_cache.keys("*") if session_key.encode() in k]
    assert client.get(reverse("registry:process_list")).status_code == 302
