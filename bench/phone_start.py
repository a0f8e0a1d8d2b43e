#!/usr/bin/env python3
"""How long a phone takes to show a usable search form (issue 15), measured, not asserted.

    python3 bench/phone_start.py target/release/hotel-server frontend/dist [runs]

Starts the server on a fresh database serving the built app, and a headless Chromium through
chromedriver with a 390 x 844 phone screen and its CPU slowed four times (DevTools
`Emulation.setCPUThrottlingRate`, as Lighthouse's mobile runs do). Each run empties the
browser's cache, opens the start page, and reads the time from the start of the navigation
until the search form's button is on the page. Prints every run and the median. Python's
standard library only; chromedriver speaks plain HTTP.
"""

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())["value"]


def main():
    binary, dist = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    workdir = tempfile.TemporaryDirectory()
    server = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--database",
         f"sqlite://{os.path.join(workdir.name, 'hotel.db')}", "--create", "--log", "error",
         "--static-dir", dist],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = re.search(r"(http://[\d.]+:\d+/)", server.stdout.readline()).group(1)
    port = free_port()
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                call(base, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        session = call(base, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--disable-background-networking"],
                "mobileEmulation": {"deviceMetrics": {
                    "width": 390, "height": 844, "pixelRatio": 3.0, "touch": True}},
            }}}})["sessionId"]
        s = f"/session/{session}"

        def cdp(cmd, params):
            call(base, "POST", f"{s}/goog/cdp/execute", {"cmd": cmd, "params": params})

        cdp("Emulation.setCPUThrottlingRate", {"rate": 4})
        cdp("Network.enable", {})
        times = []
        for run in range(runs):
            call(base, "POST", f"{s}/url", {"url": "about:blank"})
            cdp("Network.clearBrowserCache", {})
            call(base, "POST", f"{s}/url", {"url": url})
            ms = call(base, "POST", f"{s}/execute/async", {"script": """
                const done = arguments[arguments.length - 1];
                const look = () => document.querySelector('#search')
                    ? done(performance.now()) : requestAnimationFrame(look);
                look();""", "args": []})
            times.append(ms)
            print(f"run {run + 1}: search form usable after {ms:.0f} ms")
        print(f"median of {runs}: {statistics.median(times):.0f} ms "
              "(390 x 844, CPU slowed 4x, empty cache, local server)")
        call(base, "DELETE", s)
    finally:
        driver.terminate()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
