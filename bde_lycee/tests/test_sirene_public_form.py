import re

from odoo.tests import HttpCase, tagged

from ..sirene_client import SireneClient
from .replay_server import Answer, ReplayServer
from .test_sirene_lookup import ACTIVE_SIRET, SEARCH, _by_query


@tagged("post_install", "-at_install", "bde_lycee")
class TestSirenePublicForm(HttpCase):
    """The SIRET typed on the BDE's public contact form: checked, looked up
    once per accepted message, a known company linked, never trusted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")

    def _post(self, siret, email="marie.test@example.com"):
        page = self.url_open("/bde").text
        data = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
            "form_token": re.search(r'name="form_token" value="([^"]+)"', page)[1],
            "company_name": "Électricité Test",
            "contact_name": "Marie Test",
            "email": email,
            "siret": siret,
            "company_website": "",
        }
        return self.url_open("/bde/contact", data=data)

    def _lead(self, email="marie.test@example.com"):
        return self.env["crm.lead"].search(
            [("team_id", "=", self.team.id), ("email_from", "=", email)]
        )

    def _replay(self, answer=_by_query):
        server = ReplayServer({SEARCH: answer})
        self.addCleanup(server.__exit__, None, None, None)
        server.__enter__()
        server.point(self.env, SireneClient.url_parameter)
        return server

    def test_siret_fills_the_lead_from_the_directory(self):
        server = self._replay()
        self._post("812 345 676 00017")
        lead = self._lead()
        self.assertEqual(lead.bde_siret, ACTIVE_SIRET)
        self.assertEqual((lead.street, lead.city), ("12 RUE DE GERLAND", "LYON"))
        self.assertFalse(lead.partner_id)
        self.assertEqual(len(server.requests), 1)

    def test_known_siret_links_the_company_without_asking_the_directory(self):
        server = self._replay()
        known = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        self._post(ACTIVE_SIRET)
        self.assertEqual(self._lead().partner_id, known)
        self.assertEqual(known.name, "EDR", "the visitor changes no company")
        self.assertFalse(server.requests)

    def test_directory_down_keeps_the_message(self):
        self._replay(Answer(body=b"down", status=503, content_type="text/plain"))
        self._post(ACTIVE_SIRET)
        lead = self._lead()
        self.assertEqual(lead.bde_siret, ACTIVE_SIRET)
        self.assertFalse(lead.street)

    def test_hostile_siret_is_refused_without_a_request(self):
        server = self._replay()
        for siret in (
            "81234567600018",
            "siret:* OR siren:1",
            "8123456760001\x00",
            "9" * 200,
        ):
            response = self._post(siret)
            self.assertEqual(response.status_code, 200)
            self.assertIn("is-invalid", response.text)
        self.assertFalse(self._lead())
        self.assertFalse(server.requests)

    def test_directory_calls_are_bounded_by_the_form_limit(self):
        server = self._replay()
        self.env["ir.config_parameter"].set_param(
            "bde_lycee.form_max_per_client_hour", 2
        )
        for i in range(4):
            self._post(ACTIVE_SIRET, email=f"visitor{i}@example.com")
        self.assertEqual(len(server.requests), 2)
