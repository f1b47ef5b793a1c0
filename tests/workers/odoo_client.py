"""A browser for the worker-mode HTTP tests: a ``requests`` session that
asserts each answer's status, and calls Odoo's JSON-RPC as the web client."""

import html
import re

import requests

# Longer than Odoo's real-time limit of a request (limit_time_real, 120 s): a
# request that a limit kills fails on its reset connection (or a 502 behind a
# proxy), not on this clock.
REQUEST_TIMEOUT = 150


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
        self.uid = None  # set by authenticate

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

    def form_values(self, page, *names):
        """The values of the hidden inputs ``names`` of a page's form."""
        values = {}
        for name in names:
            match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
            assert match, f"no input {name} in the page"
            values[name] = match.group(1)
        return values
