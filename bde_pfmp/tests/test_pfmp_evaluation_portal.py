"""The tutor fills the skills evaluations through HTTP: from their trainee's
page to the survey's own pages, with a portal account or their personal
link; refused to another tutor and for another lycée's placement."""

from urllib.parse import urlparse

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .test_pfmp_evaluation import BdePfmpEvaluationCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpEvaluationPortal(HttpCase, BdePfmpEvaluationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tutor.email = "paul.tuteur@example.com"
        cls.user_tutor = new_test_user(
            cls.env,
            login="tutor_portal",
            password="tutor_portal_pw",
            groups="base.group_portal",
            partner_id=cls.tutor.id,
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Nadia Collègue", "parent_id": cls.company_partner.id}
        )
        cls.colleague_placement = cls._make_placement(
            student=cls.student_adult, tutor_id=cls.colleague.id
        )
        cls._start(cls.colleague_placement)
        cls.other_placement = cls._make_other_lycee_placement(
            tutor_id=cls.colleague.id, state="host_found"
        )
        cls._start(cls.other_placement)

    def _open(self, placement, phase, token=None):
        data = {"csrf_token": http.Request.csrf_token(self)}
        if token:
            data["access_token"] = token
        return self.url_open(f"/my/pfmp/{placement.id}/skills/{phase}", data=data)

    def _submit(self, response, level):
        """Answer every skill at ``level`` on the survey's page opened by
        ``response``, as its script posts it."""
        survey_token, answer_token = urlparse(response.url).path.split("/")[-2:]
        answer = self.env["survey.user_input"].search(
            [("access_token", "=", answer_token)]
        )
        grid = answer.survey_id
        values = {}
        for question in grid.question_ids:
            if question.question_type == "matrix":
                column = question.suggested_answer_ids.filtered(
                    lambda column: column.value == level
                )
                values[str(question.id)] = {
                    str(row.id): [str(column.id)] for row in question.matrix_row_ids
                }
        base = f"{survey_token}/{answer_token}"
        self.make_jsonrpc_request(f"/survey/begin/{base}", {})
        return answer, self.make_jsonrpc_request(f"/survey/submit/{base}", values)

    def test_tutor_fills_midterm_then_final(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        page = self.url_open(f"/my/pfmp/{self.placement.id}")
        self.assertIn("Skills evaluation", page.text)
        self.assertIn(f"/my/pfmp/{self.placement.id}/skills/midterm", page.text)
        response = self._open(self.placement, "midterm")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/survey/{self.grid.access_token}/", response.url)
        self.assertIn("Grille réseau MCV", response.text)
        answer, result = self._submit(response, "Satisfactory")
        self.assertNotIn("error", result[1])
        self.assertEqual(answer.partner_id, self.tutor)
        self.assertEqual(self._evaluation("midterm").state, "done")
        self.assertFalse(self.placement.tutor_evaluation_date)
        # Done: its button gives way to the date; it cannot be answered twice.
        self.assertIn("Sent on", self.url_open(f"/my/pfmp/{self.placement.id}").text)
        _answer, again = self._submit(response, "Fragile")
        self.assertEqual(again[1]["error"], "unauthorized")
        final, result = self._submit(self._open(self.placement, "final"), "Very good")
        self.assertNotIn("error", result[1])
        self.assertEqual(self._evaluation("final").state, "done")
        self.assertEqual(str(self.placement.tutor_evaluation_date), "2025-11-20")
        self.assertEqual(
            final.user_input_line_ids.suggested_answer_id.mapped("value"),
            ["Very good"],
        )

    def test_through_the_personal_link(self):
        self.authenticate(None, None)
        token = self.colleague_placement._portal_ensure_token()
        response = self._open(self.colleague_placement, "midterm", token)
        self.assertIn(f"/survey/{self.grid.access_token}/", response.url)
        answer, result = self._submit(response, "Fragile")
        self.assertNotIn("error", result[1])
        self.assertEqual(answer.partner_id, self.colleague)
        self.assertEqual(
            self._evaluation("midterm", self.colleague_placement).state, "done"
        )

    def test_refused_to_another_tutor_and_lycee(self):
        self.authenticate("tutor_portal", "tutor_portal_pw")
        # A colleague's trainee: not even known to exist.
        self.assertEqual(
            self._open(self.colleague_placement, "midterm").status_code, 404
        )
        self.assertFalse(self.colleague_placement.evaluation_ids.sudo().user_input_id)
        # Another lycée's placement, even with a link of this lycée's.
        token = self.placement._portal_ensure_token()
        response = self._open(self.other_placement, "midterm", token)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.other_placement.evaluation_ids.sudo().user_input_id)
        # An unknown phase.
        self.assertEqual(self._open(self.placement, "weekly").status_code, 404)
        # The other lycée's BDE team does not answer for the tutor.
        self.authenticate("bde_other_officer", "bde_other_officer")
        self.assertEqual(self._open(self.placement, "midterm").status_code, 404)
        self.assertFalse(self.placement.evaluation_ids.sudo().user_input_id)

    def test_answer_closes_when_the_tutor_changes(self):
        self.authenticate(None, None)
        token = self.colleague_placement._portal_ensure_token()
        response = self._open(self.colleague_placement, "midterm", token)
        self.colleague_placement.tutor_id = self.tutor
        answer, result = self._submit(response, "Fragile")
        self.assertEqual(result[1]["error"], "answer_deadline")
        self.assertEqual(answer.state, "new")
        self.assertEqual(
            self._evaluation("midterm", self.colleague_placement).state, "todo"
        )
