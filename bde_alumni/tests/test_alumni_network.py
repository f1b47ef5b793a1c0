from odoo.tests import tagged

from odoo.addons.bde_pfmp.tests.common import BdePfmpCase

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniNetwork(BdeAlumniCase, BdePfmpCase):
    """An alumni who tutors PFMP students, or works in a partner company, is
    recognised (annex expectation 7 of the circular)."""

    def _alumni(self, domain):
        return self.env["res.partner"].search([("bde_is_alumni", "=", True), *domain])

    def test_alumni_tutor_as_a_company_contact(self):
        self.assertFalse(self.alumni.bde_alumni_is_pfmp_tutor)
        # The alumni tutors under their employer's contact, with their e-mail.
        self.tutor.email = "Lea.Martin@example.com"
        self._make_placement(student=self.student_adult)
        self.alumni.invalidate_recordset(["bde_alumni_is_pfmp_tutor"])
        self.assertTrue(self.alumni.bde_alumni_is_pfmp_tutor)
        self.assertIn(
            self.alumni, self._alumni([("bde_alumni_is_pfmp_tutor", "=", True)])
        )
        self.assertNotIn(
            self.alumni, self._alumni([("bde_alumni_is_pfmp_tutor", "=", False)])
        )

    def test_alumni_in_a_partner_company(self):
        self.company_partner.bde_partner_status = "prospect"
        self._make_situation(employer_id=self.company_partner.id)
        self.assertFalse(self.alumni.bde_alumni_in_partner_company)
        self.company_partner.bde_partner_status = "active"
        self.alumni.invalidate_recordset(["bde_alumni_in_partner_company"])
        self.assertTrue(self.alumni.bde_alumni_in_partner_company)
        self.assertIn(
            self.alumni, self._alumni([("bde_alumni_in_partner_company", "=", True)])
        )

    def test_alumni_in_a_pfmp_host(self):
        host = self.env["res.partner"].create(
            {
                "name": "Garage Test",
                "is_company": True,
                "bde_partner_status": "prospect",
            }
        )
        self._make_situation(employer_id=host.id)
        self.assertFalse(self.alumni.bde_alumni_in_partner_company)
        self._make_placement(student=self.student_adult, partner_id=host.id)
        self.alumni.invalidate_recordset(["bde_alumni_in_partner_company"])
        self.assertTrue(self.alumni.bde_alumni_in_partner_company)

    def test_latest_situation_is_the_current_one(self):
        self._make_situation(date="2027-01-10", status="seeking", contract_type=False)
        latest = self._make_situation(date="2027-07-10", status="employed")
        self._make_situation(date="2026-12-01", status="studies", contract_type=False)
        self.assertEqual(self.alumni.bde_alumni_situation_id, latest)
        self.assertEqual(self.alumni.bde_alumni_status, "employed")
