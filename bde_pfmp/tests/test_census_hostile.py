from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_census_campaign import BdeCensusCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestCensusHostile(HttpCase, BdeCensusCase):
    """The census page, tried as an attacker holding a host's link: every bad
    post gets a message, never a server error, and records nothing; the link
    records one answer, then shows it."""

    def setUp(self):
        super().setUp()
        self.campaign.action_add_hosts()
        self.campaign.action_send()
        self.request = self._request(self.host_offer)
        self.url = f"/bde/census/{self.request.id}/{self.request.access_token}"
        # A visitor's session, without login: the CSRF token is bound to it.
        self.authenticate(None, None)

    def _post(self, **fields):
        data = {"csrf_token": http.Request.csrf_token(self), **fields}
        return self.url_open(f"{self.url}/submit", data=data)

    def _places(self, value):
        return {f"places_{self.offer.id}": value}

    def _assert_nothing_recorded(self):
        self.offer.invalidate_recordset()
        self.request.invalidate_recordset()
        self.assertEqual(self.offer.state, "to_confirm")
        self.assertEqual(self.offer.places, 2)
        self.assertEqual(self.request.state, "sent")

    def test_numbers_are_parsed_strictly(self):
        for value in (
            "abc",
            "",
            "-1",
            "1e3",
            "2.5",
            "0x10",
            "1000",
            "99999999999999999999",
            "\u0663",  # an Arabic-Indic 3, which int() reads
        ):
            with self.subTest(value=value):
                response = self._post(**self._places(value))
                self.assertEqual(response.status_code, 400)
                self.assertIn("type the number of places", response.text)
                self._assert_nothing_recorded()

    def test_missing_field(self):
        response = self._post(accepts_minors="1")
        self.assertEqual(response.status_code, 400)
        self.assertIn("type the number of places", response.text)
        self._assert_nothing_recorded()

    def test_nul_byte_and_oversized_field(self):
        for fields in (
            self._places("3\x00"),
            {**self._places("3"), "accepts_minors": "1\x00"},
            {**self._places("3"), "accepts_minors": "x" * 1_000_000},
            self._places("3" * 1_000),
        ):
            with self.subTest(fields={k: v[:10] for k, v in fields.items()}):
                response = self._post(**fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn("field too long", response.text)
                self._assert_nothing_recorded()

    def test_answered_once(self):
        response = self._post(**self._places("3"), accepts_minors="1")
        self.assertEqual(response.status_code, 200)
        self.assertIn("your answer is recorded", response.text)
        self.assertEqual(self.offer.places, 3)
        self.assertEqual(self.request.state, "answered")
        # The link now shows the answer, read-only.
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("This census was answered on", page.text)
        self.assertNotIn(f"{self.url}/submit", page.text)
        self.assertNotIn(f'name="places_{self.offer.id}"', page.text)
        # A replay of the post, with other places, changes nothing.
        replay = self._post(**self._places("0"))
        self.assertEqual(replay.status_code, 409)
        self.assertIn("This census was answered on", replay.text)
        self.offer.invalidate_recordset()
        self.assertEqual((self.offer.state, self.offer.places), ("confirmed", 3))
        self.assertEqual(self.campaign.answered_count, 1)

    def test_answer_on_the_model_is_refused_twice(self):
        self.request._record_answer({self.offer: 3}, accepts_minors=False)
        with self.assertRaisesRegex(UserError, "answered on"):
            self.request._record_answer({self.offer: 0}, accepts_minors=False)
        self.assertEqual(self.offer.places, 3)

    def test_model_refuses_out_of_range_and_foreign_offers(self):
        other_offer = self.offer.copy({"partner_id": self.company_partner.id})
        for answers in ({self.offer: 10**12}, {self.offer: -1}, {other_offer: 3}):
            with self.subTest(answers=answers):
                with self.assertRaisesRegex(UserError, "whole number from 0"):
                    self.request._record_answer(answers, accepts_minors=False)
        self._assert_nothing_recorded()
