#!/usr/bin/python3
"""The review station in Debian's headless Chromium, JavaScript off.

Starts a station server (by default tests' station_demo, the station with
a fake service behind it), then as a clerk: logs in, opens the review
case, corrects the doubtful field, saves (Enter in the field), and as a
second user with the release role releases the letter; the person who
corrected it may not. Saves screenshots of each page in --shots.

With --bescheid it drives the real service instead: `bescheid watch` on a
temporary watch root with release.mode=manual and two users made with
`bescheid user add`; the bundled hand-corrected Freiburg scan goes to
review, the clerk enters the struck-out VZA, a second user releases the
draft, and the letter must be in outbox/<date>/ with the corrected value.

Exit 0 passed, 1 failed, 77 skipped (no chromium, chromedriver or
selenium: install them with scripts/install-deps.sh).

  station_e2e.py --demo build/bin/station_demo \
      --page docs/images/scan-ulm-seite1.png --shots /tmp/shots
  station_e2e.py --bescheid build/bin/bescheid --source . --shots /tmp/shots
"""
import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

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
    parser.add_argument("--bescheid", help="the bescheid binary: test the "
                        "real service instead of the demo")
    parser.add_argument("--source", default=".", help="source tree (with "
                        "--bescheid: configuration and examples)")
    parser.add_argument("--shots", default="station-shots")
    parser.add_argument("--readme-shot", default="",
                        help="also save the case page here (docs/images)")
    args = parser.parse_args()
    os.makedirs(args.shots, exist_ok=True)

    if args.bescheid:
        args.bescheid = os.path.abspath(args.bescheid)
        args.shots = os.path.abspath(args.shots)
        return run_service(args)
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


# --- the real service -----------------------------------------------------

PASSWORDS = {"anna": "anna-passwort-1", "bert": "bert-passwort-1"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """`bescheid watch` on a temporary root, stopped (SIGTERM) at exit."""

    def __init__(self, args, work):
        self.root = os.path.join(work, "root")
        os.makedirs(os.path.join(self.root, "inbox"))
        self.port = free_port()
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="1516622400",
                        TZ="Europe/Berlin", OMP_THREAD_LIMIT="1")
        self.defines = []
        for d in ("watch.root=" + self.root,
                  "store.path=" + os.path.join(work, "journal.sqlite"),
                  "release.mode=manual", "http.port=%d" % self.port,
                  "watch.stable-seconds=1", "watch.rescan-seconds=2"):
            self.defines += ["--define", d]
        self.args = args
        for name, role in (("anna", "sachbearbeitung"),
                           ("bert", "schlusszeichnung")):
            subprocess.run([args.bescheid, "user", "add", name, "--role",
                            role] + self.defines, input=PASSWORDS[name] + "\n",
                           text=True, check=True, cwd=args.source,
                           env=self.env)
        self.log = open(os.path.join(work, "daemon.log"), "w")
        self.process = subprocess.Popen(
            [args.bescheid, "watch"] + self.defines, cwd=args.source,
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = "http://127.0.0.1:%d" % self.port

    def wait_healthy(self):
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.url + "/healthz") as r:
                    if r.status == 200:
                        print("ok: the service answers /healthz")
                        return
            except OSError:
                pass
            check(self.process.poll() is None, "the service is running")
            time.sleep(0.1)
        raise AssertionError("no /healthz within 30 s")

    def wait_for_files(self, pattern, what, seconds=180):
        for _ in range(seconds * 10):
            found = glob.glob(os.path.join(self.root, pattern))
            if found:
                print("ok:", what)
                return found
            time.sleep(0.1)
        raise AssertionError(what)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


def run_service(args):
    work = tempfile.mkdtemp(prefix="station-e2e-")
    service = Service(args, work)
    driver = None
    try:
        service.wait_healthy()
        driver = browser()
        service_flow(driver, service, args)
    except Exception as e:  # noqa: BLE001 - report any failure, save a shot
        if driver:
            driver.save_screenshot(os.path.join(args.shots, "failure.png"))
            print(driver.page_source[:3000])
        print("FAILED:", e)
        service.stop()
        print(open(os.path.join(work, "daemon.log")).read()[-4000:])
        return 1
    finally:
        if driver:
            driver.quit()
        service.stop()
    shutil.rmtree(work, ignore_errors=True)
    print("passed")
    return 0


def service_flow(driver, service, args):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    shot = lambda name: driver.save_screenshot(  # noqa: E731
        os.path.join(args.shots, "dienst-" + name + ".png"))
    url = service.url
    shutil.copy(os.path.join(
        args.source, "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif"),
        os.path.join(service.root, "inbox", "2017-08-14_freiburg.tif"))
    cases = service.wait_for_files("review/*/felder.json",
                                   "the corrected scan is in review")
    case_id = os.path.basename(os.path.dirname(cases[0]))

    login(driver, url, "anna", PASSWORDS["anna"])
    driver.find_element(By.LINK_TEXT, "Prüffälle").click()
    driver.find_element(By.LINK_TEXT, case_id).click()
    fte = None
    for box in driver.find_elements(By.CSS_SELECTOR, "div.feld.zweifel"):
        if "VZÄ" in box.find_element(By.TAG_NAME, "label").text:
            fte = box.find_element(By.TAG_NAME, "input")
    check(fte is not None, "the struck-out VZA is a doubtful field")
    shot("fall")
    fte.clear()
    fte.send_keys("050" + Keys.ENTER)  # what the clerk reads in the crop
    wait_for(driver, lambda d: "entschieden" in d.page_source,
             "saved, valid and decided")
    az = driver.find_element(By.TAG_NAME, "strong").text
    check(az.startswith("RPS15-IM-2017-"), "the decision has its Aktenzeichen")
    check("Schlusszeichnung" in driver.page_source, "the letter awaits release")
    check(not glob.glob(os.path.join(service.root, "outbox/*/" + az + ".pdf")),
          "nothing is in the outbox before the release")
    shot("gespeichert")
    logout(driver)

    login(driver, url, "bert", PASSWORDS["bert"])
    driver.get(url + "/entwuerfe")
    driver.find_element(By.CSS_SELECTOR, "input[value='%s']" % az).click()
    shot("entwuerfe")
    driver.find_element(By.XPATH, "//button[text()='Ausgewählte freigeben']"
                        ).click()
    wait_for(driver, lambda d: "1 Schreiben freigegeben" in d.page_source,
             "released by a second person")
    shot("freigegeben")

    letter = service.wait_for_files("outbox/*/" + az + ".pdf",
                                    "the released letter is in the outbox", 30)
    record = open(letter[0][:-4] + ".decision.xml").read()
    check("<VZAE>0.50</VZAE>" in record and "<Kanal>SCAN</Kanal>" in record,
          "the decision record holds the corrected VZA")
    text = subprocess.run(["pdftotext", letter[0], "-"], capture_output=True,
                          text=True, check=True).stdout
    check("0,50" in text, "the letter prints the corrected VZA (0,50)")


if __name__ == "__main__":
    sys.exit(main())
