"""The model in Mesa's own SolaraViz page (``app/mesa_page.py``, served by ``isolation-sim app
--mesa``), in a real browser: its plots render, Step moves the model and Reset builds it again."""

from __future__ import annotations

import re
import sys

import pytest

from .browsing import browser, server_process  # noqa: F401 - browser is a fixture
from .conftest import BASELINE

PLOTS = "() => [...document.querySelectorAll('img')].filter(i => i.naturalWidth > 100).map(i => i.src)"


@pytest.fixture(scope="module")
def viz_url():
    command = [sys.executable, "-m", "isolation_sim.cli", "app", str(BASELINE), "--mesa", "--port", "{port}"]
    with server_process(command, env={"MPLBACKEND": "Agg"}) as (url, process):
        yield url, process.pid


def shown_time(page) -> float:
    found = re.search(r"Time:\s*([\d.]+)", page.inner_text("body"))
    return float(found.group(1)) if found else float("nan")


def test_mesas_solaraviz_renders_steps_and_resets_the_model(browser, viz_url):
    viz_url, _ = viz_url
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(viz_url, timeout=60_000)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({PLOTS})().length >= 2", timeout=30_000)
    before = page.evaluate(PLOTS)
    for _ in range(3):
        page.get_by_role("button", name="Step").click()
    page.wait_for_function("() => /Time:\\s*3/.test(document.body.innerText)", timeout=30_000)
    page.wait_for_function(f"before => ({PLOTS})().join() !== before.join()", arg=before, timeout=30_000)
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => /Time:\\s*0/.test(document.body.innerText)", timeout=30_000)
    assert shown_time(page) == 0.0
    assert "rror" not in page.inner_text("body")
    assert len(page.evaluate(PLOTS)) >= 2
    assert errors == [] and outside == []
    page.close()


def test_a_forged_slider_value_is_refused_and_the_page_goes_on(browser, viz_url):
    from .test_app_forged_browser import rss

    viz_url, pid = viz_url
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(viz_url, timeout=60_000)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    before = rss(pid)
    sent = page.evaluate("""async () => {
        const models = await Promise.all(Object.values(solara.debug.widgetManager()._models));
        const [residents] = models.filter(m => m.get('_model_name') === 'SliderModel' && m.get('label') === 'residents');
        const [reset] = models.filter(m => m.get('_model_name') === 'BtnModel' && (m.get('children') || []).includes('Reset'));
        // straight to the server, and Reset at once: before the slider in this page could clamp it
        residents.comm.send({method: 'update', state: {v_model: 2e7}, buffer_paths: []});
        reset.comm.send({method: 'custom', content: {event: 'click', data: {}}, buffer_paths: []});
        return [residents, reset].filter(Boolean).length;
    }""")
    assert sent == 2  # would build twenty million residents
    page.get_by_role("button", name="Step").click()  # after the reset: a model of the sliders' first values
    page.wait_for_function("() => /Time:\\s*1/.test(document.body.innerText)", timeout=30_000)
    body = page.inner_text("body")
    assert "Traceback" not in body and 'File "' not in body
    assert rss(pid) < before + 300e6  # not twenty million residents
    page.close()
