from odoo.tests import HttpCase, tagged

from odoo.addons.bde_pfmp.tests.test_tutor_portal import BdeTutorPortalCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestPrivacyNotice(HttpCase, BdeTutorPortalCase):
    """Every public page that collects personal data says who the controller
    is, why, for how long, the rights and whom to write to; the register of
    the BDE's processing ships with the suite."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website_lycee = cls.env["website"].get_current_website().company_id
        cls.website_lycee.write(
            {
                "bde_head_of_school": "Mme Proviseure-Web",
                "bde_dpo_email": "dpd-web@ac-test.fr",
                "bde_alumni_retention_years": 4,
            }
        )
        cls.lycee.write(
            {"bde_head_of_school": "M. Proviseur-Test", "bde_email": "bde@lp-test.fr"}
        )

    def _assert_notice(self, url, lycee, contact, *texts):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        page = response.text
        self.assertIn("bde_privacy_notice", page, url)
        for text in (lycee.name, contact, "Your rights", "CNIL", *texts):
            self.assertIn(text, page, url)
        return page

    def test_bde_page(self):
        self._assert_notice(
            "/bde",
            self.website_lycee,
            "mailto:dpd-web@ac-test.fr",
            "Mme Proviseure-Web",
            "Three years after our last contact",
        )

    def test_alumni_page(self):
        self._assert_notice(
            "/bde/alumni",
            self.website_lycee,
            "mailto:dpd-web@ac-test.fr",
            "4 years after you left the lycée",
        )

    def test_census_page(self):
        self.company_partner.email = "contact@boulangerie-test.fr"
        campaign = self.env["bde.pfmp.census.campaign"].create(
            {"school_year": "2026-2027", "company_id": self.lycee.id}
        )
        campaign.action_add_hosts()
        campaign.action_send()
        request = campaign.request_ids[:1]
        # No data protection contact: the BDE's e-mail answers.
        self._assert_notice(
            f"/bde/census/{request.id}/{request.access_token}",
            self.lycee,
            "mailto:bde@lp-test.fr",
            "M. Proviseur-Test",
            "work placements (PFMP)",
        )

    def test_tutor_pages(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        self._assert_notice(
            f"/my/pfmp/{self.placement.id}",
            self.lycee,
            "mailto:bde@lp-test.fr",
            "M. Proviseur-Test",
        )
        self._assert_notice("/my/pfmp", self.lycee, "mailto:bde@lp-test.fr")

    def test_register_ships_one_entry_per_processing(self):
        activities = self.env["privacy.activity"].browse(
            self.env.ref(xmlid).id
            for xmlid in (
                "bde_lycee.privacy_activity_partners",
                "bde_lycee.privacy_activity_events",
                "bde_lycee.privacy_activity_mailing",
                "bde_pfmp.privacy_activity_pfmp",
                "bde_alumni.privacy_activity_alumni",
            )
        )
        self.assertEqual(len(activities), 5)
        for activity in activities:
            self.assertIn("Retention:", activity.description)
        alumni = self.env.ref("bde_alumni.privacy_activity_alumni")
        self.assertIn("five years after exit", alumni.description)
