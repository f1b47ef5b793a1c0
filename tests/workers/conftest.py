"""Fixtures of the worker-mode HTTP tests (README.md of this folder).

tools/test_workers.sh serves the database with ``--workers 2`` and passes its
address in BDE_WORKERS_URL and its name in BDE_WORKERS_DB. Each client is a
``requests`` session (its own cookies), like one browser.
"""

import html
import os
import re

import pytest
import requests

# Longer than Odoo's real-time limit of a request (limit_time_real, 120 s): a
# request that a limit kills fails on its reset connection (or a 502 behind a
# proxy), not on this clock.
REQUEST_TIMEOUT = 150
ADMIN = ("admin", "admin")  # the demo database's administrator
# The demo's own users (bde_lycee/demo/res_company_demo.xml,
# bde_pfmp/demo/bde_pfmp_portal_demo.xml): password = login.
DEMO_USERS = {
    "officer_a": ("sophie.marchand", "sophie.marchand"),
    "teacher_a": ("karim.benali", "karim.benali"),
    "tutor": ("tuteur.demo@example.com", "tuteur.demo"),
}
# The roles the demo has no user for: made by the administrator through
# JSON-RPC at the first run (see made_users).
MADE_USERS = {
    "head_a": ("bde_workers.head_a", "group_bde_manager", ("lycee_a",)),
    "teacher_b": ("bde_workers.teacher_b", "group_bde_user", ("lycee_b",)),
    "reader": (
        "bde_workers.reader",
        "group_bde_network_reader",
        ("lycee_a", "lycee_b"),
    ),
}
XMLIDS = {
    "lycee_a": "base.main_company",
    "lycee_b": "bde_lycee.res_company_lp_lumiere_demo",
    "group_user": "base.group_user",
    "group_bde_user": "bde_lycee.group_bde_user",
    "group_bde_manager": "bde_lycee.group_bde_manager",
    "group_bde_network_reader": "bde_lycee.group_bde_network_reader",
}


class RpcError(Exception):
    """An error answered by Odoo's JSON-RPC, e.g. an AccessError."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")  # e.g. "odoo.exceptions.AccessError"
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class OdooClient:
    """One browser on the server under test: its own cookies (session).

    ``get`` and ``post`` assert the final status (200 unless told): a request
    killed by a worker limit fails there, as a reset connection or a 502."""

    def __init__(self, url, db):
        self.base_url = url
        self.db = db
        self.session = requests.Session()

    def get(self, path, status=200, **kwargs):
        response = self.session.get(
            self.base_url + path, timeout=REQUEST_TIMEOUT, **kwargs
        )
        return self._check(response, status)

    def page(self, path, status=200):
        """The text of the HTML page at ``path``, entities decoded."""
        return html.unescape(self.get(path, status=status).text)

    def post(self, path, data, status=200, **kwargs):
        response = self.session.post(
            self.base_url + path, data=data, timeout=REQUEST_TIMEOUT, **kwargs
        )
        return self._check(response, status)

    def _check(self, response, status):
        assert response.status_code == status, (
            f"{response.request.method} {response.url}: HTTP {response.status_code}, "
            f"expected {status}\n{response.text[:2000]}"
        )
        return response

    def jsonrpc(self, path, **params):
        """The result of a JSON-RPC call, or RpcError for the error it answers."""
        response = self.session.post(
            self.base_url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=REQUEST_TIMEOUT,
        )
        body = self._check(response, 200).json()
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]

    def authenticate(self, login, password):
        info = self.jsonrpc(
            "/web/session/authenticate", db=self.db, login=login, password=password
        )
        assert info.get("uid"), f"{login} could not log in"
        self.uid = info["uid"]
        return self

    def call(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` as the web client calls it."""
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def form_values(self, html, *names):
        """The values of the hidden inputs ``names`` of a page's form."""
        values = {}
        for name in names:
            match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
            assert match, f"no input {name} in the page"
            values[name] = match.group(1)
        return values


@pytest.fixture(scope="session")
def server():
    url, db = os.environ.get("BDE_WORKERS_URL"), os.environ.get("BDE_WORKERS_DB")
    if not (url and db):
        pytest.fail("run these tests with tools/test_workers.sh DB (it serves DB).")
    return url, db


@pytest.fixture(scope="session")
def new_client(server):
    """A new anonymous browser."""
    return lambda: OdooClient(*server)


@pytest.fixture(scope="session")
def admin(new_client):
    # The administrator's first login also sets web.base.url to this server,
    # as in production: wkhtmltopdf fetches the reports' CSS from there.
    return new_client().authenticate(*ADMIN)


@pytest.fixture(scope="session")
def ref(admin):
    """Database ids of the XMLIDS, by key."""
    modules, names = zip(*(xmlid.split(".") for xmlid in XMLIDS.values()), strict=True)
    records = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "in", modules), ("name", "in", names)],
        ["module", "name", "res_id"],
    )
    by_xmlid = {f"{r['module']}.{r['name']}": r["res_id"] for r in records}
    return {key: by_xmlid[xmlid] for key, xmlid in XMLIDS.items()}


@pytest.fixture(scope="session")
def made_users(admin, ref):
    """Login and password (= login, as the demo's) of the roles the demo
    lacks: the administrator makes each user at the first run."""
    for login, group, lycees in MADE_USERS.values():
        if not admin.call(
            "res.users",
            "search",
            [("login", "=", login)],
            context={"active_test": False},
        ):
            admin.call(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": login,
                    "company_id": ref[lycees[0]],
                    "company_ids": [(6, 0, [ref[lycee] for lycee in lycees])],
                    "groups_id": [(6, 0, [ref["group_user"], ref[group]])],
                },
            )
    return {role: (login, login) for role, (login, *_) in MADE_USERS.items()}


@pytest.fixture(scope="session")
def login(new_client, made_users):
    """The browser of ``role`` (a key of DEMO_USERS or MADE_USERS), logged in
    once for the session."""
    users = {**DEMO_USERS, **made_users}
    clients = {}

    def client(role):
        if role not in clients:
            clients[role] = new_client().authenticate(*users[role])
        return clients[role]

    return client
