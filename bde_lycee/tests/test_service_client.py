from odoo.exceptions import UserError
from odoo.tests import TransactionCase

from ..service_client import ServiceClient
from .replay_server import Answer, ReplayServer


class _Client(ServiceClient):
    service_name = "Test directory"
    url_parameter = "bde_lycee.test_service_url"
    default_url = "http://127.0.0.1:9/unused"


class TestServiceClient(TransactionCase):
    """The base of the outside services' clients, against a local server."""

    def test_json_answer_and_the_request_sent(self):
        answers = {("GET", "/v1/search"): Answer(body=b'{"total": 2}')}
        with ReplayServer(answers) as server:
            server.point(self.env, _Client.url_parameter, "/v1")
            data = _Client(self.env).get_json("search", params={"q": "Lycée"})
        self.assertEqual(data, {"total": 2})
        [request] = server.requests
        self.assertEqual((request.method, request.path), ("GET", "/v1/search"))
        self.assertEqual(request.query, {"q": ["Lycée"]})

    def test_refusal_names_the_service_and_its_status(self):
        answers = {("GET", "/search"): Answer(body=b"busy", status=503)}
        with ReplayServer(answers) as server:
            server.point(self.env, _Client.url_parameter)
            with self.assertRaisesRegex(UserError, "Test directory.*HTTP 503"):
                _Client(self.env).get_json("search")

    def test_service_down(self):
        with ReplayServer({}) as server:
            url = server.url
        # The server is closed: nothing listens on its port any more.
        self.env["ir.config_parameter"].set_param(_Client.url_parameter, url)
        with self.assertRaisesRegex(UserError, "Test directory.*connection failed"):
            _Client(self.env).get_json("search")

    def test_answer_that_is_not_json(self):
        answers = {("GET", "/search"): Answer(body=b"<html>", content_type="text/html")}
        with ReplayServer(answers) as server:
            server.point(self.env, _Client.url_parameter)
            with self.assertRaisesRegex(UserError, "not JSON"):
                _Client(self.env).get_json("search")
