from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BdePfmpCase

REPORT = "bde_pfmp.report_bde_pfmp_attestation"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpAttestationReport(BdePfmpCase):
    def _render(self, placements):
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, placements.ids
        )
        return html.decode()

    def test_attestation_of_a_done_placement(self):
        placement = self._make_placement(
            state="done",
            days_done=18,
            hours_per_week=35,
            activities_planned="<p>Accueil des clients en boutique</p>",
        )
        html = self._render(placement)
        for text in (
            "Attestation de PFMP",
            "Léa Martin",
            "Boulangerie Test",
            "73282932000074",
            "Paul Tuteur",
            "Accueil des clients en boutique",
            "<td>18</td>",
            "<td>26</td>",
            "<td>35 heures</td>",
        ):
            self.assertIn(text, html)
        self.assertNotIn("35:00", html)

    def test_attestation_of_an_interrupted_placement_ends_on_stop(self):
        placement = self._make_placement(state="in_progress")
        placement._action_stop("interrupt", "Accident.", "2025-11-14")
        html = self._render(placement)
        self.assertIn("Période interrompue le", html)
        self.assertIn("11/14/2025", html)

    def test_no_attestation_before_the_end(self):
        placement = self._make_placement(state="in_progress")
        with self.assertRaises(UserError):
            self._render(placement)

    def test_attestation_in_french_for_a_user_who_reads_english(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.user_officer.lang = "en_US"
        placement = self._make_placement(state="done", days_done=18)
        html, _report_type = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            ._render_qweb_html(REPORT, placement.ids)
        )
        html = html.decode()
        self.assertIn("a effectué une période de formation", html)
        self.assertIn("du <span>03/11/2025</span>", html)
        self.assertNotIn("11/03/2025", html)
