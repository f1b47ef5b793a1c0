"""Take the README's screenshots from a running demo (make demo).

Usage: python3 tools/screenshots.py [http://localhost:8069] [bde_demo]

Logs in as admin through Odoo's JSON-RPC, hands the session cookie to a
headless Chromium through the DevTools protocol, and saves one PNG per page
of PAGES into docs/screenshots/.
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

PAGES = {
    "dashboard": "/odoo/bde-dashboard",
    "prospection": "/odoo/bde-prospection",
    "conventions": "/odoo/bde-conventions",
    "companies": "/odoo/bde-companies",
    "placements": "/odoo/bde-pfmp-placements",
    "pfmp_dashboard": "/odoo/bde-pfmp-dashboard",
    "host_directory": "/odoo/bde-host-directory",
    "alumni_directory": "/odoo/bde-alumni",
    "insertion_indicators": "/odoo/bde-alumni-indicators",
    "public_page": "/bde",
    "alumni_page": "/bde/alumni",
}
WIDTH, HEIGHT = 1400, 860
# Chromium reaches nothing but the demo server (closed network, no updates).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--window-size={WIDTH},{HEIGHT}",
]


def login(base_url, db):
    payload = {
        "jsonrpc": "2.0",
        "params": {"db": db, "login": "admin", "password": "admin"},
    }
    request = urllib.request.Request(
        f"{base_url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"]
    return cookie.split(";", 1)[0].split("=", 1)[1]


class Browser:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp(prefix="bde_shots_")
        self.process = subprocess.Popen(
            [
                "chromium",
                *CHROMIUM_FLAGS,
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.socket = websocket.create_connection(self._page_ws(port), timeout=60)
        self.message_id = 0

    def _page_ws(self, port):
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json", timeout=2
                ) as response:
                    targets = json.load(response)
                return next(t for t in targets if t["type"] == "page")[
                    "webSocketDebuggerUrl"
                ]
            except (OSError, StopIteration):
                time.sleep(0.2)
        raise RuntimeError("Chromium did not start")

    def call(self, method, **params):
        self.message_id += 1
        self.socket.send(
            json.dumps({"id": self.message_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.message_id:
                return message.get("result", {})

    def close(self):
        self.socket.close()
        self.process.terminate()


def main():
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069"
    db = sys.argv[2] if len(sys.argv) > 2 else "bde_demo"
    out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    session_id = login(base_url, db)
    browser = Browser()
    try:
        browser.call(
            "Network.setCookie", name="session_id", value=session_id, url=base_url
        )
        for name, path in PAGES.items():
            browser.call("Page.navigate", url=base_url + path)
            time.sleep(6)  # the web client loads its assets, then the view
            # Notifications (e.g. "the page is outdated" after an update) are
            # not part of the screen being shown.
            browser.call(
                "Runtime.evaluate",
                expression="document.querySelectorAll('.o_notification')"
                ".forEach((el) => el.remove())",
            )
            shot = browser.call("Page.captureScreenshot", format="png")
            (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
            print(f"{out / name}.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
