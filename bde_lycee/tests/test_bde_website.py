import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "bde_lycee")
class TestBdeWebsite(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["website"].get_current_website().company_id
        cls.manager = new_test_user(
            cls.env,
            login="bde_web_manager",
            name="Odile Responsable-Test",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.company.write(
            {
                "bde_location": "Bâtiment Test, bureau 12",
                "bde_opening_hours": "Lundi et jeudi de 9 h à 11 h 45",
                "bde_phone": "04 99 88 77 66",
                "bde_email": "bde-test@ac-lyon.fr",
                "bde_manager_id": cls.manager.id,
            }
        )
        cls.formation = cls.env["bde.formation"].create(
            {"name": "Bac pro Website test", "level": "bac_pro"}
        )
        cls.env["bde.class"].create(
            {
                "name": "2 WEB test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.company.id,
            }
        )
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        cls.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 0)

    def _form_tokens(self):
        page = self.url_open("/bde").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form_token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        return csrf, form_token

    def _post_contact(self, **overrides):
        csrf, form_token = self._form_tokens()
        data = {
            "csrf_token": csrf,
            "form_token": form_token,
            "company_name": "Boulangerie Test Croix-Rousse",
            "contact_name": "Marie Test",
            "email": "marie.test@example.com",
            "phone": "06 11 22 33 44",
            "message": "Nous pouvons accueillir deux élèves en PFMP.",
            "partnership_kind": "pfmp",
            "formation_ids": [str(self.formation.id)],
            "company_website": "",
            **overrides,
        }
        return self.url_open("/bde/contact", data=data)

    def _bde_leads(self):
        return self.env["crm.lead"].search(
            [
                ("team_id", "=", self.team.id),
                ("email_from", "=", "marie.test@example.com"),
            ]
        )

    def test_page_shows_the_bde(self):
        response = self.url_open("/bde")
        self.assertEqual(response.status_code, 200)
        for text in (
            "Odile Responsable-Test",
            "04 99 88 77 66",
            "bde-test@ac-lyon.fr",
            "Lundi et jeudi de 9 h à 11 h 45",
            "Bâtiment Test, bureau 12",
            "Bac pro Website test",
        ):
            self.assertIn(text, response.text)

    def test_contact_creates_one_lead(self):
        response = self._post_contact()
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/bde/thank-you"))
        lead = self._bde_leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(
            lead.stage_id, self.env.ref("bde_lycee.crm_stage_bde_identified")
        )
        self.assertEqual(lead.partner_name, "Boulangerie Test Croix-Rousse")
        self.assertEqual(lead.contact_name, "Marie Test")
        self.assertEqual(lead.phone, "06 11 22 33 44")
        self.assertIn("deux élèves", str(lead.description))
        self.assertEqual(lead.bde_partnership_kind, "pfmp")
        self.assertEqual(lead.bde_formation_ids, self.formation)
        self.assertEqual(lead.company_id, self.company)
        self.assertEqual(lead.user_id, self.manager)

    def test_honeypot_creates_nothing(self):
        self._post_contact(company_website="http://spam.example.com")
        self.assertFalse(self._bde_leads())

    def test_too_fast_creates_nothing(self):
        self.env["ir.config_parameter"].set_param("bde_lycee.contact_min_seconds", 3600)
        response = self._post_contact()
        self.assertFalse(self._bde_leads())
        self.assertIn("sent too quickly", response.text)

    def test_forged_token_creates_nothing(self):
        self._post_contact(form_token="1000000000:forged")
        self.assertFalse(self._bde_leads())

    def test_missing_email_shows_the_error(self):
        response = self._post_contact(email="")
        self.assertFalse(
            self.env["crm.lead"].search(
                [("partner_name", "=", "Boulangerie Test Croix-Rousse")]
            )
        )
        self.assertIn("This field is required.", response.text)
        # What the visitor typed is kept.
        self.assertIn("Boulangerie Test Croix-Rousse", response.text)

    def test_invalid_email_shows_the_error(self):
        response = self._post_contact(email="marie.test@")
        self.assertFalse(
            self.env["crm.lead"].search(
                [("partner_name", "=", "Boulangerie Test Croix-Rousse")]
            )
        )
        self.assertIn("This e-mail address is not valid.", response.text)
