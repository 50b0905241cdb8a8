#!/usr/bin/python3
"""The review station in Debian's headless Chromium, JavaScript off.

Starts a station server (by default tests' station_demo, the station with
a fake service behind it), then as a clerk: logs in, opens the review
case, corrects the doubtful field, saves (Enter in the field), and as a
second user with the release role releases the letter; the person who
corrected it may not. Saves screenshots of each page in --shots.

Exit 0 passed, 1 failed, 77 skipped (no chromium, chromedriver or
selenium: install them with scripts/install-deps.sh).

  station_e2e.py --demo build/bin/station_demo \
      --page docs/images/scan-ulm-seite1.png --shots /tmp/shots
"""
import argparse
import os
import shutil
import subprocess
import sys

SKIP = 77


def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("skipped: python3-selenium is not installed")
        sys.exit(SKIP)
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        print("skipped: chromium or chromium-driver is not installed")
        sys.exit(SKIP)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--lang=de-DE"):
        options.add_argument(arg)
    # The pages must work without JavaScript.
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(driver), options=options)


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what)


def wait_for(driver, condition, what):
    """Waits (10 s at most) until condition(driver) holds: a click on a
    submit button may return before the next page has loaded."""
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(driver, 10).until(condition)
    except Exception:  # noqa: BLE001 - a timeout is the failure
        raise AssertionError(what)
    print("ok:", what)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", help="station_demo binary to start")
    parser.add_argument("--page", default="", help="page image for the demo")
    parser.add_argument("--url", help="a running station instead of --demo")
    parser.add_argument("--shots", default="station-shots")
    parser.add_argument("--readme-shot", default="",
                        help="also save the case page here (docs/images)")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)

    demo = None
    url = args.url
    if not url:
        command = [args.demo] + (["--page", args.page] if args.page else [])
        demo = subprocess.Popen(command, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        first = demo.stdout.readline().split()
        if len(first) != 2 or first[0] != "port":
            print("station_demo did not start")
            return 1
        url = "http://127.0.0.1:" + first[1]
    driver = browser()
    try:
        run(driver, url, args)
    except Exception as e:  # noqa: BLE001 - report any failure, save a shot
        driver.save_screenshot(os.path.join(args.shots, "failure.png"))
        print("FAILED:", e)
        print(driver.page_source[:3000])
        return 1
    finally:
        driver.quit()
        if demo:
            demo.stdin.close()
            demo.wait(timeout=30)
    print("passed")
    return 0


def login(driver, url, name, password):
    from selenium.webdriver.common.by import By
    driver.get(url + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "passwort").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.anmeldung button").click()
    wait_for(driver, lambda d: "Übersicht" in d.title, name + " is logged in")


def logout(driver):
    from selenium.webdriver.common.by import By
    driver.find_element(By.CSS_SELECTOR, "form.abmelden button").click()
    wait_for(driver, lambda d: "Anmeldung" in d.title, "logged out")


def run(driver, url, args):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    shot = lambda name: driver.save_screenshot(  # noqa: E731
        os.path.join(args.shots, name + ".png"))

    driver.get(url + "/faelle")
    check("Anmeldung" in driver.title, "pages need a login")
    login(driver, url, "anna", "anna-passwort-1")
    shot("uebersicht")
    check(driver.find_elements(By.CSS_SELECTOR, "figure.diagramm svg rect"),
          "the overview draws its chart")

    driver.find_element(By.LINK_TEXT, "Prüffälle").click()
    driver.find_element(By.PARTIAL_LINK_TEXT, "872b1998c3a3-1").click()
    field = driver.find_element(By.ID, "f0")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=f0]")
    check("Gemeindeschlüssel" in label.text, "the field has its label")
    check(driver.switch_to.active_element == field,
          "the doubtful field has the focus")
    check(driver.find_elements(By.CSS_SELECTOR, "rect.feldrahmen.zweifel"),
          "the doubtful field is marked on the page")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": 1100, "deviceScaleFactor": 1,
        "mobile": False})
    shot("fall")
    if args.readme_shot:
        driver.save_screenshot(args.readme_shot)
    field.clear()
    field.send_keys("08421000" + Keys.ENTER)  # Enter saves
    wait_for(driver, lambda d: "RPS15-IM-2017-0042" in d.page_source,
             "saved and decided as a draft")
    shot("gespeichert")

    driver.get(url + "/entwuerfe")
    check(not driver.find_elements(By.NAME, "az"),
          "sachbearbeitung sees no release checkboxes")
    logout(driver)

    login(driver, url, "bert", "bert-passwort-1")
    driver.get(url + "/entwuerfe")
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=az]")
    check(len(boxes) == 2, "schlusszeichnung may release both drafts")
    driver.find_element(
        By.CSS_SELECTOR, "input[value='RPS15-IM-2017-0042']").click()
    shot("entwuerfe")
    driver.find_element(By.XPATH, "//button[text()='Ausgewählte freigeben']"
                        ).click()
    wait_for(driver, lambda d: "1 Schreiben freigegeben" in d.page_source,
             "released")
    check("RPS15-IM-2017-0042" not in driver.page_source,
          "the released draft has left the list")
    shot("freigegeben")

    # Zoom 200 %: the page still fits the window's width.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 640, "height": 900, "deviceScaleFactor": 2,
        "mobile": False})
    driver.get(url + "/fall/872b1998c3a3-1")
    width = driver.execute_script(
        "return document.documentElement.scrollWidth")
    check(width <= 660, "no sideways scrolling at 200 %% (width %s)" % width)
    shot("fall-200-prozent")


if __name__ == "__main__":
    sys.exit(main())
