import re

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import BdePfmpCase


class BdeCensusCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner.email = "contact@boulangerie-test.fr"
        # A past host (2025-2026) and a host with an offer for 2026-2027.
        cls._make_placement(state="done", days_done=15)
        cls.host_offer = cls.env["res.partner"].create(
            {"name": "Épicerie Test", "is_company": True, "email": "epicerie@test.fr"}
        )
        cls.other_formation = cls.env["bde.formation"].create(
            {"name": "CAP EPC test", "level": "cap", "diploma_code": "50031214"}
        )
        cls.offer = cls.env["bde.pfmp.host.offer"].create(
            {
                "partner_id": cls.host_offer.id,
                "company_id": cls.lycee.id,
                "school_year": "2026-2027",
                "formation_id": cls.other_formation.id,
                "places": 2,
            }
        )
        cls.campaign = cls.env["bde.pfmp.census.campaign"].create(
            {"school_year": "2026-2027", "company_id": cls.lycee.id}
        )

    def _request(self, partner):
        return self.campaign.request_ids.filtered(lambda r: r.partner_id == partner)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestCensusCampaign(BdeCensusCase):
    def test_add_hosts_and_send(self):
        self.assertEqual(self.campaign.name, "Host-site census 2026-2027")
        self.campaign.action_add_hosts()
        self.assertEqual(
            self.campaign.request_ids.partner_id, self.company_partner | self.host_offer
        )
        self.campaign.action_add_hosts()
        self.assertEqual(len(self.campaign.request_ids), 2)
        self.campaign.action_send()
        self.assertEqual(self.campaign.state, "sent")
        self.assertEqual(self.campaign.asked_count, 2)
        # The past host gets an offer to confirm for the formation it hosted.
        request = self._request(self.company_partner)
        self.assertEqual(request.offer_ids.formation_id, self.formation)
        self.assertEqual(request.offer_ids.state, "to_confirm")
        mail = self.env["mail.mail"].search(
            [("model", "=", "bde.pfmp.census.request"), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(
            f"/bde/census/{request.id}/{request.access_token}", mail.body_html
        )
        self.assertIn("2026-2027", mail.subject)
        with self.assertRaises(UserError):
            self.campaign.action_send()

    def test_host_without_email(self):
        self.host_offer.email = False
        self.campaign.action_add_hosts()
        with self.assertRaises(UserError):
            self.campaign.action_send()
        self.assertEqual(set(self.campaign.request_ids.mapped("state")), {"draft"})

    @freeze_time("2026-09-20")
    def test_record_answer(self):
        self.campaign.action_add_hosts()
        self.campaign.action_send()
        request = self._request(self.host_offer)
        request._record_answer({self.offer: 3}, accepts_minors=True)
        self.assertEqual(self.offer.state, "confirmed")
        self.assertEqual(self.offer.places, 3)
        self.assertEqual(self.offer.date_confirmed.isoformat(), "2026-09-20")
        self.assertTrue(self.host_offer.bde_accepts_minors)
        self.assertEqual(request.state, "answered")
        self.assertEqual(self.campaign.answered_count, 1)
        self.assertEqual(self.campaign.places_confirmed, 3)
        self.assertIn("Épicerie Test", self.campaign.message_ids[0].body)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_teacher).read(["name"])
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_other_lycee).read(["name"])
        self.campaign.with_user(self.user_officer).action_add_hosts()
        self.assertEqual(len(self.campaign.request_ids), 2)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestCensusPage(HttpCase, BdeCensusCase):
    def test_census_page(self):
        self.campaign.action_add_hosts()
        self.campaign.action_send()
        request = self._request(self.host_offer)
        url = f"/bde/census/{request.id}/{request.access_token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("CAP EPC test", response.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text)[1]
        response = self.url_open(
            f"{url}/submit",
            data={
                "csrf_token": csrf,
                f"places_{self.offer.id}": "0",
                "accepts_minors": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer is recorded", response.text)
        self.assertEqual(self.offer.state, "declined")
        self.assertEqual(self.offer.places, 2)
        self.assertEqual(request.state, "answered")
        self.assertTrue(self.host_offer.bde_accepts_minors)

    def test_wrong_token(self):
        self.campaign.action_add_hosts()
        request = self._request(self.host_offer)
        response = self.url_open(f"/bde/census/{request.id}/not-the-token")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/bde/census/{request.id + 1000}/{request.access_token}"
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/bde/census/{request.id}/not-the-token/submit",
            data={f"places_{self.offer.id}": "5"},
        )
        self.assertIn(response.status_code, (400, 404))
        self.assertEqual(self.offer.places, 2)
        self.assertEqual(self.offer.state, "to_confirm")
