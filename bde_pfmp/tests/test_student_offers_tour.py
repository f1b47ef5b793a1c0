from odoo.tests import HttpCase, tagged

from .test_student_portal import BdeStudentPortalCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestStudentOffersTour(HttpCase, BdeStudentPortalCase):
    def test_student_offers_tour(self):
        # A tour logs in with the login as password.
        self.user_student.password = self.user_student.login
        self.start_tour(
            "/my", "bde_pfmp_student_offers_tour", login=self.user_student.login
        )
        step = self.env["bde.pfmp.search.step"].search(
            [("student_id", "=", self.student.id)]
        )
        self.assertEqual(step.partner_id, self.host_lyon)
        self.assertEqual((step.mode, step.answer), ("phone", "interview"))
        self.assertIn("Entretien jeudi", step.note)
        self.assertTrue(step.logged_by_student)
        self.assertEqual(step.company_id, self.lycee)
