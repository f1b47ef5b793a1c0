import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniPage(HttpCase):
    """The public alumni page: anti-spam, double opt-in by e-mail, matching
    the alumni of the website's lycée only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.other_lycee = cls.env["res.company"].create({"name": "LP Test Voisin"})
        cls.manager = new_test_user(
            cls.env,
            login="bde_alumni_web_manager",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.teacher = new_test_user(
            cls.env,
            login="bde_alumni_web_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_officer = new_test_user(
            cls.env,
            login="bde_alumni_web_other",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.company.bde_manager_id = cls.manager
        cls.formation = cls.env["bde.formation"].create(
            {"name": "Bac pro Alumni page test", "level": "bac_pro"}
        )
        cls.env["bde.class"].create(
            {
                "name": "T APT test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.company.id,
            }
        )
        cls.alumni = cls.env["res.partner"].create(
            {
                "name": "Léa Testpage",
                "email": "lea.testpage@example.com",
                "bde_birthdate": "2008-03-15",
                "company_id": cls.company.id,
                "bde_is_alumni": True,
                "bde_exit_year": 2026,
                "bde_exit_date": "2026-07-04",
                "bde_exit_formation_id": cls.formation.id,
            }
        )
        # Same person's address in a neighbour lycée: never to be touched.
        cls.other_alumni = cls.env["res.partner"].create(
            {
                "name": "Léa Testpage",
                "email": "lea.testpage@example.com",
                "bde_birthdate": "2008-03-15",
                "company_id": cls.other_lycee.id,
                "bde_is_alumni": True,
            }
        )
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)

    # Helpers

    def _form_tokens(self):
        page = self.url_open("/bde/alumni").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        return csrf, form_token

    def _post_alumni(self, **overrides):
        csrf, form_token = self._form_tokens()
        data = {
            "csrf_token": csrf,
            "form_token": form_token,
            "name": "Léa Testpage",
            "email": "Lea.Testpage@Example.com",
            "birthdate": "2008-03-15",
            "exit_year": "2026",
            "formation_id": str(self.formation.id),
            "status": "employed",
            "contract_type": "fixed_term",
            "employer_name": "Boulangerie du Parc",
            "job_title": "Vendeuse",
            "study_formation": "",
            "network_consent": "1",
            "contact_consent": "1",
            "willing_tutor": "1",
            "willing_speaker": "1",
            "company_website": "",
            **overrides,
        }
        return self.url_open("/bde/alumni/submit", data=data)

    def _requests(self, email="lea.testpage@example.com"):
        return self.env["bde.alumni.request"].search([("email", "=ilike", email)])

    def _confirm(self, alumni_request):
        """Follow the link of the mail, then press the page's button."""
        page = self.url_open(f"/bde/alumni/confirm/{alumni_request.token}")
        if "bde_alumni_confirm_button" not in page.text:
            return page
        return self._post_confirmation(alumni_request)

    def _post_confirmation(self, alumni_request):
        csrf, _form_token = self._form_tokens()
        return self.url_open(
            f"/bde/alumni/confirm/{alumni_request.token}",
            data={"csrf_token": csrf},
        )

    # The page and the anti-spam

    def test_page_shows_the_form(self):
        response = self.url_open("/bde/alumni")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bac pro Alumni page test", response.text)
        self.assertIn("I agree to appear in the alumni directory", response.text)
        # Consents are explicit: the boxes come unticked.
        consent = re.search(r'<input[^>]*name="network_consent"[^>]*>', response.text)
        self.assertNotIn("checked", consent[0])
        self.assertIn('href="/bde/alumni"', self.url_open("/bde").text)

    def test_submit_creates_a_pending_request_and_mails_the_link(self):
        response = self._post_alumni()
        self.assertTrue(response.url.endswith("/bde/alumni/thank-you"))
        alumni_request = self._requests()
        self.assertEqual(len(alumni_request), 1)
        self.assertRecordValues(
            alumni_request,
            [
                {
                    "state": "pending",
                    "request_type": "update",
                    "company_id": self.company.id,
                    "exit_year": 2026,
                    "formation_id": self.formation.id,
                    "status": "employed",
                    "contract_type": "fixed_term",
                    "employer_name": "Boulangerie du Parc",
                    "network_consent": True,
                    "contact_consent": True,
                    "willing_tutor": True,
                    "willing_jury": False,
                    # Matched when sent: the link goes to this alumni's address.
                    "partner_id": self.alumni.id,
                    "confirmation_email": "lea.testpage@example.com",
                }
            ],
        )
        self.assertEqual(alumni_request.birthdate, fields.Date.to_date("2008-03-15"))
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "bde.alumni.request"),
                ("res_id", "=", alumni_request.id),
            ]
        )
        self.assertEqual(mail.email_to, "lea.testpage@example.com")
        self.assertIn(f"/bde/alumni/confirm/{alumni_request.token}", mail.body_html)
        # Double opt-in: nothing written on the alumni yet.
        self.assertFalse(self.alumni.bde_alumni_situation_ids)
        self.assertFalse(self.alumni.bde_alumni_network_consent)

    def test_honeypot_creates_nothing(self):
        response = self._post_alumni(company_website="http://spam.example.com")
        self.assertTrue(response.url.endswith("/bde/alumni/thank-you"))
        self.assertFalse(self._requests())

    def test_too_fast_creates_nothing(self):
        self.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 3600)
        response = self._post_alumni()
        self.assertFalse(self._requests())
        self.assertIn("sent too quickly", response.text)
        # What the visitor typed is kept.
        self.assertIn("Boulangerie du Parc", response.text)

    def test_forged_token_creates_nothing(self):
        self._post_alumni(form_token="1000000000:forged")
        self.assertFalse(self._requests())

    def test_missing_fields_show_errors(self):
        response = self._post_alumni(email="lea.martin@", status="", exit_year="1900")
        self.assertFalse(self._requests("lea.martin@"))
        self.assertIn("This e-mail address is not valid.", response.text)
        self.assertIn("This field is required.", response.text)
        self.assertIn("Give the year you left the lycée", response.text)

    # Confirmation

    def test_confirm_updates_the_alumni_found_by_email(self):
        self._post_alumni(birthdate="")
        alumni_request = self._requests()
        response = self._confirm(alumni_request)
        self.assertIn("it is confirmed", response.text)
        self.assertEqual(alumni_request.state, "confirmed")
        self.assertEqual(alumni_request.partner_id, self.alumni)
        situation = self.alumni.bde_alumni_situation_ids
        self.assertRecordValues(
            situation,
            [
                {
                    "date": fields.Date.today(),
                    "status": "employed",
                    "contract_type": "fixed_term",
                    "employer_name": "Boulangerie du Parc",
                    "job_title": "Vendeuse",
                    "source": "self",
                }
            ],
        )
        self.assertRecordValues(
            self.alumni,
            [
                {
                    "bde_alumni_network_consent": True,
                    "bde_alumni_network_consent_source": "website",
                    "bde_alumni_contact_consent": True,
                    "bde_alumni_contact_consent_source": "website",
                    "bde_alumni_willing_tutor": True,
                    "bde_alumni_willing_speaker": True,
                    "bde_alumni_willing_jury": False,
                    "bde_alumni_willing_mentor": False,
                }
            ],
        )
        # The lycée's record of the exit is not overwritten by the visitor.
        self.assertEqual(self.alumni.bde_exit_date, fields.Date.to_date("2026-07-04"))
        self.assertFalse(self.other_alumni.bde_alumni_situation_ids)
        self.assertFalse(self.other_alumni.bde_alumni_network_consent)

    def test_confirm_matches_by_name_and_birth_date(self):
        self._post_alumni(
            email="lea.testpage.new@example.com",
            name="léa testpage ",
            status="studies",
            study_formation="BTS MCO, lycée Test",
        )
        alumni_request = self._requests("lea.testpage.new@example.com")
        # The link goes to the address the lycée knows, not to the one typed.
        self.assertEqual(alumni_request.confirmation_email, "lea.testpage@example.com")
        self._confirm(alumni_request)
        self.assertEqual(alumni_request.partner_id, self.alumni)
        self.assertEqual(self.alumni.bde_alumni_status, "studies")
        situation = self.alumni.bde_alumni_situation_id
        self.assertEqual(situation.study_formation, "BTS MCO, lycée Test")
        self.assertFalse(situation.contract_type)
        self.assertFalse(situation.employer_name)
        # The known address stays; the new one is on the request.
        self.assertEqual(self.alumni.email, "lea.testpage@example.com")

    def test_unknown_person_becomes_an_alumni_to_review(self):
        self._post_alumni(
            name="Hugo Inconnu", email="hugo.testpage@example.com", birthdate=""
        )
        alumni_request = self._requests("hugo.testpage@example.com")
        self._confirm(alumni_request)
        alumni = alumni_request.partner_id
        self.assertTrue(alumni_request.to_review)
        self.assertNotIn(alumni, self.alumni | self.other_alumni)
        self.assertRecordValues(
            alumni,
            [
                {
                    "name": "Hugo Inconnu",
                    "email": "hugo.testpage@example.com",
                    "company_id": self.company.id,
                    "bde_is_alumni": True,
                    "bde_exit_year": 2026,
                    "bde_exit_formation_id": self.formation.id,
                    "bde_alumni_status": "employed",
                    "bde_alumni_contact_consent": True,
                }
            ],
        )
        activity = alumni.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)

    def test_link_is_single_use(self):
        self._post_alumni()
        alumni_request = self._requests()
        self._confirm(alumni_request)
        response = self._confirm(alumni_request)
        self.assertIn("no longer valid", response.text)
        self.assertEqual(len(self.alumni.bde_alumni_situation_ids), 1)
        self.assertIn("no longer valid", self.url_open("/bde/alumni/confirm/nope").text)

    def test_link_expires_after_seven_days(self):
        self._post_alumni()
        alumni_request = self._requests()
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            response = self._confirm(alumni_request)
            self.assertIn("no longer valid", response.text)
            # Posting the confirmation anyway is refused too.
            response = self._post_confirmation(alumni_request)
        self.assertIn("no longer valid", response.text)
        self.assertEqual(alumni_request.state, "expired")
        self.assertFalse(self.alumni.bde_alumni_situation_ids)
        self.assertFalse(self.alumni.bde_alumni_network_consent)

    def test_cron_expires_old_requests(self):
        self._post_alumni()
        alumni_request = self._requests()
        with freeze_time(fields.Datetime.now() + timedelta(days=6)):
            self.env["bde.alumni.request"]._cron_expire()
        self.assertEqual(alumni_request.state, "pending")
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            self.env["bde.alumni.request"]._cron_expire()
        self.assertEqual(alumni_request.state, "expired")

    def test_withdrawal(self):
        self.alumni._bde_alumni_give_consent(
            network=True, contact=True, source="graduation"
        )
        self.other_alumni._bde_alumni_give_consent(network=True, contact=True)
        csrf, form_token = self._form_tokens()
        response = self.url_open(
            "/bde/alumni/withdraw",
            data={
                "csrf_token": csrf,
                "form_token": form_token,
                "email": "LEA.TESTPAGE@example.com",
                "company_website": "",
            },
        )
        self.assertTrue(response.url.endswith("/bde/alumni/thank-you"))
        alumni_request = self._requests()
        self.assertEqual(alumni_request.request_type, "withdraw")
        # Nothing withdrawn before the link is followed.
        self.assertTrue(self.alumni.bde_alumni_contact_consent)
        response = self._confirm(alumni_request)
        self.assertIn("no longer be contacted", response.text)
        self.assertFalse(self.alumni.bde_alumni_network_consent)
        self.assertFalse(self.alumni.bde_alumni_contact_consent)
        self.assertTrue(self.other_alumni.bde_alumni_contact_consent)

    def test_withdrawal_needs_a_valid_email(self):
        csrf, form_token = self._form_tokens()
        response = self.url_open(
            "/bde/alumni/withdraw",
            data={"csrf_token": csrf, "form_token": form_token, "email": "lea@"},
        )
        self.assertIn("This e-mail address is not valid.", response.text)
        self.assertFalse(
            self.env["bde.alumni.request"].search([("email", "=", "lea@")])
        )

    # Who reads the requests

    def test_access_rights(self):
        alumni_request = self.env["bde.alumni.request"].create(
            {
                "name": "Léa Testpage",
                "email": "lea.testpage@example.com",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(
            self.env["bde.alumni.request"]
            .with_user(self.manager)
            .search([("id", "=", alumni_request.id)]),
            alumni_request,
        )
        with self.assertRaises(AccessError):
            alumni_request.with_user(self.teacher).read(["name"])
        self.assertFalse(
            self.env["bde.alumni.request"]
            .with_user(self.other_officer)
            .search([("id", "=", alumni_request.id)])
        )
