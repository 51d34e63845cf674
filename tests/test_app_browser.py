"""The app in a real browser: Playwright driving Debian's Chromium, headless, against
``isolation-sim app`` on the loopback address."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from .browsing import app_command, browser, serving  # noqa: F401 - browser is a fixture
from .conftest import BASELINE


@pytest.fixture(scope="module")
def app_url():
    with serving(app_command(BASELINE)) as url:
        yield url


WEEK = """n => [...document.querySelectorAll('h2')].some(h => {
    const m = h.textContent.trim().match(/^week (\\d+)$/);
    return m && Number(m[1]) >= n;
})"""


def wait_for_week(page, n: int) -> None:
    """Until the counter shows week ``n`` or later (while playing, it moves several a second)."""
    page.wait_for_function(WEEK, arg=n, timeout=30_000)


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text("week 0", exact=True).wait_for(timeout=60_000)
    return page


# The charts in page order: isolation types A and B, participation, loneliness, cost, network A and B.
CHARTS = 7
COST, NETWORK_A = 4, 5


def test_the_page_draws_from_this_server_alone_with_no_failed_request(browser, app_url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    failed, outside = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        (app_url, "data:", "blob:")) else None)
    page.goto(app_url)
    page.get_by_text("week 0", exact=True).wait_for(timeout=60_000)
    expect(page.locator("canvas")).to_have_count(CHARTS)
    page.wait_for_load_state("networkidle")
    assert failed == [] and outside == []  # the packaged scripts, fonts and styles, all found here
    page.close()


def test_play_moves_the_week_counter_and_the_charts(browser, app_url):
    page = open_page(browser, app_url)
    charts = page.locator("canvas")
    expect(charts).to_have_count(CHARTS)
    before = [charts.nth(i).screenshot() for i in range(COST + 1)]
    page.get_by_role("button", name="Play").click()
    wait_for_week(page, 4)
    page.get_by_role("button", name="Pause").click()
    assert all(charts.nth(i).screenshot() != before[i] for i in range(COST + 1))
    page.close()


def buddy_matches(page) -> int:
    """Strategy A's buddy matches this week, as the page says them."""
    line = page.get_by_text(re.compile(r"^Now: ")).first.text_content()
    return int(re.search(r"(\d+) buddy matches", line).group(1))


def step(page, weeks: int) -> None:
    for week in range(1, weeks + 1):
        page.get_by_role("button", name="Step").click()
        wait_for_week(page, week)


def test_a_moved_lever_shows_its_cost_and_its_effect(browser, app_url):
    page = open_page(browser, app_url)
    expect(page.get_by_text("Levers cost €0 a year")).to_have_count(1)  # the baseline sets no lever
    slider = page.get_by_role("slider").nth(10)  # strategy A: buddies (after speed and 9 levers)
    slider.focus()
    slider.press("End")
    page.get_by_text("Levers cost €200,000 a year").wait_for(timeout=10_000)
    page.get_by_text("volunteer buddies: €200,000 a year").first.wait_for(timeout=10_000)
    step(page, 6)
    with_buddies = buddy_matches(page)
    slider.focus()
    slider.press("Home")
    expect(page.get_by_text("Levers cost €0 a year")).to_have_count(1)
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("week 0", exact=True)).to_have_count(1)
    step(page, 6)
    assert with_buddies > buddy_matches(page) + 5  # same seed, same weeks: the lever made the matches
    page.close()


def test_the_network_view_shows_the_resident_picked(browser, app_url):
    page = open_page(browser, app_url)
    network = page.locator("canvas").nth(NETWORK_A)
    before = network.screenshot()
    box = page.get_by_role("textbox", name="resident", exact=True)
    box.fill("7")
    box.press("Enter")
    expect(box).to_have_value("7")
    redrawn(network, before)
    page.get_by_role("button", name="Someone in double isolation").click()
    expect(box).not_to_have_value("7")
    page.close()


def redrawn(chart, before: bytes, timeout: float = 10) -> None:
    """Until ``chart`` looks different from the picture ``before``."""
    deadline = time.monotonic() + timeout
    while chart.screenshot() == before:
        assert time.monotonic() < deadline, "the chart was not redrawn"
        time.sleep(0.2)


def test_the_page_switches_to_dutch(browser, app_url):
    page = open_page(browser, app_url)
    page.get_by_role("button", name="Nederlands").click()
    for text in ("Sturen op stabiliteit", "Sturen op dynamiek", "Afspelen", "Marginalisering in de wijk"):
        page.get_by_text(text).first.wait_for(timeout=10_000)
    expect(page.get_by_text("Steering on stability")).to_have_count(0)
    # money as Dutch writes it: "€ 249.000 per jaar" (strategy B, dynamics, sets levers), never "€249,000"
    page.get_by_text(re.compile(r"Hefbomen kosten €\s\d{1,3}(\.\d{3})+ per jaar")).wait_for(timeout=10_000)
    expect(page.get_by_text(re.compile(r"€\d"))).to_have_count(0)
    page.close()


def test_two_sessions_each_run_their_own_models(browser, app_url):
    first, second = open_page(browser, app_url), browser.new_context().new_page()
    second.goto(app_url)
    second.get_by_text("week 0", exact=True).wait_for(timeout=60_000)
    first.get_by_role("button", name="Play").click()
    wait_for_week(first, 3)
    first.get_by_role("button", name="Pause").click()
    expect(second.get_by_text("week 0", exact=True)).to_have_count(1)
    second.get_by_role("button", name="Step").click()
    wait_for_week(second, 1)
    first.close()
    second.close()


def test_twenty_sessions_at_once_each_play_their_own_models(browser, app_url):
    contexts = [browser.new_context(viewport={"width": 1024, "height": 700}) for _ in range(20)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.goto(app_url, wait_until="commit")  # all twenty open at once
    for page in pages:
        page.get_by_text("week 0", exact=True).wait_for(timeout=120_000)
    for page in pages[::2]:
        page.get_by_role("button", name="Step").click()
    for page in pages[::2]:
        wait_for_week(page, 1)
    for page in pages[1::2]:  # a step in one session leaves the others where they were
        expect(page.get_by_text("week 0", exact=True)).to_have_count(1)
    for page in pages:
        page.get_by_role("button", name="Play").click()
    for page in pages:  # all twenty play at once
        wait_for_week(page, 4)
