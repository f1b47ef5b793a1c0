import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

MEGABYTE = 1_000_000


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniPageHostile(HttpCase):
    """The alumni page under attack: replayed tokens, a victim's mailbox
    flooded, a known alumni's consents changed by someone who knows their
    name and birth date, links followed by scanners, oversized fields and
    NUL bytes. Every answer is a page, never a server error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.other_lycee = cls.env["res.company"].create({"name": "LP Test Rival"})
        cls.manager = new_test_user(
            cls.env,
            login="bde_alumni_hostile_manager",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.teacher = new_test_user(
            cls.env,
            login="bde_alumni_hostile_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.company.bde_manager_id = cls.manager
        cls.alumni = cls.env["res.partner"].create(
            {
                "name": "Inès Victime",
                "email": "ines.victime@example.com",
                "bde_birthdate": "2007-05-02",
                "company_id": cls.company.id,
                "bde_is_alumni": True,
                "bde_exit_year": 2025,
                "bde_exit_date": "2025-07-04",
            }
        )
        cls.alumni._bde_alumni_give_consent(network=False, contact=False)
        # Same name and birth date in another lycée: never reached.
        cls.other_alumni = cls.env["res.partner"].create(
            {
                "name": "Inès Victime",
                "email": "ines.autre@example.com",
                "bde_birthdate": "2007-05-02",
                "company_id": cls.other_lycee.id,
                "bde_is_alumni": True,
            }
        )
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)

    # Helpers

    def _tokens(self, url="/bde/alumni"):
        page = self.url_open(url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        return csrf, form_token

    def _update_data(self, **overrides):
        csrf, form_token = self._tokens()
        return {
            "csrf_token": csrf,
            "form_token": form_token,
            "name": "Inès Victime",
            "email": "attaquant@example.com",
            "birthdate": "2007-05-02",
            "exit_year": "2025",
            "status": "employed",
            "contract_type": "permanent",
            "employer_name": "Garage de l'Attaquant",
            "network_consent": "1",
            "contact_consent": "1",
            "company_website": "",
            **overrides,
        }

    def _submit(self, data):
        return self.url_open("/bde/alumni/submit", data=data, timeout=60)

    def _withdraw(self, email):
        csrf, form_token = self._tokens()
        return self.url_open(
            "/bde/alumni/withdraw",
            data={"csrf_token": csrf, "form_token": form_token, "email": email},
        )

    def _requests(self):
        """The requests this test sent."""
        return self.env["bde.alumni.request"].search([("id", ">", self.last_id)])

    def _mails_to(self, email):
        return self.env["mail.mail"].search(
            [("model", "=", "bde.alumni.request"), ("email_to", "=", email)]
        )

    def _link(self, alumni_request):
        return f"/bde/alumni/confirm/{alumni_request.token}"

    def _post_link(self, alumni_request, **data):
        csrf, _form_token = self._tokens()
        return self.url_open(
            self._link(alumni_request), data={"csrf_token": csrf, **data}
        )

    def _set_limits(self, client, email):
        params = self.env["ir.config_parameter"]
        params.set_param("bde_lycee.form_max_per_client_hour", client)
        params.set_param("bde_lycee.form_max_per_email_hour", email)

    def setUp(self):
        super().setUp()
        self.last_id = (
            self.env["bde.alumni.request"].search([], order="id desc", limit=1).id or 0
        )

    def assertAnswered(self, response):
        """A page for the visitor, never a server error."""
        self.assertIn(response.status_code, (200, 400), response.text[:500])

    # Replay, limits and the victim's mailbox

    def test_a_token_serves_once(self):
        data = self._update_data(name="Paul Inconnu", email="paul.x@example.com")
        self.assertTrue(self._submit(data).url.endswith("/bde/alumni/thank-you"))
        response = self._submit(data)
        self.assertAnswered(response)
        self.assertIn("This form was already sent.", response.text)
        self.assertEqual(len(self._requests()), 1)
        self.assertEqual(len(self._mails_to("paul.x@example.com")), 1)

    def test_one_pending_confirmation_per_mailbox(self):
        self._set_limits(client=100, email=100)
        victim = "cible@example.com"
        self._submit(self._update_data(name="Paul Inconnu", email=victim))
        for name in ("Votre compte est suspendu", "Appelez le 08 99"):
            response = self._submit(self._update_data(name=name, email=victim))
            self.assertAnswered(response)
            self.assertIn("already waiting", response.text)
        # Nor through the withdrawal form.
        response = self._withdraw(victim)
        self.assertAnswered(response)
        self.assertIn("already waiting", response.text)
        self.assertEqual(len(self._mails_to(victim)), 1)
        self.assertEqual(len(self._requests()), 1)

    def test_limit_per_email_address(self):
        self._set_limits(client=100, email=1)
        self._withdraw("cible@example.com")
        response = self._withdraw("CIBLE@example.com")
        self.assertAnswered(response)
        self.assertIn("Too many forms were sent for this e-mail address", response.text)
        self.assertEqual(len(self._requests()), 1)

    def test_limit_per_connection(self):
        self._set_limits(client=2, email=100)
        for index in range(2):
            self._withdraw(f"cible{index}@example.com")
        response = self._submit(
            self._update_data(name="Paul Inconnu", email="paul.x@example.com")
        )
        self.assertAnswered(response)
        self.assertIn("Too many forms were sent from your connection", response.text)
        # What the visitor typed is kept for later.
        self.assertIn("Paul Inconnu", response.text)
        self.assertEqual(len(self._requests()), 2)

    # A known alumni is confirmed from the mailbox the lycée knows

    def test_known_alumni_is_confirmed_at_the_known_address(self):
        response = self._submit(self._update_data())
        self.assertTrue(response.url.endswith("/bde/alumni/thank-you"))
        alumni_request = self._requests()
        self.assertRecordValues(
            alumni_request,
            [
                {
                    "email": "attaquant@example.com",
                    "partner_id": self.alumni.id,
                    "confirmation_email": "ines.victime@example.com",
                    "state": "pending",
                }
            ],
        )
        self.assertFalse(self._mails_to("attaquant@example.com"))
        mail = self._mails_to("ines.victime@example.com")
        self.assertEqual(len(mail), 1)
        # The lycée's mail greets by the name it knows, never by typed text.
        self.assertIn("Inès Victime", mail.body_html)
        self.assertNotIn("Attaquant", mail.body_html)
        # Nothing changed before the alumni confirms from their own mailbox.
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        self.assertFalse(self.alumni.bde_alumni_situation_ids)
        self.assertFalse(self.other_alumni.bde_alumni_situation_ids)

    def test_known_alumni_without_address_is_reviewed(self):
        self.alumni.email = False
        self._submit(self._update_data())
        alumni_request = self._requests()
        self.assertRecordValues(
            alumni_request,
            [
                {
                    "partner_id": self.alumni.id,
                    "confirmation_email": False,
                    "to_review": True,
                    "state": "pending",
                }
            ],
        )
        # No link went anywhere; the BDE manager is asked to check it.
        self.assertFalse(self._mails_to("attaquant@example.com"))
        self.assertFalse(
            self.env["mail.mail"].search(
                [("body_html", "ilike", "/bde/alumni/confirm/")]
            )
        )
        self.assertEqual(alumni_request.activity_ids.user_id, self.manager)
        # The token of a request to review confirms nothing.
        self.assertIn("no longer valid", self.url_open(self._link(alumni_request)).text)
        self._post_link(alumni_request)
        self.assertEqual(alumni_request.state, "pending")
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        # A teacher cannot apply it; the BDE manager, having checked, can.
        with self.assertRaises(AccessError):
            alumni_request.with_user(self.teacher).action_apply()
        alumni_request.with_user(self.manager).action_apply()
        self.assertEqual(alumni_request.state, "confirmed")
        self.assertTrue(self.alumni.bde_alumni_network_consent)
        self.assertEqual(self.alumni.bde_alumni_status, "employed")

    # Confirmation by POST only

    def test_following_the_link_confirms_nothing(self):
        self._submit(self._update_data())
        alumni_request = self._requests()
        for _scanner in range(3):
            response = self.url_open(self._link(alumni_request))
            self.assertEqual(response.status_code, 200)
            self.assertIn("bde_alumni_confirm_button", response.text)
        self.assertIn("Garage de l&#39;Attaquant", response.text)
        self.url_open(self._link(alumni_request), head=True)
        self.assertEqual(alumni_request.state, "pending")
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        # A POST without the page's CSRF token is refused.
        response = self.url_open(self._link(alumni_request), data={"x": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(alumni_request.state, "pending")
        response = self._post_link(alumni_request)
        self.assertIn("it is confirmed", response.text)
        self.assertEqual(alumni_request.state, "confirmed")
        self.assertTrue(self.alumni.bde_alumni_network_consent)

    def test_malformed_links(self):
        for token in ("%00", "a" * 5000, "x'; DROP TABLE--", "é" * 40):
            response = self.url_open(f"/bde/alumni/confirm/{token}")
            self.assertEqual(response.status_code, 200, token)
            self.assertIn("no longer valid", response.text)
        csrf, _form_token = self._tokens()
        response = self.url_open("/bde/alumni/confirm/%00", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("no longer valid", response.text)

    # Oversized and malformed fields

    def test_a_megabyte_name_is_refused_with_a_message(self):
        response = self._submit(
            self._update_data(name="N" * MEGABYTE, employer_name="E" * MEGABYTE)
        )
        self.assertAnswered(response)
        self.assertIn("This field is limited to 128 characters.", response.text)
        self.assertLess(len(response.text), MEGABYTE // 4)
        self.assertFalse(self._requests())
        response = self._withdraw("a" * MEGABYTE + "@example.com")
        self.assertAnswered(response)
        self.assertIn("This e-mail address is not valid.", response.text)
        self.assertFalse(self._requests())

    def test_nul_bytes_are_stripped(self):
        self._submit(
            self._update_data(
                name="Paul\x00 Inconnu",
                email="paul.x@example.com\x00",
                employer_name="Garage\x00\x1b du Coin",
            )
        )
        self.assertRecordValues(
            self._requests(),
            [
                {
                    "name": "Paul Inconnu",
                    "email": "paul.x@example.com",
                    "employer_name": "Garage du Coin",
                }
            ],
        )

    def test_odd_values(self):
        for overrides in (
            {"exit_year": "9" * 5000},
            {"exit_year": "²০২৫"},
            {"formation_id": "9" * 5000},
            {"birthdate": "\x00" * 20},
            {"birthdate": "2007-13-45"},
            {"status": "\x00employed"},
        ):
            response = self._submit(self._update_data(name="Paul Inconnu", **overrides))
            self.assertAnswered(response)
