import re

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

MEGABYTE = 1_000_000


@tagged("post_install", "-at_install", "bde_lycee")
class TestPublicRoutesHostile(HttpCase):
    """The BDE page's contact form under attack: replayed tokens, floods from
    one connection or for one address, oversized fields, NUL bytes and other
    input no browser sends. Every answer is a page with a message, never a
    server error, and nothing reaches the pipeline of either lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.other_lycee = cls.env["res.company"].create({"name": "LP Test Hostile"})
        cls.other_officer = new_test_user(
            cls.env,
            login="bde_hostile_other_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.formation = cls.env["bde.formation"].create(
            {"name": "Bac pro Hostile test", "level": "bac_pro"}
        )
        cls.env["bde.class"].create(
            {
                "name": "2 HOSTILE test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.company.id,
            }
        )
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)

    # Helpers

    def _form_tokens(self):
        page = self.url_open("/bde").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        return csrf, form_token

    def _contact_data(self, **overrides):
        csrf, form_token = self._form_tokens()
        return {
            "csrf_token": csrf,
            "form_token": form_token,
            "company_name": "Garage Test Hostile",
            "contact_name": "Marc Test",
            "email": "marc.hostile@example.com",
            "phone": "06 11 22 33 44",
            "message": "Nous cherchons des apprentis.",
            "partnership_kind": "pfmp",
            "formation_ids": [str(self.formation.id)],
            "company_website": "",
            **overrides,
        }

    def _post(self, data):
        return self.url_open("/bde/contact", data=data, timeout=60)

    def _leads(self):
        return self.env["crm.lead"].search(
            [("team_id", "=", self.team.id), ("contact_name", "=", "Marc Test")]
        )

    def _set_limits(self, client, email):
        params = self.env["ir.config_parameter"]
        params.set_param("bde_lycee.form_max_per_client_hour", client)
        params.set_param("bde_lycee.form_max_per_email_hour", email)

    def assertAnswered(self, response):
        """A page for the visitor, never a server error."""
        self.assertIn(response.status_code, (200, 400), response.text[:500])

    # Single-use token

    def test_a_token_serves_once(self):
        data = self._contact_data()
        self.assertTrue(self._post(data).url.endswith("/bde/thank-you"))
        for _replay in range(3):
            response = self._post(data)
            self.assertAnswered(response)
            self.assertIn("This form was already sent.", response.text)
        self.assertEqual(len(self._leads()), 1)
        # The page answering the replay gives a fresh token: a person sends
        # their message again.
        fresh = re.search(r'name="form_token" value="([^"]+)"', response.text)[1]
        self.assertNotEqual(fresh, data["form_token"])
        self.assertTrue(
            self._post({**data, "form_token": fresh}).url.endswith("/bde/thank-you")
        )
        self.assertEqual(len(self._leads()), 2)

    def test_a_token_of_another_shape_is_refused(self):
        csrf, form_token = self._form_tokens()
        timestamp, nonce, signature = form_token.split(":")
        for forged in (
            f"{timestamp}:{signature}",
            f"{timestamp}:other-nonce:{signature}",
            f"{timestamp}:{nonce}:{signature}:extra",
            "\x00",
            "x" * MEGABYTE,
        ):
            response = self._post(self._contact_data(form_token=forged))
            self.assertAnswered(response)
            self.assertIn("the page is too old", response.text)
        self.assertFalse(self._leads())

    # Limits per connection and per e-mail address

    def test_limit_per_connection(self):
        self._set_limits(client=2, email=100)
        for index in range(2):
            response = self._post(
                self._contact_data(email=f"marc.hostile{index}@example.com")
            )
            self.assertTrue(response.url.endswith("/bde/thank-you"))
        response = self._post(self._contact_data(email="marc.hostile9@example.com"))
        self.assertAnswered(response)
        self.assertIn("Too many forms were sent from your connection", response.text)
        # What the visitor typed is kept for later.
        self.assertIn("Nous cherchons des apprentis.", response.text)
        self.assertEqual(len(self._leads()), 2)

    def test_limit_per_email_address(self):
        self._set_limits(client=100, email=2)
        for email in ("marc.hostile@example.com", "Marc.Hostile@Example.COM"):
            response = self._post(self._contact_data(email=email))
            self.assertTrue(response.url.endswith("/bde/thank-you"))
        response = self._post(self._contact_data(email="MARC.HOSTILE@example.com"))
        self.assertAnswered(response)
        self.assertIn("Too many forms were sent for this e-mail address", response.text)
        self.assertEqual(len(self._leads()), 2)
        # Another address from the same connection still gets through.
        response = self._post(self._contact_data(email="other.hostile@example.com"))
        self.assertTrue(response.url.endswith("/bde/thank-you"))

    def test_counters_hold_no_address(self):
        self._post(self._contact_data())
        counters = self.env["bde.form.counter"].search([])
        self.assertTrue(counters)
        for key in counters.mapped("key"):
            self.assertNotIn("marc.hostile", key)
            self.assertNotIn("127.0.0.1", key)
        # No BDE role reads the counters.
        with self.assertRaises(AccessError):
            self.env["bde.form.counter"].with_user(self.other_officer).search([])

    def test_old_counters_are_forgotten(self):
        Counter = self.env["bde.form.counter"]
        Counter._increment("client:old", "2020-01-01 10:00:00")
        Counter._increment("client:recent", fields.Datetime.now())
        Counter._cron_purge()
        self.assertEqual(Counter.search([]).mapped("key"), ["client:recent"])

    # Oversized and malformed fields

    def test_a_megabyte_name_is_refused_with_a_message(self):
        response = self._post(
            self._contact_data(company_name="B" * MEGABYTE, message="M" * MEGABYTE)
        )
        self.assertAnswered(response)
        self.assertIn("This field is limited to 128 characters.", response.text)
        self.assertIn("This field is limited to 5000 characters.", response.text)
        # The page shows the field cut to its size, not the megabyte.
        self.assertLess(len(response.text), MEGABYTE // 4)
        self.assertFalse(self._leads())

    def test_nul_bytes_are_stripped(self):
        response = self._post(
            self._contact_data(
                company_name="Garage\x00 Test Hostile",
                contact_name="Marc\x00 Test",
                message="Bonjour\x00\x07 le BDE",
            )
        )
        self.assertTrue(response.url.endswith("/bde/thank-you"))
        lead = self._leads()
        self.assertEqual(lead.partner_name, "Garage Test Hostile")
        self.assertNotIn("\x00", str(lead.description))

    def test_nul_bytes_and_odd_values_elsewhere(self):
        self._set_limits(client=100, email=100)
        for overrides in (
            {"email": "marc\x00@example.com\x00"},
            {"partnership_kind": "\x00pfmp"},
            {"phone": "\x00" * 10},
            {"formation_ids": ["\x00", "9" * 5000, "²", "-1"]},
        ):
            response = self._post(self._contact_data(**overrides))
            self.assertTrue(response.url.endswith("/bde/thank-you"), overrides)
        self.assertEqual(len(self._leads()), 4)
        self.assertFalse(self._leads()[:1].bde_formation_ids)
        self.assertNotIn("\x00", "".join(self._leads().mapped("email_from")))

    def test_a_lead_stays_in_the_website_lycee(self):
        self._post(self._contact_data())
        lead = self._leads()
        self.assertEqual(lead.company_id, self.company)
        self.assertFalse(
            self.env["crm.lead"]
            .with_user(self.other_officer)
            .search([("id", "=", lead.id)])
        )
