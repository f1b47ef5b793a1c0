"""A local HTTP server that replays recorded answers of an outside service,
so that tests never reach the internet.

    answers = {("GET", "/search"): Answer("sirene/search.json")}
    with ReplayServer(answers) as server:
        server.point(env, "bde_lycee.sirene_url")   # the client's parameter
        ...
        server.requests   # what the suite sent: method, path, query, body

A route is (method, path); its answer is an Answer (a fixture file under
tests/fixtures/ of the module that records it, or a body, a status and a
content type) or a callable(request) -> Answer. A path without a route
answers 404, as a real service would.
"""

import statistics
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from odoo.modules.module import get_module_path


@dataclass
class Answer:
    fixture: str = ""
    module: str = "bde_lycee"
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"

    def content(self):
        if not self.fixture:
            return self.body
        fixtures = Path(get_module_path(self.module)) / "tests" / "fixtures"
        return (fixtures / self.fixture).read_bytes()


NOT_FOUND = Answer(body=b"not found", status=404, content_type="text/plain")


@dataclass
class ReceivedRequest:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes = field(repr=False, default=b"")


class ReplayServer:
    def __init__(self, answers):
        self.answers = answers
        self.requests = []
        self._server = None

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def point(self, env, parameter, path=""):
        """Set the client's system parameter to this server (+ ``path``)."""
        env["ir.config_parameter"].sudo().set_param(parameter, self.url + path)

    def __enter__(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = ReceivedRequest(
                    self.command,
                    split.path,
                    parse_qs(split.query),
                    dict(self.headers),
                    self.rfile.read(length) if length else b"",
                )
                replay.requests.append(request)
                answer = replay.answers.get((self.command, split.path))
                if callable(answer):
                    answer = answer(request)
                if answer is None:
                    answer = NOT_FOUND
                content = answer.content()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass  # the tests' output is not a web server's log

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def measure_calls(env, server, operation, reset, runs=3):
    """For benchmarks of a service's callers: the median seconds of
    ``operation`` over ``runs`` runs, each after ``reset()``, with the
    requests ``server`` received and the queries run in the last one."""
    timings, requests, queries = [], 0, 0
    for _run in range(runs):
        reset()
        sent, count = len(server.requests), env.cr.sql_log_count
        start = time.perf_counter()
        operation()
        env.flush_all()
        timings.append(time.perf_counter() - start)
        requests = len(server.requests) - sent
        queries = env.cr.sql_log_count - count
    return statistics.median(timings), requests, queries
