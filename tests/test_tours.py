"""Browser scenarios through the main flows of the suite (Odoo tours in a real
Chromium); the tours themselves live in each module's static/tests/tours."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "bde_tour")
class TestBdeTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="tour_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
        )

    def test_company_partner_tour(self):
        self.start_tour(
            "/odoo/bde-companies", "bde_lycee_company_tour", login="tour_officer"
        )
        partner = self.env["res.partner"].search([("name", "=", "Boulangerie du Parc")])
        self.assertEqual(partner.siret, "73282932000074")
        self.assertEqual(partner.bde_naf_code, "10.71C")
        self.assertEqual(partner.bde_partner_status, "active")
        self.assertTrue(partner.is_company)

    def test_lead_won_opens_convention_tour(self):
        company = self.env["res.partner"].create(
            {"name": "Garage du Tour", "is_company": True}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Partenariat Garage du Tour",
                "type": "opportunity",
                "partner_id": company.id,
                "team_id": self.env.ref("bde_lycee.crm_team_bde").id,
                "user_id": self.officer.id,
            }
        )
        self.assertEqual(company.bde_partner_status, "prospect")
        self.start_tour(
            f"/odoo/bde-prospection/{lead.id}",
            "bde_lycee_lead_won_tour",
            login="tour_officer",
        )
        self.assertEqual(company.bde_partner_status, "active")
        convention = self.env["bde.partnership.convention"].search(
            [("lead_id", "=", lead.id)]
        )
        self.assertEqual(len(convention), 1)
        self.assertEqual(convention.partner_id, company)
        self.assertEqual(convention.state, "draft")
