"""The workshop server serves only what it ships: no request changes a file on the server,
the diagnostics and the fetching asset proxy are gone, and a foreign ``Host`` or ``Origin``
is refused (``app/server.py``)."""

from __future__ import annotations

import argparse
import base64
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from isolation_sim.app import server

from .browsing import app_command, server_process
from .conftest import BASELINE

CDN = "/_solara/cdn"
REQUIRE = f"{CDN}/requirejs@2.3.6/require.js"
VUETIFY = f"{CDN}/@widgetti/solara-vuetify-app@10.1.1"
# Every kind of route Solara mounts, with paths that made its proxy delete and fetch.
ROUTES = ["/", "/readyz", "/resourcez", "/resourcez?verbose", REQUIRE, f"{CDN}/requirejs@2.3.6", VUETIFY,
          f"{VUETIFY}/dist", f"{CDN}/nosuch@1.0.0/index.js", f"{CDN}/..%2F..%2Fetc/passwd", "/static/main-vuetify.js",
          "/static/assets/custom.js", "/static/public/x.js", "/jupyter/nbextensions/x.js", "/jupyter/api/kernels/x",
          "/_solara/api/close/x?session_id=y", "/_solara/api/evict/x", "/nosuch"]
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


@pytest.fixture(scope="module")
def app():
    with server_process(app_command(BASELINE)) as (url, process):
        yield url


def request(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers or {}),
                                    timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folders``, with its size and time of change."""
    found = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            for name in dirs + files:
                path = os.path.join(root, name)
                stat = os.lstat(path)
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_no_request_to_any_route_changes_a_file_and_the_diagnostics_are_gone(app):
    import solara

    from solara.util import get_solara_home

    folders = (Path(solara.__file__).parent, server.packaged_assets(), get_solara_home())
    before = snapshot(*folders)
    assert len(before) > 1000 and any(path.endswith("require.js") for path in before)
    answers = {(route, method): request(app.rstrip("/") + route, method)[0] for route in ROUTES for method in METHODS}
    assert snapshot(*folders) == before  # nothing written, touched or deleted, and nothing fetched into place
    for route in ("/readyz", "/resourcez", "/resourcez?verbose", "/_solara/api/evict/x"):
        assert {answers[route, method] for method in METHODS} <= {404, 405}, route
    for route in (VUETIFY, f"{CDN}/requirejs@2.3.6", f"{CDN}/nosuch@1.0.0/index.js"):
        assert answers[route, "GET"] == 404, route  # a folder or a package it does not ship: not there, not fetched
    assert {answers[REQUIRE, method] for method in ("POST", "PUT", "DELETE", "PATCH")} == {405}
    status, body = request(app.rstrip("/") + REQUIRE)
    assert status == 200 and body == (server.packaged_assets() / "requirejs@2.3.6" / "require.js").read_bytes()


def test_a_foreign_host_is_refused(app):
    port = urlsplit(app).port
    assert request(app, headers={"Host": f"localhost:{port}"})[0] == 200
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
        assert request(app, headers={"Host": host})[0] == 400, host


def upgrade(url: str, host: str | None = None, origin: str | None = None) -> int:
    """The HTTP status the server answers a websocket handshake for a new session with."""
    address = urlsplit(url)
    lines = [f"GET /jupyter/api/kernels/{os.urandom(8).hex()}/channels?session_id={os.urandom(8).hex()} HTTP/1.1",
             f"Host: {host or address.netloc}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = connection.recv(1024).split(b"\r\n")[0]
    return int(status.split()[1])


def test_a_websocket_from_another_page_or_host_is_refused(app):
    own = app.rstrip("/")
    port = urlsplit(app).port
    assert upgrade(app, origin=own) == 101  # the page's own: the session opens
    assert upgrade(app, host=f"localhost:{port}", origin=f"http://localhost:{port}") == 101
    for origin in ("http://evil.example", f"http://evil.example:{port}", f"https://127.0.0.1:{port}",
                   f"http://127.0.0.1:{port + 1}", "null", None):
        assert upgrade(app, origin=origin) == 403, origin
    assert upgrade(app, host=f"evil.example:{port}", origin=f"http://evil.example:{port}") == 400  # DNS rebinding


def test_a_post_from_another_page_is_refused(app):
    status, _ = request(app.rstrip("/") + "/_solara/api/close/x?session_id=y", "POST",
                        headers={"Origin": "http://evil.example"})
    assert status == 403


def test_the_names_served_by_follow_the_address_and_allow_host():
    assert server.hosts("127.0.0.1", []) == ["127.0.0.1", "localhost", "[::1]"]
    assert server.hosts("192.168.1.20", []) == ["192.168.1.20"]
    assert server.hosts("0.0.0.0", ["192.168.1.20", "workshop.local"])[-2:] == ["192.168.1.20", "workshop.local"]
    assert server.origins(["[::1]"], 8765) == ["http://[::1]:8765"]
    assert server.host_name("Workshop.Local") == "workshop.local" and server.host_name("::1") == "[::1]"
    for bad in ("evil.example/x", "a b", "", "-x.example", "http://x"):
        with pytest.raises(argparse.ArgumentTypeError):
            server.host_name(bad)
