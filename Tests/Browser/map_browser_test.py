#!/usr/bin/env python3
"""Browser tests of the web map (/map) in headless Chromium, driven by chromium-driver through selenium.

Starts the real server on a free port over a freshly ingested sample city, then checks: the public map
loads without console errors, draws features from our tiles (MapLibre's queryRenderedFeatures), a click
shows the right popup, internal layers are absent without a token and present after signing in, and the
administrators' dashboard fills in, and the planners' view makes a plan and draws it. Saves screenshots (desktop and 360 px) and report.json under --out,
and prints the transfer size and time to first render.

Usage: python3 Tests/Browser/map_browser_test.py [--chizu .build/debug/chizu] [--out var/browser-test]
"""
import argparse, json, os, shutil, socket, subprocess, sys, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

FAILURES = []


def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what)
    if not ok:
        FAILURES.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(chizu, work):
    """A sample city in a fresh database, and tokens for a sanitation reader and an administrator."""
    shutil.rmtree(work / "city", ignore_errors=True)
    (work / "city").mkdir(parents=True)
    db = str(work / "city" / "chizu.sqlite")
    run([chizu, "sample", "--out", str(work / "city" / "sample"), "--scale", "1", "--seed", "1"])
    run([chizu, "db", "init", "--db", db, "--layers", "layers"])
    run([chizu, "ingest", "--db", db, "--layers", "layers", "--all", str(work / "city" / "sample")])
    tokens = {d: run([chizu, "token", "create", "--db", db, "--department", d, "--role", r]).strip().splitlines()[-1]
              for d, r in [("sanitation", "reader"), ("digital_administration", "admin")]}
    return db, tokens


def browser(width, height):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-angle=swiftshader",
              "--enable-unsafe-swiftshader", "--hide-scrollbars", "--lang=ja"]:
        opts.add_argument(a)
    if width < 500:   # headless windows are at least 500 px wide: emulate the phone's screen instead
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
    else:
        opts.add_argument(f"--window-size={width},{height}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=opts)


def console_errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_rendered(driver, timeout=90):
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return window.chizuFirstRender !== undefined"))
    wait_idle(driver, timeout)


def wait_idle(driver, timeout=60):
    driver.set_script_timeout(timeout)
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1], map = window.chizuMap;
        if (map.loaded() && map.areTilesLoaded()) done(true); else map.once('idle', () => done(true));""")


def rendered_layers(driver):
    return driver.execute_script("return [...new Set(window.chizuMap.queryRenderedFeatures().map(f => f.sourceLayer))].sort()")


def layer_list(driver):
    return driver.execute_script("return [...document.querySelectorAll('#layers input[data-layer]')].map(i => i.dataset.layer)")


def sign_in(driver, token):
    driver.find_element(By.ID, "signin").click()
    driver.find_element(By.ID, "token-input").send_keys(token)
    driver.find_element(By.ID, "signin-ok").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return sessionStorage.getItem('chizu.token')") == token)
    time.sleep(0.5)
    wait_idle(driver)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chizu", default=".build/debug/chizu")
    ap.add_argument("--out", default="var/browser-test")
    args = ap.parse_args()
    from pathlib import Path
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    chizu = os.path.abspath(args.chizu)
    db, tokens = prepare(chizu, out)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(out / "server.log", "w")
    server = subprocess.Popen([chizu, "serve", "--db", db, "--layers", "layers", "--port", str(port), "--tile-cache", "none"],
                              stdout=log, stderr=subprocess.STDOUT)
    report = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        # ---- Desktop, public ----
        driver = browser(1280, 800)
        try:
            print("public map, desktop 1280×800")
            driver.get(base + "/map#13/35.40300/139.31400")
            wait_rendered(driver)
            report["timeToFirstRenderMs"] = round(driver.execute_script("return window.chizuFirstRender"))
            report["transferBytes"] = driver.execute_script("""
                const n = performance.getEntriesByType('navigation')[0];
                return performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, n.transferSize);""")
            # Tiles are fetched in MapLibre's workers (not in the page's resource timing): fetch the same tiles, gzip.
            tiles = driver.execute_script("""
                const c = window.chizuMap.style.sourceCaches.chizu;
                return Object.values(c._tiles).map(t => t.tileID.canonical).map(k => `${k.z}/${k.x}/${k.y}`);""")
            tile_bytes = 0
            for t in tiles:
                req = urllib.request.Request(f"{base}/tiles/public/{t}.mvt", headers={"Accept-Encoding": "gzip"})
                tile_bytes += len(urllib.request.urlopen(req).read())
            report["tiles"] = len(tiles)
            report["tileBytes"] = tile_bytes
            report["resources"] = driver.execute_script(
                "return performance.getEntriesByType('resource').map(r => [r.name.replace(location.origin, ''), r.transferSize])")
            errors = console_errors(driver)
            check(not errors, f"no console errors {errors if errors else ''}")
            drawn = rendered_layers(driver)
            check("roads" in drawn and "rain_gauges" in drawn, f"draws features from our tiles: {drawn}")
            listed = layer_list(driver)
            check("roads" in listed and "yard_waste_points" not in listed, f"public layer list without internal layers: {listed}")
            check("yard_waste_points" not in drawn, "no internal features drawn without a token")
            driver.save_screenshot(str(out / "desktop-public.png"))

            # A click on a rain gauge shows its popup with Japanese labels and a link to its feature page.
            target = driver.execute_script("""
                const map = window.chizuMap, f = map.queryRenderedFeatures({layers: ['rain_gauges']})[0];
                const p = map.project(f.geometry.coordinates);
                return {x: p.x, y: p.y, id: f.properties.site_id, name: f.properties.name};""")
            canvas = driver.find_element(By.CSS_SELECTOR, "#map canvas")
            rect = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", canvas)
            ActionChains(driver).move_to_element_with_offset(canvas, round(target["x"] - rect["width"] / 2),
                                                             round(target["y"] - rect["height"] / 2)).click().perform()
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".maplibregl-popup .popup"))
            time.sleep(0.5)
            popup = driver.find_element(By.CSS_SELECTOR, ".maplibregl-popup .popup")
            text, html = popup.text, popup.get_attribute("innerHTML")
            check("雨量計" in text and str(target["id"]) in text, f"popup shows the clicked rain gauge {target['id']}")
            check(f"/collections/rain_gauges/items/{target['id']}" in html, "popup links to the feature page")
            driver.save_screenshot(str(out / "desktop-popup.png"))
            check("60分雨量" in text and "観測" in text, "rain-gauge popup shows current rainfall and the time of the reading")

            # A gauge posts a reading: the open popup updates from /rain/stream without a reload.
            device = run([chizu, "token", "create", "--db", db, "--device", str(target["id"])]).strip().splitlines()[-1]
            now = time.time() + 9 * 3600
            observed = time.strftime("%Y-%m-%dT%H:%M:00+09:00", time.gmtime(now - now % 600))
            body = json.dumps({"site": target["id"], "observed_at": observed, "value": 12.5}).encode()
            req = urllib.request.Request(base + "/rain/readings", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + device})
            check(urllib.request.urlopen(req).status == 200, "a gauge posts a reading with its device token")
            try:
                WebDriverWait(driver, 15).until(lambda d: "12.5 mm" in d.find_element(By.CSS_SELECTOR, ".maplibregl-popup .popup").text)
                live = True
            except Exception:
                live = False
            check(live, "the open popup shows the new reading live (Server-Sent Events)")

            # Search by road route name jumps to the road.
            route = json.load(urllib.request.urlopen(base + "/collections/roads/items?limit=1"))["features"][0]["properties"]
            driver.execute_script("document.querySelector('.maplibregl-popup-close-button')?.click()")
            box = driver.find_element(By.ID, "search-input")
            box.send_keys(route["route_number"])
            driver.find_element(By.CSS_SELECTOR, "#search button").click()
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li[data-i]"))
            driver.find_element(By.CSS_SELECTOR, "#search-results li[data-i]").click()
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".maplibregl-popup .popup"))
            check(route["route_number"] in driver.find_element(By.CSS_SELECTOR, ".maplibregl-popup .popup").text,
                  f"search for route {route['route_number']} opens its popup")
            check("layers=" in driver.current_url and "#" in driver.current_url, f"URL hash keeps the view: {driver.current_url.split('#')[1]}")
            driver.save_screenshot(str(out / "desktop-search.png"))

            # ---- Departments' map ----
            print("departments' map (sanitation token)")
            driver.get(base + "/map#13/35.40300/139.31400")
            driver.refresh()
            wait_rendered(driver)
            sign_in(driver, tokens["sanitation"])
            check("yard_waste_points" in layer_list(driver), "internal layer listed after sign-in")
            check("yard_waste_points" in rendered_layers(driver), "internal layer drawn after sign-in (tiles carry the token)")
            check(tokens["sanitation"] not in driver.current_url, "token never in the URL")
            check(not console_errors(driver), "no console errors after sign-in")
            driver.save_screenshot(str(out / "desktop-department.png"))

            print("planners' view (sanitation token)")
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "plan-form"))
            driver.execute_script("""
                const f = document.getElementById('plan-form');
                f.date.value = '2026-11-17'; f.date.dispatchEvent(new Event('change'));
                f.trucks.value = 3; f.capacity.value = 1000; f.shift.value = '08:30-12:30'; f.limit.value = 2;""")
            WebDriverWait(driver, 15).until(lambda d: "件" in d.find_element(By.ID, "plan-points").text)
            check(driver.execute_script("return window.chizuMap.getSource('plan-points')._data.features.length") > 0,
                  f"the day's pickup points: {driver.find_element(By.ID, 'plan-points').text}")
            wait_idle(driver)
            driver.save_screenshot(str(out / "desktop-planner-points.png"))
            driver.find_element(By.ID, "plan-start").click()
            time.sleep(0.6)
            progress = driver.find_element(By.ID, "plan-progress")
            check(progress.is_displayed() and "searching" in progress.text, f"progress while searching: {progress.text!r}")
            WebDriverWait(driver, 40).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-summary tbody tr")
                                            or d.find_element(By.ID, "plan-error").text)
            check(not driver.find_element(By.ID, "plan-error").text, f"plan made: {driver.find_element(By.ID, 'plan-error').text}")
            wait_idle(driver)
            runs = driver.execute_script("""
                const fs = window.chizuMap.queryRenderedFeatures({ layers: ['plan-runs'] });
                return [...new Set(fs.map(f => f.properties.truck + ':' + f.properties.color))];""")
            check(len(runs) >= 2 and len({r.split(':')[1] for r in runs}) == len(runs), f"runs drawn along the roads, one colour per truck: {runs}")
            markers = driver.find_elements(By.CSS_SELECTOR, ".stop-marker")
            check(len(markers) > 0 and markers[0].text.isdigit(), f"numbered stop markers: {len(markers)}")
            rows = driver.find_elements(By.CSS_SELECTOR, "#plan-summary tbody tr")
            check(len(rows) == len(runs) and "運行表" in rows[0].text and "GPX" in rows[0].text, f"per-truck summary with sheet and GPX links: {len(rows)} rows")
            main_window = driver.current_window_handle
            driver.find_element(By.CSS_SELECTOR, '#plan-summary button[data-href*="/sheets/"]').click()
            WebDriverWait(driver, 10).until(lambda d: len(d.window_handles) == 2)
            driver.switch_to.window([h for h in driver.window_handles if h != main_window][0])
            WebDriverWait(driver, 10).until(lambda d: "運行表" in d.find_element(By.TAG_NAME, "body").text)
            sheet_url, sheet = driver.current_url, driver.find_element(By.TAG_NAME, "body").text
            driver.close()
            driver.switch_to.window(main_window)
            check(sheet_url.startswith("blob:") and "車両 1" in sheet and tokens["sanitation"] not in sheet_url,
                  f"the 運行表 link opens truck 1's route sheet from a blob URL ({sheet_url[:40]})")
            check(not console_errors(driver), "no console errors in the planners' view")
            driver.execute_script("document.getElementById('planner').scrollIntoView()")
            driver.save_screenshot(str(out / "desktop-planner.png"))
            driver.find_element(By.ID, "signin").click()   # sign out
            time.sleep(0.5); wait_idle(driver)
            check("yard_waste_points" not in layer_list(driver), "sign-out removes the internal layer")

            print("administrator")
            sign_in(driver, tokens["digital_administration"])
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#admin-body table"))
            check("取込履歴" in driver.find_element(By.ID, "admin").text, "administrator sees the dashboard")
            driver.execute_script("document.getElementById('admin').scrollIntoView()")
            driver.save_screenshot(str(out / "desktop-admin.png"))
        finally:
            driver.quit()

        # ---- Phone, 360 px ----
        driver = browser(360, 740)
        try:
            print("public map, phone 360×740")
            driver.get(base + "/map#13/35.40300/139.31400")
            wait_rendered(driver)
            check(not console_errors(driver), "no console errors at 360 px")
            width = driver.execute_script("return document.documentElement.scrollWidth")
            check(width <= 360, f"nothing wider than the screen (scrollWidth {width})")
            driver.save_screenshot(str(out / "phone-public.png"))
            driver.find_element(By.ID, "panel-toggle").click()
            time.sleep(0.5)
            check(driver.find_element(By.ID, "panel").is_displayed(), "layer panel opens on a phone")
            driver.save_screenshot(str(out / "phone-layers.png"))
            print("planners' view, phone 360×740")
            driver.find_element(By.ID, "panel-toggle").click()   # close the drawer: the sign-in button is in the bar
            time.sleep(0.3)
            sign_in(driver, tokens["sanitation"])
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-summary tbody tr"))
            check(driver.find_elements(By.CSS_SELECTOR, ".stop-marker"), "after sign-in the latest stored plan is drawn")
            driver.find_element(By.ID, "panel-toggle").click()
            time.sleep(0.5)
            driver.execute_script("document.getElementById('plan-summary').scrollIntoView()")
            widths = driver.execute_script("""return [document.documentElement.scrollWidth,
                document.getElementById('panel').scrollWidth, document.getElementById('panel').clientWidth]""")
            check(widths[0] <= 360 and widths[1] <= widths[2], f"the planners' view fits the phone's panel (page, panel scroll, panel width: {widths})")
            driver.save_screenshot(str(out / "phone-planner.png"))
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(10)
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"transfer size {report.get('transferBytes', 0) / 1024:.0f} KiB page + {report.get('tileBytes', 0) / 1024:.0f} KiB"
          f" in {report.get('tiles')} tiles, time to first render {report.get('timeToFirstRenderMs')} ms"
          f" (screenshots and report.json in {out})")
    if FAILURES:
        print(f"{len(FAILURES)} browser check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
