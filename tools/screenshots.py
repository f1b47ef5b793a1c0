"""Take the README's or the user guide's screenshots from a running demo
(make demo).

Usage: python3 tools/screenshots.py [http://localhost:8069] [bde_demo] [--guide]

Logs in through Odoo's JSON-RPC as each page's user (admin for the README's
PAGES; the role the guide describes for GUIDE_PAGES), hands the session
cookie to a headless Chromium through the DevTools protocol, and saves one
PNG per page into docs/screenshots/ (README) or docs/guide/images/ (guide,
with --guide).
"""

import argparse
import base64
import io
import json
import re
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from PIL import Image

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
# The user guide's pictures, each taken as the user of the role it shows:
# name -> (path, login[, selector of what to click first, e.g. a tab]);
# login None is an anonymous visitor. "{xmlid}" in a path is replaced by the
# id of that demo record.
GUIDE_PAGES = {
    # BDE manager
    "bde_board": ("/odoo/bde-dashboard", "sophie.marchand"),
    "prospection": ("/odoo/bde-prospection", "sophie.marchand"),
    "convention_form": (
        "/odoo/bde-conventions/"
        "{bde_lycee.bde_partnership_convention_hyper_venissieux_demo}",
        "sophie.marchand",
    ),
    "tax_campaign": (
        "/odoo/bde-tax-campaigns/{bde_lycee.bde_tax_campaign_2026_demo}",
        "sophie.marchand",
    ),
    "events": ("/odoo/bde-events", "sophie.marchand"),
    "census_campaign": (
        "/odoo/bde-host-census/{bde_pfmp.bde_pfmp_census_campaign_2026_demo}",
        "sophie.marchand",
    ),
    "placements": ("/odoo/bde-pfmp-placements", "sophie.marchand"),
    "allowance_export": ("/odoo/bde-allowance-export", "sophie.marchand"),
    "pfmp_board": (
        "/odoo/action-bde_pfmp.bde_pfmp_dashboard_board_action",
        "sophie.marchand",
    ),
    "alumni_board": (
        "/odoo/action-bde_alumni.bde_alumni_dashboard_board_action",
        "sophie.marchand",
    ),
    "alumni_situations": ("/odoo/bde-alumni-situations", "sophie.marchand"),
    "yearly_report": (
        "/report/html/bde_lycee.report_bde_yearly/{new:bde.yearly.report.wizard}",
        "sophie.marchand",
    ),
    # Head of school
    "head_convention_to_sign": (
        "/odoo/bde-conventions/"
        "{bde_lycee.bde_partnership_convention_restaurant_confluence_demo}",
        "helene.rousseau",
        "a[name='signatures']",
    ),
    "head_lycee_settings": (
        "/odoo/bde-lycees/{base.main_company}",
        "helene.rousseau",
        "a[name='bde']",
    ),
    "head_lycee_figures": (
        "/odoo/action-bde_lycee.bde_lycee_report_action",
        "helene.rousseau",
    ),
    "head_to_sign": ("/odoo/bde-pfmp-to-sign", "helene.rousseau"),
    # Teacher
    "teacher_placements": ("/odoo/bde-pfmp-my-placements", "karim.benali"),
    "teacher_visits": ("/odoo/bde-pfmp-visits", "karim.benali"),
    "teacher_host_directory": ("/odoo/bde-host-directory", "karim.benali"),
    # Tutor (portal account)
    "tutor_portal": ("/my/pfmp", "tuteur.demo@example.com"),
    "tutor_placement": (
        "/my/pfmp/{bde_pfmp.bde_pfmp_placement_tmcva_01_demo}",
        "tuteur.demo@example.com",
    ),
    # Students, families, alumni: the public pages
    "public_page": ("/bde", None),
    "alumni_page": ("/bde/alumni", None),
    # Academic correspondent
    "network_home": ("/odoo/bde-dashboard", "marc.lefevre"),
    "network_networks": (
        "/odoo/action-bde_lycee.bde_network_report_action",
        "marc.lefevre",
    ),
    "network_export": (
        "/odoo/action-bde_lycee.bde_network_export_action",
        "marc.lefevre",
    ),
}
# Demo passwords that are not the login (see the README's demo logins).
PASSWORDS = {"admin": "admin", "tuteur.demo@example.com": "tuteur.demo"}
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


def _json_rpc(url, params, session_id=None):
    headers = {"Content-Type": "application/json"}
    if session_id:
        headers["Cookie"] = f"session_id={session_id}"
    request = urllib.request.Request(
        url,
        data=json.dumps({"jsonrpc": "2.0", "params": params}).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
        cookie = response.headers["Set-Cookie"]
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"], cookie


def login(base_url, db, user="admin"):
    password = PASSWORDS.get(user, user)
    _result, cookie = _json_rpc(
        f"{base_url}/web/session/authenticate",
        {"db": db, "login": user, "password": password},
    )
    return cookie.split(";", 1)[0].split("=", 1)[1]


def _call_kw(base_url, session_id, model, method, *args):
    result, _cookie = _json_rpc(
        f"{base_url}/web/dataset/call_kw",
        {"model": model, "method": method, "args": list(args), "kwargs": {}},
        session_id,
    )
    return result


def resolve_path(base_url, admin_session, user_session, path):
    """The path with each "{module.name}" replaced by the id of that demo
    record, and each "{new:model}" by a record of that model created with
    its defaults as the page's user (a wizard, e.g. a report's options)."""

    def record_id(match):
        key = match.group(1)
        if key.startswith("new:"):
            return str(_call_kw(base_url, user_session, key[4:], "create", {}))
        module, name = key.split(".", 1)
        rows = _call_kw(
            base_url,
            admin_session,
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        if not rows:
            raise RuntimeError(f"no demo record {key}")
        return str(rows[0]["res_id"])

    return re.sub(r"\{([\w.:]+)\}", record_id, path)


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

    def wait_loaded(self, timeout=120):
        """Wait for the page's scripts and styles: after a module update the
        server first builds the assets, which takes longer than a page."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.call("Runtime.evaluate", expression="document.readyState").get(
                "result", {}
            )
            if state.get("value") == "complete":
                return
            time.sleep(0.5)

    def close(self):
        self.socket.close()
        self.process.terminate()


def save_png(data, path):
    """Save a screenshot in 256 colours: a screen of the web client has few,
    and the file is a third of the size."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    ).save(path, optimize=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", nargs="?", default="http://localhost:8069")
    parser.add_argument("db", nargs="?", default="bde_demo")
    parser.add_argument(
        "--guide",
        action="store_true",
        help="take the user guide's pictures (docs/guide/images/)",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    base_url, db = args.base_url.rstrip("/"), args.db
    root = Path(__file__).resolve().parent.parent / "docs"
    if args.guide:
        out, pages = root / "guide" / "images", GUIDE_PAGES
    else:
        out = root / "screenshots"
        pages = {name: (path, "admin") for name, path in PAGES.items()}
    out.mkdir(parents=True, exist_ok=True)
    admin_session = login(base_url, db)
    sessions = {"admin": admin_session}
    browser = Browser()
    try:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        # The demo is French: public pages follow the browser's language.
        browser.call(
            "Emulation.setUserAgentOverride",
            userAgent=browser.call("Browser.getVersion")["userAgent"],
            acceptLanguage="fr-FR,fr",
        )
        for name, (path, user, *click) in pages.items():
            browser.call("Network.clearBrowserCookies")
            if user and user not in sessions:
                sessions[user] = login(base_url, db, user)
            if user:
                browser.call(
                    "Network.setCookie",
                    name="session_id",
                    value=sessions[user],
                    url=base_url,
                )
            path = resolve_path(base_url, admin_session, sessions.get(user), path)
            browser.call("Page.navigate", url=base_url + path)
            browser.wait_loaded()
            time.sleep(6)  # the web client loads its assets, then the view
            if click:
                browser.call(
                    "Runtime.evaluate",
                    expression=f"document.querySelector({json.dumps(click[0])}).click()",
                )
                time.sleep(1)
            # Notifications (e.g. "the page is outdated" after an update) are
            # not part of the screen being shown.
            browser.call(
                "Runtime.evaluate",
                expression="document.querySelectorAll('.o_notification')"
                ".forEach((el) => el.remove())",
            )
            shot = browser.call("Page.captureScreenshot", format="png")
            save_png(base64.b64decode(shot["data"]), out / f"{name}.png")
            print(f"{out / name}.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
