"""Forged values over the app's websocket, sent from a real page as a hostile script on it
would send them (comm messages straight to the server, past the widgets' own checks): each
is refused on the server, the control shows the server's value again, the session goes on,
no traceback reaches the page, and the server does not grow."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .browsing import app_command, browser, server_process  # noqa: F401 - browser is a fixture
from .conftest import SCENARIOS

FIND = """([model, label]) => Promise.all(Object.values(solara.debug.widgetManager()._models)).then(models =>
    models.filter(m => m.get('_model_name') === model && String(m.get('label') ?? '').startsWith(label)))"""
SEND = f"""async ([model, label, message]) => {{
    const found = await ({FIND})([model, label]);
    for (const m of found) m.comm.send(message);
    return found.length;
}}"""
HELD = f"""async ([model, label, value]) => {{
    const found = await ({FIND})([model, label]);
    return found.length > 0 && found.every(m => JSON.stringify(m.get('v_model')) === JSON.stringify(value));
}}"""
# What a browser can put in a JSON message that no slider, picker or box offers.
JUNK = [-5, -1e-9, "abc", "40", None, True, [1], {"a": 1}, 12.5, 2e7, 2e8, 1e308]
BUDDIES = ("SliderModel", "volunteer buddies")


def rss(pid: int) -> int:
    """The server's resident memory, in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a copy of the scenarios (one test takes a file away)."""
    folder = tmp_path_factory.mktemp("scenarios")
    for path in SCENARIOS.glob("*.toml"):
        shutil.copy(path, folder)
    with server_process(app_command(folder / "baseline.toml")) as (url, process):
        yield url, process.pid, folder


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.get_by_text("week 0", exact=True).wait_for(timeout=60_000)
    return page


def send(page, control, message) -> None:
    assert page.evaluate(SEND, [*control, message]) > 0, control


def update(page, control, value) -> None:
    """Set ``v_model`` of every widget of ``control`` to ``value``, as the browser would."""
    send(page, control, {"method": "update", "state": {"v_model": value}, "buffer_paths": []})


def held(page, control, value) -> None:
    """Until every widget of ``control`` holds ``value`` in the browser."""
    page.wait_for_function(HELD, arg=[*control, value], timeout=10_000)


def assert_no_traceback(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and 'File "' not in body and "site-packages" not in body


def test_forged_lever_values_are_refused_and_the_session_goes_on(browser, app):
    url, pid, _ = app
    page = open_page(browser, url)
    update(page, BUDDIES, 0)  # both strategies from no buddies
    expect(page.get_by_text("volunteer buddies: €0 a year")).to_have_count(2)
    before = rss(pid)
    refused = page.get_by_text(re.compile(r"^Not taken: volunteer buddies goes from 0 to 100, in steps of 1\.$"))
    for value in JUNK:
        update(page, BUDDIES, value)
        refused.wait_for(timeout=10_000)
        held(page, BUDDIES, 0)
        expect(page.get_by_text("volunteer buddies: €0 a year")).to_have_count(2)
        update(page, BUDDIES, 1)  # a level the slider offers is taken, and the line goes
        expect(page.get_by_text("volunteer buddies: €2,000 a year")).to_have_count(2)
        expect(refused).to_have_count(0)
        update(page, BUDDIES, 0)
        expect(page.get_by_text("volunteer buddies: €0 a year")).to_have_count(2)
    send(page, BUDDIES, {"method": "update", "state": {"max": 1e9, "v_model": 5e8}, "buffer_paths": []})
    refused.wait_for(timeout=10_000)
    send(page, BUDDIES, {"method": "update", "state": {"no_such_lever": 5}, "buffer_paths": []})
    assert_no_traceback(page)
    assert rss(pid) < before + 300e6  # a level of 2e8 buddies would take gigabytes
    page.get_by_role("button", name="Step").click()  # the session goes on
    page.get_by_text("week 1", exact=True).wait_for(timeout=30_000)
    update(page, BUDDIES, 40)
    expect(page.get_by_text("volunteer buddies: €80,000 a year")).to_have_count(2)
    page.close()


SPEED = ("SliderModel", "Weeks per second")
PICKER = ("SelectModel", "Strategy A")
BOX = ("TextFieldModel", "resident")


def clear(page) -> None:
    """Until the page shows no line of a refusal: two speeds it offers, taken."""
    for speed in (6, 5):
        update(page, SPEED, speed)
        expect(page.get_by_text(re.compile("^Not taken"))).to_be_hidden()


def refused(page, control, value, line: str, message: dict | None = None) -> None:
    """Send ``value`` for ``control`` and wait until the server has said it did not take it."""
    clear(page)
    update(page, control, value)
    if message:
        send(page, control, message)
    page.get_by_text(line, exact=True).wait_for(timeout=10_000)


def test_forged_scenario_speed_and_resident_values_are_refused(browser, app):
    url, pid, _ = app
    page = open_page(browser, url)
    before = rss(pid)
    for value in [*JUNK, "nosuch", "../scenarios/baseline", "/etc/passwd", "baseline.toml", "sweeps"]:
        refused(page, PICKER, value, "Not taken: pick one of the scenarios in the list.")
        expect(page.get_by_text("Strategy A: baseline", exact=True)).to_have_count(1)
    for value in [*JUNK, 0, 21, 2.5]:
        refused(page, SPEED, value, "Not taken: Weeks per second goes from 1 to 20, in steps of 1.")
    resident = page.get_by_role("textbox", name="resident", exact=True)
    shown = resident.input_value()
    enter = {"method": "custom", "content": {"event": "keyup.enter", "data": {}}}
    for value in [*(v for v in JUNK if v != "40"), "-3", "1e3", "1500", "9" * 40, "٣", " ", ""]:  # "40" is a number here
        refused(page, BOX, value, "Not taken: resident goes from 0 to 1,499, in steps of 1.", enter)
        expect(resident).to_have_value(shown)
    assert_no_traceback(page)
    assert rss(pid) < before + 300e6
    resident.fill("7")  # what the page offers is still taken
    resident.press("Enter")
    expect(resident).to_have_value("7")
    update(page, PICKER, "stability")
    expect(page.get_by_text("Strategy A: stability", exact=True)).to_have_count(1)
    page.close()


def test_a_refused_value_is_put_back_in_the_browser(browser, app):
    url, _, _ = app
    page = open_page(browser, url)
    clear(page)
    page.evaluate(f"""async () => {{
        const [picker] = await ({FIND})(['SelectModel', 'Strategy A']);
        picker.set('v_model', 'nosuch');
        picker.save_changes();
    }}""")
    page.get_by_text("Not taken: pick one of the scenarios in the list.", exact=True).wait_for(timeout=10_000)
    held(page, PICKER, "baseline")
    page.close()


def test_a_page_that_fails_to_draw_shows_a_line_not_a_traceback(browser, app):
    url, _, folder = app
    page = open_page(browser, url)
    kept = (folder / "stability.toml").read_bytes()
    (folder / "stability.toml").unlink()  # on offer when the server started, gone now
    try:
        update(page, ("SelectModel", "Strategy A"), "stability")
        page.get_by_text("Something went wrong in drawing this page; the app is still running.").wait_for(
            timeout=30_000)
        assert_no_traceback(page)
        assert str(folder) not in page.inner_text("body")
    finally:
        (folder / "stability.toml").write_bytes(kept)
    page.get_by_role("button", name="Go on").click()
    page.get_by_text("week 0", exact=True).wait_for(timeout=60_000)
    page.get_by_role("button", name="Step").click()
    page.get_by_text("week 1", exact=True).wait_for(timeout=30_000)
    page.close()
