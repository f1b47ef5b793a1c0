"""Fixtures of the worker-mode HTTP tests (README.md of this folder).

tools/test_workers.sh serves the database with ``--workers 2`` and passes its
address in BDE_WORKERS_URL and its name in BDE_WORKERS_DB. Each client is a
``requests`` session (its own cookies), like one browser.
"""

import os

import pytest
from odoo_client import OdooClient

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
