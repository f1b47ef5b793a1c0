"""The tutor's skills evaluations and the referent teacher's visit reports
are the student's personal data: the anonymisation erases them, and keeps the
evaluation (its phase, its state) for the lycée's figures. Two lycées: the
other lycée's student keeps theirs."""

from odoo.tests import tagged

from odoo.addons.bde_pfmp.tests.test_pfmp_evaluation import BdePfmpEvaluationCase

MARKER = "Marqueur-personnel-7f3a"


@tagged("post_install", "-at_install", "bde_alumni")
class TestRetentionPfmpEvaluation(BdePfmpEvaluationCase):
    def _fill(self, placement):
        evaluation = placement.evaluation_ids.filtered(
            lambda evaluation: evaluation.phase == "midterm"
        )
        answer = self._answer(evaluation, "Fragile", f"{MARKER} progresse.")
        visit = self.env["bde.pfmp.visit"].create(
            {
                "placement_id": placement.id,
                "date": "2025-11-14",
                "date_done": "2025-11-14",
                "met_tutor": True,
                "met_others": MARKER,
                "activities_done": MARKER,
                "behaviour": MARKER,
                "skills_observed": MARKER,
                "followup_actions": MARKER,
                "report": f"<p>{MARKER}</p>",
            }
        )
        return evaluation, answer, visit

    def test_evaluation_answers_and_visit_reports_erased(self):
        evaluation, answer, visit = self._fill(self.placement)
        other = self._make_other_lycee_placement(
            tutor_id=self.tutor.id, state="host_found"
        )
        self._start(other)
        other_evaluation, other_answer, other_visit = self._fill(other)
        self.assertEqual(len(answer.user_input_line_ids), 2)

        self.student._bde_alumni_anonymise()

        self.assertFalse(answer.user_input_line_ids)
        self.assertTrue(evaluation.exists())
        self.assertEqual(evaluation.state, "done")
        for field in (
            "met_others",
            "activities_done",
            "behaviour",
            "skills_observed",
            "followup_actions",
            "report",
        ):
            self.assertFalse(visit[field], field)
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "bde_pfmp.action_report_bde_pfmp_evaluation", self.placement.ids
        )
        self.assertNotIn(MARKER, html.decode())
        # The other lycée's student keeps theirs.
        self.assertEqual(len(other_answer.user_input_line_ids), 2)
        self.assertEqual(other_visit.behaviour, MARKER)
        self.assertEqual(other_evaluation.state, "done")
