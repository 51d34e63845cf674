"""The workshop app in a real browser: weeks drawn per second, and twenty sessions at once;
written to ``docs/performance.md`` (between the ``<!-- app -->`` markers).

    make benchmark                                 # with the other benchmarks
    .venv/bin/python benchmarks/app.py --quick    # shorter, fewer sessions; prints, writes nothing

The server is ``isolation-sim app`` as a facilitator starts it: baseline and dynamics side
by side at the Oud Charlois scale (15,000 residents each), with maps, charts and the network
view. The browser is Debian's Chromium, headless, on the same machine (so it shares the two
cores with the server: a projector laptop would have its own).

One session plays at the highest speed (20 weeks a second asked). On every animation frame
the page records the week its counter shows; the rate of new weeks seen is the rendered
steps per second. Then twenty sessions, each in its own browser context, are opened one
after another and each set playing as soon as it shows week 0; once all play, every session's
rate is measured the same way, with the server's CPU and memory; then again with the
browser's processes at the lowest priority, which is closer to a room where every
participant's browser runs on their own device.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright
from section import write_section

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Counts, on every animation frame, the distinct weeks the counter has shown.
WATCH = """() => {
    const seen = {changes: 0, week: -1};
    window.__seen = seen;
    const frame = () => {
        for (const h of document.querySelectorAll('h2')) {
            const m = h.textContent.trim().match(/^week (\\d+)$/);
            if (m && Number(m[1]) !== seen.week) { seen.changes++; seen.week = Number(m[1]); }
        }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "isolation_sim.cli", "app", "--port", str(port),
                               "--language", "en"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the app did not start") from None
            time.sleep(0.5)


def open_playing(browser, url: str):
    """A new session, set to the highest speed and playing; returns (page, seconds to week 0)."""
    began = time.perf_counter()
    page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    page.goto(url)
    page.get_by_text("week 0", exact=True).wait_for(timeout=300_000)
    loaded = time.perf_counter() - began
    page.evaluate(WATCH)
    speed = page.get_by_role("slider").first
    speed.focus()
    speed.press("End")
    page.get_by_role("button", name="Play").click()
    return page, loaded


def rates(pages, seconds: float, server: psutil.Process) -> dict:
    """Weeks seen per second on each page over ``seconds``, with the server's CPU and memory."""
    before = [page.evaluate("() => ({...window.__seen})") for page in pages]
    cpu, began = sum(server.cpu_times()[:2]), time.perf_counter()
    time.sleep(seconds)
    after = [page.evaluate("() => ({...window.__seen})") for page in pages]
    elapsed = time.perf_counter() - began
    return {"seen": [(a["changes"] - b["changes"]) / elapsed for a, b in zip(after, before)],
            "counter": [(a["week"] - b["week"]) / elapsed for a, b in zip(after, before)],
            "weeks": [a["week"] for a in after],
            "server_cpu": (sum(server.cpu_times()[:2]) - cpu) / elapsed,
            "server_rss_gib": server.memory_info().rss / 2**30}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter, 5 sessions; print, do not write the docs")
    args = parser.parse_args()
    seconds, sessions = (10, 5) if args.quick else (30, 20)
    port = free_port()
    server = start_app(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        process = psutil.Process(server.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page, _ = open_playing(browser, url)
            time.sleep(3)
            one = rates([page], seconds, process)
            page.context.close()
            print(f"one session: {one['seen'][0]:.1f} weeks drawn a second ({one['counter'][0]:.1f} by the counter), "
                  f"server {one['server_cpu']:.0%} of a core", flush=True)
            time.sleep(5)
            opened = [open_playing(browser, url) for _ in range(sessions)]
            pages = [page for page, _ in opened]
            time.sleep(3)
            many = rates(pages, 2 * seconds, process)
            for child in psutil.Process().children(recursive=True):  # the browser yields to the server,
                if child.name().startswith("chrom"):                 # as if it ran on other machines
                    child.nice(19)
            yielding = rates(pages, 2 * seconds, process)
            loads = [loaded for _, loaded in opened]
            print(f"{sessions} sessions: {statistics.median(many['seen']):.2f} weeks a second each (median; "
                  f"{min(many['seen']):.2f} to {max(many['seen']):.2f}), {sum(many['seen']):.1f} in all; "
                  f"weeks reached {min(many['weeks'])} to {max(many['weeks'])}; "
                  f"opening took {min(loads):.1f} to {max(loads):.1f} s; server {many['server_cpu']:.0%} of a core, "
                  f"{many['server_rss_gib']:.2f} GiB", flush=True)
            print(f"  with the browser at the lowest priority: {statistics.median(yielding['seen']):.2f} each, "
                  f"{sum(yielding['seen']):.1f} in all, server {yielding['server_cpu']:.0%} of a core", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    cpu = psutil.cpu_count()
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on the machine above ({cpu} cores), with `make benchmark` "
        "(`benchmarks/app.py`); the browser runs on the same cores.",
        "",
        "| sessions playing at once | weeks drawn a second, each | server CPU | server memory | target |",
        "|---:|---|---:|---:|---|",
        f"| 1 | {one['seen'][0]:.1f} | {one['server_cpu']:.0%} of a core | {one['server_rss_gib']:.2f} GiB | "
        f">= 5: {'met' if one['seen'][0] >= 5 else 'not met'} |",
        f"| {sessions} | {statistics.median(many['seen']):.2f} (median; {min(many['seen']):.2f} to "
        f"{max(many['seen']):.2f}), {sum(many['seen']):.1f} in all | {many['server_cpu']:.0%} of a core | "
        f"{many['server_rss_gib']:.2f} GiB | each has its own models and plays |",
        f"| {sessions}, the browser at the lowest priority | {statistics.median(yielding['seen']):.2f} (median; "
        f"{min(yielding['seen']):.2f} to {max(yielding['seen']):.2f}), {sum(yielding['seen']):.1f} in all | "
        f"{yielding['server_cpu']:.0%} of a core | {yielding['server_rss_gib']:.2f} GiB | |",
        "",
        f"Opening a session while the others play took {min(loads):.1f} to {max(loads):.1f} s to show week 0.",
    ]
    print("\n".join(lines))
    if not args.quick:
        write_section("app", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
