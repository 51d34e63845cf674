"""Browser tests: a server on the loopback address, and Chromium driven by Playwright.

``make test`` finds Chromium or installs Debian's (``.ci/find-chromium``) and hands its
path over in ``CHROMIUM``. Without one the browser tests skip and say why; on CI they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# As root on a closed network: no sandbox, and no background calls home.
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_process(command: list[str], env: dict | None = None, startup: float = 90):
    """Start ``command`` (``{port}`` in it is replaced by a free port) and yield its URL on
    127.0.0.1 and its process once it answers; stop it, and everything it started, at the end."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                              env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.5)
        yield url, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


@contextmanager
def serving(command: list[str], env: dict | None = None, startup: float = 90):
    """As :func:`server_process`, yielding the URL only."""
    with server_process(command, env, startup) as (url, _):
        yield url


def app_command(scenario, *flags: str) -> list[str]:
    """``isolation-sim app`` of ``scenario`` at 1,500 residents in English, on a free port."""
    return [sys.executable, "-m", "isolation_sim.cli", "app", str(scenario), "--residents", "1500",
            "--port", "{port}", "--language", "en", *flags]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        missing = "the browser tests need Chromium: apt-get install chromium (make test does, where it can)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()
