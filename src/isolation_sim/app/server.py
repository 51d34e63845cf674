"""The workshop server: Solara's server for the page, serving only what it ships.

``solara run`` would also mount a proxy for JavaScript packages that, on a plain GET, can
delete a cached folder and fetch it again from the internet, and ``/readyz`` and
``/resourcez`` (the machine's CPU, threads and memory to anyone on the port); its websocket
takes any ``Origin`` and the server any ``Host``. Here the same Solara app is served
(``solara.server.starlette``) with:

- the packaged JavaScript (the ``solara-assets`` package) served read-only, where the page
  looks for it, and nothing fetched or written;
- no diagnostic endpoints (they answer 404);
- a ``Host`` that must be an address this server is opened on (no DNS rebinding), and an
  ``Origin``, required on the websocket, that must be this server's own page (no other web
  page can drive a session).

The address and port are bound before anything is printed, so a port in use is refused
by name.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import socket
from contextlib import contextmanager
from pathlib import Path

from ..errors import ScenarioError

WILDCARDS = ("0.0.0.0", "::")  # listening on every address of this machine
LOOPBACK = ("localhost", "127.0.0.1", "::1")
DIAGNOSTICS = ("/readyz", "/resourcez", "/_solara/api/evict/{kernel_id}")
NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def host_name(text: str) -> str:
    """An argparse type: a host name (``workshop.local``) or an IP address, as a browser
    puts it in a URL (IPv6 in brackets)."""
    bare = text.strip().lower().removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        if not NAME.fullmatch(bare):
            raise argparse.ArgumentTypeError(f"{text}: not a host name or an IP address") from None
        return bare
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def hosts(host: str, allowed: list[str]) -> list[str]:
    """The names a browser may open this server by (its ``Host``): the address served on,
    this machine's own names when that is a loopback address or every address, and the
    ``allowed`` ones (``--allow-host``)."""
    try:
        served = host_name(host)
    except argparse.ArgumentTypeError:
        raise ScenarioError(f"--host {host}: not a host name or an IP address") from None
    bare = served.strip("[]")
    names = [] if bare in WILDCARDS else [served]
    if bare in WILDCARDS or bare in LOOPBACK:
        names += [host_name(name) for name in LOOPBACK]
    if bare in WILDCARDS and not allowed:
        raise ScenarioError(f"--host {host}: serves other machines, so name the address they will open with "
                            "--allow-host (this machine's address in the room's network, e.g. --allow-host "
                            "192.168.1.20)")
    return list(dict.fromkeys([*names, *allowed]))


def origins(names: list[str], port: int) -> list[str]:
    """The ``Origin`` of this server's own page, by each of its ``names``."""
    return [f"http://{name}:{port}" for name in names] + ([f"http://{name}" for name in names] if port == 80 else [])


@contextmanager
def listening(host: str, port: int):
    """A socket bound to ``host`` and ``port``, closed at the end; a port in use, or an
    address not of this machine, is refused by its flag."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror:
        raise ScenarioError(f"--host {host}: not an address of this machine") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart needs no wait
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == 98:  # EADDRINUSE
                raise ScenarioError(f"--port {port}: already in use on {host} (is the app running already? "
                                    "stop it, or choose another port with --port)") from None
            raise ScenarioError(f"--host {host} --port {port}: cannot listen there ({exc.strerror})") from None
        yield sock
    finally:
        sock.close()


def packaged_assets() -> Path:
    """The folder of the JavaScript packages the ``solara-assets`` package installs, the
    folder Solara's page loads them from (``/_solara/cdn/``)."""
    from importlib.metadata import files

    for file in files("solara-assets") or ():
        parts = file.parts
        if "cdn" in parts:
            return Path(os.path.normpath(file.locate())).parents[len(parts) - parts.index("cdn") - 2]
    raise ScenarioError("the app needs the solara-assets package: reinstall with make setup")


def application(names: list[str], port: int):
    """Solara's app for the page, read-only, with no diagnostics, for ``names`` on ``port``.
    Solara reads its settings when first imported: call after :func:`settings`."""
    import solara.settings
    from solara.server import settings as server_settings
    from solara.server import starlette as solara_app
    from solara.server.cdn_helper import cdn_url_path
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    assets = packaged_assets()
    solara.settings.assets.proxy = True  # the page loads its JavaScript from this server ...
    server_settings.assets.proxy_cache_dir = assets  # ... from the packaged folder
    server_settings.main.mode = "production"
    kept = [route for route in solara_app.routes if getattr(route, "path", None) not in DIAGNOSTICS
            and not (isinstance(route, Mount) and isinstance(route.app, solara_app.StaticCdn))]
    first_mount = next(i for i, route in enumerate(kept) if isinstance(route, Mount))
    kept.insert(first_mount, Mount(f"/{cdn_url_path}", app=StaticFiles(directory=assets)))
    guards = [Middleware(TrustedHostMiddleware, allowed_hosts=names, www_redirect=False),
              Middleware(SameOrigin, allowed=origins(names, port))]
    return Starlette(routes=kept, lifespan=solara_app.lifespan, middleware=[*guards, *solara_app.middleware])


class SameOrigin:
    """ASGI middleware: refuses (403) a request that comes from another web page than this
    server's own (an ``Origin`` not in ``allowed``), and a websocket without an ``Origin``
    (every browser sends one)."""

    def __init__(self, app, allowed: list[str]):
        self.app, self.allowed = app, {origin.lower() for origin in allowed}

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            from starlette.datastructures import Headers
            from starlette.responses import PlainTextResponse

            origin = Headers(scope=scope).get("origin")
            if (origin is None and scope["type"] == "websocket") or (
                    origin is not None and origin.lower() not in self.allowed):
                await PlainTextResponse("refused: not this app's own page", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def settings(page: dict[str, str], module: str = "isolation_sim.app.page") -> None:
    """Set what the page (``page``: its ``ISOLATION_SIM_*`` values) and Solara read from the
    environment, before either is imported: the page to serve (``module``), production mode,
    no telemetry, no echo of a widget's value to the browser that sent it, and a session whose browser has gone (tab closed, laptop shut) ended after
    two minutes, so it stops using the machine."""
    os.environ.update(page)
    os.environ.update({"SOLARA_APP": module, "SOLARA_MODE": "production",
                       "SOLARA_ASSETS_PROXY": "true", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
                       # a value the page refuses is not echoed back to the browser as if taken
                       "JUPYTER_WIDGETS_ECHO": "0"})
    os.environ.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "2m")


def serve(sock: socket.socket, names: list[str], port: int, page: dict[str, str],
          module: str = "isolation_sim.app.page") -> None:
    """Serve the page ``module`` on ``sock`` until Ctrl-C (or SIGTERM)."""
    settings(page, module)
    import uvicorn

    config = uvicorn.Config(application(names, port), loop="asyncio", access_log=False, log_level="warning",
                            timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
