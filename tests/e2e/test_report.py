"""End-to-end tests of `check --format html` in a real browser: Debian's Chromium, headless,
driven through chromedriver (selenium).

The reports are of the bundled examples, of a request file built to attack the page, and of a
10,000-file corpus made by bench/gen_corpus.py. Each test reads the page as rendered (counts,
the chart's bars, the calendar's busiest hour, the filter after typing and choosing) and checks
it against the JSON output of the same run, so a report that drifts from the findings fails.
Screenshots go to target/e2e/ (report.png: the corpus; examples.png: the examples).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RUNCOMMAND_LINT") or str(ROOT / "target" / "debug" / "runcommand-lint")
OUT = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Pinned "now": the calendar's window starts here, so the busiest hour is known.
NOW = "2026-11-26T10:17:42Z"
MAX_OCCURRENCES = 50


@pytest.fixture(autouse=True, scope="module")
def out_dir() -> Path:
    """Where reports and screenshots go: made first (a fresh clone has no target/e2e)."""
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


def lint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, "check", "--no-progress", "--no-shellcheck", "--now", NOW, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def report(paths: list[str], out: Path, *extra: str, cwd: Path = ROOT) -> tuple[dict, float]:
    """Writes the HTML report of `paths` to `out`; returns the JSON output of the same check and
    the seconds the HTML run took."""
    started = time.monotonic()
    html = lint("--format", "html", "--output", str(out), *extra, *paths, cwd=cwd)
    took = time.monotonic() - started
    assert html.returncode in (0, 1), html.stderr
    assert html.stdout == "", "with --output nothing goes to standard output"
    as_json = lint("--format", "json", *paths, cwd=cwd)
    assert as_json.returncode in (0, 1), as_json.stderr
    return json.loads(as_json.stdout), took


def by_code(v: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in v["diagnostics"]:
        counts[d["code"]] = counts.get(d["code"], 0) + 1
    return counts


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), (
        "Chromium is installed by scripts/test (apt-get install chromium chromium-driver)"
    )
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1280,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> float:
    """Loads a report; returns the browser's load time in seconds."""
    driver.get(path.resolve().as_uri())
    ms = driver.execute_script(
        "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime;"
    )
    return float(ms) / 1000


def text(driver, css: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def number(driver, css: str) -> int:
    return int(text(driver, css).replace(",", ""))


def screenshot(driver, path: Path) -> None:
    """A screenshot of the whole page (up to 12,000 pixels high)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height), 12000))
    path.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1600)
    assert path.stat().st_size > 10_000


def visible(driver, css: str):
    return [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


def check_page_matches(driver, v: dict) -> None:
    """The counts, the chart and the lists agree with the JSON output of the same run."""
    diags = v["diagnostics"]
    assert number(driver, "#count-files") == v["summary"]["files"]
    assert number(driver, "#count-requests") == v["summary"]["documents"]
    assert number(driver, "#count-errors") == v["summary"]["errors"]
    assert number(driver, "#count-warnings") == v["summary"]["warnings"]
    assert number(driver, "#count-infos") == sum(d["severity"] == "info" for d in diags)
    counts = by_code(v)
    rows = driver.find_elements(By.CSS_SELECTOR, "details.code")
    assert [r.get_attribute("data-code") for r in rows] == sorted(
        counts, key=lambda c: (-counts[c], c)
    ), "codes most frequent first"
    widest = max(counts.values())
    for row in rows:
        code = row.get_attribute("data-code")
        summary = row.find_element(By.CSS_SELECTOR, "summary")
        assert int(summary.find_element(By.CSS_SELECTOR, ".count").text.replace(",", "")) == counts[code]
        # The bar's drawn length is the code's share of the most frequent code's.
        track = summary.find_element(By.CSS_SELECTOR, ".track")
        drawn = sum(b.size["width"] for b in track.find_elements(By.CSS_SELECTOR, ".bar"))
        assert drawn == pytest.approx(track.size["width"] * counts[code] / widest, abs=2), code
        # Its occurrences: all of them up to the cap, the rest counted.
        listed = len(row.find_elements(By.CSS_SELECTOR, "li.occ"))
        assert listed == min(counts[code], MAX_OCCURRENCES), code
        rest = counts[code] - listed
        more = row.find_elements(By.CSS_SELECTOR, ".more")
        if rest:
            assert more and f"and {rest:,} more" in more[0].get_attribute("textContent")
        else:
            assert not more
    # Nothing is fetched: no element loads anything (links to the documentation excepted).
    assert driver.execute_script("return document.querySelectorAll('[src], link, iframe, object, embed').length") == 0


def busiest_cell(driver, table: str) -> tuple[str, str, int]:
    """The heat map cell with the most task starts (the first among equals): date, hour, count."""
    best = None
    for row in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr"):
        date = row.find_element(By.CSS_SELECTOR, "th").text
        for cell in row.find_elements(By.CSS_SELECTOR, "td[data-n]"):
            n = int(cell.get_attribute("data-n"))
            if best is None or n > best[2]:
                best = (date, cell.get_attribute("data-hour"), n)
    assert best is not None
    return best


def test_examples_report(browser) -> None:
    out = OUT / "examples.html"
    v, _ = report(["examples/"], out)
    raw = out.read_text()
    # Readable without the script: only the filter (which needs it) starts hidden.
    assert raw.count(" hidden") == 1 and '<div id="filters" hidden>' in raw
    open_page(browser, out)
    check_page_matches(browser, v)
    # Clicking a code opens its occurrences: snippet, help and HTTP status.
    row = browser.find_element(By.CSS_SELECTOR, 'details.code[data-code="InvalidCmdType.NotFound"]')
    assert not row.find_element(By.CSS_SELECTOR, "li.occ").is_displayed()
    row.find_element(By.CSS_SELECTOR, "summary").click()
    occ = row.find_element(By.CSS_SELECTOR, "li.occ")
    assert occ.is_displayed()
    assert "examples/deploy-web.yaml:4:7" in occ.text
    assert "Type: RunShellscript" in occ.find_element(By.CSS_SELECTOR, "pre.snippet").text
    assert "did you mean `RunShellScript`?" in occ.text
    assert "HTTP 404" in occ.text
    link = row.find_element(By.CSS_SELECTOR, ".desc a").get_attribute("href")
    assert link.endswith("docs/codes.md#invalidcmdtypenotfound")
    # The calendar: 02:00 in Shanghai is 18:00 UTC; on Sunday 29 November three requests of
    # examples/fleet-schedules.yaml start then (two daily, one weekly).
    assert number(browser, "#cal-scheduled") == 7
    assert busiest_cell(browser, "heat-utc") == ("Sat 2026-11-28", "18", 3)
    assert busiest_cell(browser, "heat-local") == ("Sun 2026-11-29", "02", 3)
    assert "Busiest hour: Sat 2026-11-28 18:00–19:00 (UTC), 3 task starts." in text(browser, "#busiest-utc")
    assert "Sun 2026-11-29 02:00–03:00 (Asia/Shanghai)" in text(browser, "#busiest-local")
    first = browser.find_element(By.CSS_SELECTOR, "table.busy tbody tr")
    assert first.text.startswith("Sat 2026-11-28 18:00")
    for line in (11, 20, 29):
        assert f"examples/fleet-schedules.yaml:{line}" in first.text
    # The request with rate(30s) is rejected by the API: counted, not drawn.
    assert "the API rejects" in text(browser, "#calendar")
    screenshot(browser, OUT / "examples.png")


def test_the_filter_filters(browser) -> None:
    out = OUT / "examples.html"
    if not out.exists():
        report(["examples/"], out)
    open_page(browser, out)
    total = len(browser.find_elements(By.CSS_SELECTOR, "li.occ"))
    assert browser.find_element(By.ID, "filters").is_displayed()
    Select(browser.find_element(By.ID, "f-code")).select_by_visible_text("Lint.UnknownParameter")
    shown = visible(browser, "details.code")
    assert [d.get_attribute("data-code") for d in shown] == ["Lint.UnknownParameter"]
    assert "1 listed finding matches" in text(browser, "#f-status")
    # Back to all codes, then by path: typing narrows the occurrences and the files.
    Select(browser.find_element(By.ID, "f-code")).select_by_value("")
    box = browser.find_element(By.ID, "f-path")
    box.send_keys("batch")
    occs = [o for o in browser.find_elements(By.CSS_SELECTOR, "li.occ") if o.get_attribute("hidden") is None]
    assert occs and len(occs) < total
    assert all(o.get_attribute("data-path") == "examples/batch.json" for o in occs)
    rows = visible(browser, "#files tbody tr")
    assert [r.get_attribute("data-path") for r in rows] == ["examples/batch.json"]
    assert f"{len(occs)} listed findings match" in text(browser, "#f-status")
    for d in visible(browser, "details.code"):
        assert d.get_attribute("open") is not None, "matching codes open"
    box.clear()
    box.send_keys(" ")  # an input event with an empty filter
    assert len([o for o in browser.find_elements(By.CSS_SELECTOR, "li.occ") if o.get_attribute("hidden") is None]) == total


def test_request_values_cannot_run_code(browser, tmp_path: Path) -> None:
    name = 'x"><img src=x onerror="window.__pwned=1">.yaml'
    hostile = (
        "RegionId: cn-hangzhou\n"
        "Type: RunShellscript\n"
        "Name: '<script>window.__pwned=2</script>'\n"
        'CommandContent: "\\"><img src=x onerror=window.__pwned=3>"\n'
        "Nmae: <script>window.__pwned=4</script>\n"
        "RepeatMode: Period\n"
        "Frequency: 0 0 2 * * ? Asia/Shanghai\n"
        "InstanceId: [i-bp185dy2o3o6neg1234]\n"
        "---\n"
        "RegionId: cn-hangzhou\n"
        "Type: RunShellScript\n"
        "CommandContent: echo\n"
        "Frequency: '<script>window.__pwned=5</script>'\n"
        "InstanceId: [i-bp185dy2o3o6neg1234]\n"
    )
    (tmp_path / name).write_text(hostile)
    out = tmp_path / "hostile.html"
    v, _ = report(["."], out, cwd=tmp_path)
    assert v["diagnostics"], "the hostile file has findings, so its values are on the page"
    open_page(browser, out)
    assert browser.execute_script("return window.__pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.scripts.length") == 1
    # The values are shown as text.
    page = browser.find_element(By.TAG_NAME, "body").get_attribute("textContent")
    assert "Nmae: <script>window.__pwned=4</script>" in page
    assert name in page
    check_page_matches(browser, v)


def test_a_10000_file_corpus(browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    corpus = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(corpus), "--files", "10000", "--lines", "1"],
        check=True,
        capture_output=True,
    )
    out = OUT / "corpus.html"
    v, took = report([str(corpus / "files")], out, "--calendar-zone", "Asia/Shanghai")
    size = out.stat().st_size
    print(f"\n10,000 files: HTML report {size / 1024:.0f} KiB, written in {took:.2f} s", end="")
    assert v["summary"]["files"] == 10_000
    # Bounded: occurrences are capped per code, so the page stays small.
    assert size < 3 * 1024 * 1024
    load = open_page(browser, out)
    print(f", loaded by Chromium in {load:.2f} s", end="")
    assert load < 15
    check_page_matches(browser, v)
    assert any(c > MAX_OCCURRENCES for c in by_code(v).values()), "the cap is exercised"
    # The busiest hour said is the heat map's darkest cell, in both zones.
    date, hour, n = busiest_cell(browser, "heat-utc")
    said = text(browser, "#busiest-utc")
    assert f"{date} {hour}:00" in said and f"{n:,} task starts" in said
    date, hour, n = busiest_cell(browser, "heat-local")
    assert f"{date} {hour}:00" in text(browser, "#busiest-local")
    assert "(Asia/Shanghai)" in text(browser, "#busiest-local")
    # The filter on a large page.
    Select(browser.find_element(By.ID, "f-code")).select_by_value("InvalidParam.Frequency")
    shown = visible(browser, "details.code")
    assert [d.get_attribute("data-code") for d in shown] == ["InvalidParam.Frequency"]
    Select(browser.find_element(By.ID, "f-code")).select_by_value("")
    screenshot(browser, OUT / "report.png")
