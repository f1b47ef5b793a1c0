from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BdePfmpCase

REPORT = "bde_pfmp.report_bde_pfmp_convention"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpConventionReport(BdePfmpCase):
    def _render(self, placements):
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, placements.ids
        )
        return html.decode()

    def test_convention_of_a_minor_with_regulated_work(self):
        guardian = self.env["res.partner"].create({"name": "Claire Martin"})
        self.student.bde_legal_guardian_id = guardian
        placement = self._make_placement(
            hours_per_day=7,
            hours_per_week=35,
            regulated_work=True,
            derogation_ref="DER-2025-007",
            activities_planned="<p>Mise en rayon du rayon frais</p>",
            meal_terms="Staff canteen",
        )
        html = self._render(placement)
        for text in (
            "Léa Martin",
            "Boulangerie Test",
            "Paul Tuteur",
            "Claire Martin",
            "DER-2025-007",
            "Mise en rayon du rayon frais",
            "Staff canteen",
            "L'élève est mineur",
            "35 heures par semaine",
        ):
            self.assertIn(text, html)
        self.assertNotIn("35:00", html)

    def test_convention_of_an_adult_has_no_guardian(self):
        placement = self._make_placement(student=self.student_adult)
        html = self._render(placement)
        self.assertIn("Hugo Bernard", html)
        self.assertNotIn("L'élève est mineur", html)
        self.assertNotIn("Le représentant légal", html)

    def test_no_convention_without_host(self):
        placement = self._make_placement(
            state="searching", partner_id=False, tutor_id=False
        )
        with self.assertRaises(UserError):
            self._render(placement)
