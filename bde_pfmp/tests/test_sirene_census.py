import re

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.bde_lycee.sirene_client import SireneClient
from odoo.addons.bde_lycee.tests.replay_server import Answer, ReplayServer
from odoo.addons.bde_lycee.tests.test_sirene_lookup import (
    ACTIVE_SIRET,
    SEARCH,
    _by_query,
)

from .test_census_campaign import BdeCensusCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestSireneCensus(HttpCase, BdeCensusCase):
    """The SIRET a host types on its census page, and the closed hosts."""

    def setUp(self):
        super().setUp()
        self.campaign.action_add_hosts()
        self.campaign.action_send()
        self.request = self._request(self.host_offer)
        self.url = f"/bde/census/{self.request.id}/{self.request.access_token}"

    def _replay(self, answer=_by_query):
        server = ReplayServer({SEARCH: answer})
        self.addCleanup(server.__exit__, None, None, None)
        server.__enter__()
        server.point(self.env, SireneClient.url_parameter)
        return server

    def _answer(self, siret):
        page = self.url_open(self.url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        return self.url_open(
            f"{self.url}/submit",
            data={"csrf_token": csrf, f"places_{self.offer.id}": "1", "siret": siret},
        )

    def test_siret_typed_fills_the_host_from_the_directory(self):
        server = self._replay()
        self.assertIn('name="siret"', self.url_open(self.url).text)
        self._answer("812 345 676 00017")
        self.assertEqual(self.request.state, "answered")
        self.assertEqual(
            (self.host_offer.siret, self.host_offer.street, self.host_offer.zip),
            (ACTIVE_SIRET, "12 RUE DE GERLAND", "69007"),
        )
        self.assertEqual(self.host_offer.name, "Épicerie Test")
        self.assertEqual(len(server.requests), 1)

    def test_siret_of_another_company_is_not_duplicated(self):
        server = self._replay()
        known = self.env["res.partner"].create(
            {"name": "EDR", "is_company": True, "siret": ACTIVE_SIRET}
        )
        self._answer(ACTIVE_SIRET)
        self.assertEqual(self.request.state, "answered")
        self.assertFalse(self.host_offer.siret)
        self.assertIn("EDR", self.host_offer.message_ids[:1].body, "a note for the BDE")
        self.assertEqual(known.name, "EDR")
        self.assertFalse(server.requests)

    def test_invalid_siret_records_nothing(self):
        server = self._replay()
        for siret in ("81234567600018", "siret:* OR nic:1", "1" * 150):
            response = self._answer(siret)
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self.request.state, "sent")
        self.assertFalse(self.host_offer.siret)
        self.assertFalse(server.requests)

    def test_directory_down_keeps_the_answer(self):
        self._replay(Answer(body=b"down", status=503, content_type="text/plain"))
        self._answer(ACTIVE_SIRET)
        self.assertEqual(self.request.state, "answered")
        self.assertFalse(self.host_offer.siret)
        self.assertIn(ACTIVE_SIRET, self.host_offer.message_ids[:1].body)

    def test_closed_host_left_out_of_the_host_directory(self):
        action = self.env.ref("bde_pfmp.res_partner_action_host_directory")
        domain = safe_eval(action.domain)
        Partner = self.env["res.partner"].with_user(self.user_officer)
        self.assertIn(self.host_offer, Partner.search(domain))
        self.host_offer.bde_sirene_closed = True
        self.assertNotIn(self.host_offer, Partner.search(domain))
        self.assertTrue(self.host_offer.with_user(self.user_officer).bde_is_host)
