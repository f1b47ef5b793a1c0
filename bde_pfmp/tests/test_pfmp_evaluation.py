"""Skills grids per diploma, the tutor's mid-term and final evaluations, the
visit report and the CCF print; two lycées, each role."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext

from .common import BdePfmpCase

LEVELS = ["Not assessed", "Insufficient", "Fragile", "Satisfactory", "Very good"]


class BdePfmpEvaluationCase(BdePfmpCase):
    # During the fixture's placements (November 2025): the tutor's answers
    # close some days after the placement's end, as their link.
    freeze_time = "2025-11-20 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grid = cls._make_grid("Grille réseau MCV", formations=cls.formation)
        cls.placement = cls._make_placement()
        cls._start(cls.placement)

    @classmethod
    def _make_grid(cls, title, formations=None, company=None, skills=("Vendre",)):
        Question = cls.env["survey.question"]
        grid = cls.env["survey.survey"].create(
            {
                "title": title,
                "survey_type": "pfmp_grid",
                "access_mode": "token",
                "questions_layout": "one_page",
                "is_attempts_limited": False,
                "bde_pfmp_formation_ids": [
                    (6, 0, (formations or []) and formations.ids)
                ],
                "bde_pfmp_company_id": company and company.id,
            }
        )
        Question.create(
            {
                "survey_id": grid.id,
                "title": "Bloc 1 – Conseiller et vendre",
                "question_type": "matrix",
                "matrix_subtype": "simple",
                "constr_mandatory": True,
                "suggested_answer_ids": [(0, 0, {"value": level}) for level in LEVELS],
                "matrix_row_ids": [(0, 0, {"value": skill}) for skill in skills],
            }
        )
        Question.create(
            {"survey_id": grid.id, "title": "Comments", "question_type": "text_box"}
        )
        return grid

    @classmethod
    def _start(cls, placement):
        placement.sudo()._write_trusted({"state": "signed"})
        placement.action_start()

    def _evaluation(self, phase, placement=None):
        return (placement or self.placement).evaluation_ids.filtered(
            lambda evaluation: evaluation.phase == phase
        )

    def _answer(self, evaluation, level, comment=""):
        """The tutor's answers to the grid, as the survey's pages save them."""
        answer = evaluation.sudo()._bde_answer_for(self.tutor)
        for question in evaluation.survey_id.question_ids:
            if question.question_type == "matrix":
                column = question.suggested_answer_ids.filtered(
                    lambda column: column.value == level
                )
                answers = {row.id: [column.id] for row in question.matrix_row_ids}
                answer._save_lines(question, answers)
            elif comment:
                answer._save_lines(question, comment)
        answer._mark_done()
        return answer


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpEvaluation(BdePfmpEvaluationCase):
    def test_grid_picked_by_the_formation(self):
        Survey = self.env["survey.survey"]
        # The network's grid naming the formation, before the shipped grid
        # matching its diploma code only.
        shipped = self.env.ref("bde_pfmp.bde_pfmp_grid_mcv")
        self.assertEqual(shipped.bde_pfmp_diploma_code, self.formation.diploma_code)
        self.assertEqual(
            Survey._bde_pfmp_grid_for(self.formation, self.lycee), self.grid
        )
        self.grid.bde_pfmp_formation_ids = False
        self.assertEqual(Survey._bde_pfmp_grid_for(self.formation, self.lycee), shipped)
        self.grid.bde_pfmp_formation_ids = self.formation
        # The lycée's own copy, made by its BDE team, before the network's;
        # the other lycée keeps the network's.
        action = self.grid.with_user(self.user_officer).action_bde_pfmp_copy_for_lycee()
        copy = Survey.browse(action["res_id"])
        self.assertEqual(copy.bde_pfmp_company_id, self.lycee)
        self.assertEqual(len(copy.question_ids), 2)
        self.assertEqual(Survey._bde_pfmp_grid_for(self.formation, self.lycee), copy)
        self.assertEqual(
            Survey._bde_pfmp_grid_for(self.formation, self.other_lycee), self.grid
        )
        placement = self._make_placement(
            student=self.student_adult, date_start="2025-12-01", date_end="2025-12-12"
        )
        self._start(placement)
        self.assertEqual(placement.evaluation_ids.survey_id, copy)

    def test_evaluations_created_when_the_placement_starts(self):
        self.assertEqual(
            sorted(self.placement.evaluation_ids.mapped("phase")), ["final", "midterm"]
        )
        self.assertEqual(self.placement.evaluation_ids.survey_id, self.grid)
        self.assertEqual(set(self.placement.evaluation_ids.mapped("state")), {"todo"})
        # Once: on demand again, nothing more.
        self.placement.with_user(self.user_officer).action_bde_create_evaluations()
        self.assertEqual(len(self.placement.evaluation_ids), 2)

    def _signed_placements(self, count):
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève {count}-{index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2007-01-01",
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(count)
            ]
        )
        placements = self.env["bde.pfmp.placement"]
        for student in students:
            placements |= self._make_placement(student=student)
        placements.sudo()._write_trusted({"state": "signed"})
        return placements

    def test_queries_do_not_grow_with_the_class(self):
        counts = []
        for count in (1, 5):
            placements = self._signed_placements(count)
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            placements._bde_create_evaluations()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(placements.evaluation_ids), 2 * count)
        # The first run also warms the ORM's caches: never more for 5.
        self.assertLessEqual(counts[1], counts[0])

    def test_created_on_demand_by_the_staff(self):
        formation = self.env["bde.formation"].create(
            {"name": "CAP sans grille", "level": "cap", "diploma_code": "50099999"}
        )
        school_class = self.env["bde.class"].create(
            {
                "name": "1 CAP test",
                "formation_id": formation.id,
                "school_year": "2025-2026",
                "company_id": self.lycee.id,
                "teacher_id": self.user_teacher.id,
            }
        )
        self.student_adult.bde_class_id = school_class
        placement = self._make_placement(
            student=self.student_adult,
            period_id=False,
            class_id=school_class.id,
            date_start="2025-12-01",
            date_end="2025-12-12",
        )
        self._start(placement)
        self.assertFalse(placement.evaluation_ids)
        with self.assertRaisesRegex(UserError, "No skills grid"):
            placement.with_user(self.user_officer).action_bde_create_evaluations()
        self.grid.bde_pfmp_formation_ids |= formation
        placement.with_user(self.user_teacher).action_bde_create_evaluations()
        self.assertEqual(len(placement.evaluation_ids), 2)
        # Nobody writes an evaluation: only the tutor's answer fills it.
        with self.assertRaises(AccessError):
            placement.evaluation_ids.with_user(self.user_officer).write(
                {"state": "done"}
            )

    def test_final_evaluation_dates_the_tutors_evaluation(self):
        midterm, final = self._evaluation("midterm"), self._evaluation("final")
        self._answer(midterm, "Fragile", "Doit gagner en assurance.")
        self.assertEqual(midterm.state, "done")
        self.assertEqual(midterm.evaluated_by_id, self.tutor)
        self.assertFalse(self.placement.tutor_evaluation_date)
        self._answer(final, "Satisfactory")
        self.assertEqual(final.state, "done")
        self.assertTrue(self.placement.tutor_evaluation_date)
        self.assertIn(
            "filled the final skills evaluation",
            str(self.placement.message_ids[:1].body),
        )
        # The levels, read by the teacher on the evaluation.
        text = html2plaintext(midterm.with_user(self.user_teacher).result_html)
        self.assertIn("Vendre", text)
        self.assertIn("Fragile", text)
        self.assertIn("Doit gagner en assurance.", text)

    def test_tutor_reminded_until_the_final_grid(self):
        # Days done confirmed and the overall appreciation given: the final
        # grid is still to fill, and the tutor is reminded of it alone.
        self.tutor.email = "paul.tuteur@example.com"
        self.placement.sudo()._confirm_attendance(10, self.tutor)
        self.placement.sudo()._submit_tutor_evaluation("3", "Bien", self.tutor)
        Placement = self.env["bde.pfmp.placement"]
        with freeze_time("2025-11-23"):
            Placement._cron_remind_tutors()
        reminder = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", self.tutor.ids),
                ("subject", "ilike", "évaluation à compléter"),
            ]
        )
        self.assertEqual(len(reminder), 1)
        self.assertIn("remplir l'évaluation", reminder.body_html)
        self.assertNotIn("confirmer le nombre de jours", reminder.body_html)
        self._answer(self._evaluation("final"), "Satisfactory")
        with freeze_time("2025-11-29"):
            Placement._cron_remind_tutors()
        self.assertFalse(self.placement.tutor_reminder_after_date)

    def test_only_the_tutor_answers(self):
        colleague = self.env["res.partner"].create(
            {"name": "Nadia Collègue", "parent_id": self.company_partner.id}
        )
        with self.assertRaisesRegex(UserError, "Only the tutor"):
            self._evaluation("midterm").sudo()._bde_answer_for(colleague)
        answer = self._evaluation("midterm").sudo()._bde_answer_for(self.tutor)
        self.assertTrue(self._evaluation("midterm")._bde_answer_open(answer))
        # A new tutor: the former's answer closes, the new one gets their own.
        self.placement.tutor_id = colleague
        self.assertFalse(self._evaluation("midterm")._bde_answer_open(answer))
        new_answer = self._evaluation("midterm").sudo()._bde_answer_for(colleague)
        self.assertNotEqual(new_answer, answer)
        self.assertEqual(new_answer.partner_id, colleague)

    def test_access_by_role_and_lycee(self):
        answer = self._answer(self._evaluation("midterm"), "Satisfactory")
        evaluations = self.placement.evaluation_ids
        Evaluation = self.env["bde.pfmp.evaluation"]
        other_teacher = new_test_user(
            self.env,
            login="bde_other_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        self.assertEqual(
            Evaluation.with_user(self.user_teacher).search([]), evaluations
        )
        self.assertEqual(
            Evaluation.with_user(self.user_officer).search([]), evaluations
        )
        self.assertFalse(Evaluation.with_user(other_teacher).search([]))
        self.assertFalse(Evaluation.with_user(self.user_other_lycee).search([]))
        # The answers in the survey app: the BDE team of the lycée reads
        # them, the other lycée's never, nobody writes them.
        UserInput = self.env["survey.user_input"]
        domain = [("survey_id", "=", self.grid.id)]
        self.assertEqual(UserInput.with_user(self.user_officer).search(domain), answer)
        self.assertFalse(UserInput.with_user(self.user_other_lycee).search(domain))
        Line = self.env["survey.user_input.line"]
        self.assertTrue(Line.with_user(self.user_officer).search(domain))
        self.assertFalse(Line.with_user(self.user_other_lycee).search(domain))
        with self.assertRaises(AccessError):
            answer.with_user(self.user_other_lycee).check_access("read")
        with self.assertRaises(AccessError):
            answer.with_user(self.user_officer).write({"state": "new"})
        with self.assertRaises(AccessError):
            self._evaluation("midterm").with_user(self.user_other_lycee).read(
                ["result_html"]
            )

    def test_grids_of_a_lycee_and_of_the_network(self):
        copy = self._make_grid("Grille Jaurès", self.formation, self.lycee)
        Survey = self.env["survey.survey"]
        grids = [("survey_type", "=", "pfmp_grid")]
        self.assertIn(copy, Survey.with_user(self.user_officer).search(grids))
        self.assertNotIn(copy, Survey.with_user(self.user_other_lycee).search(grids))
        self.assertIn(self.grid, Survey.with_user(self.user_other_lycee).search(grids))
        question = copy.question_ids[:1]
        row = question.matrix_row_ids[:1]
        for record in (copy, question, row):
            with self.assertRaises(AccessError):
                record.with_user(self.user_other_lycee).check_access("read")
        # The lycée edits its copy, never the network's grid.
        copy.with_user(self.user_officer).title = "Grille Jaurès 2026"
        row.with_user(self.user_officer).value = "Vendre en omnicanal"
        network_row = self.grid.question_ids.matrix_row_ids[:1]
        for record, values in (
            (self.grid, {"title": "Changed"}),
            (self.grid.question_ids[:1], {"title": "Changed"}),
            (network_row, {"value": "Changed"}),
        ):
            with self.assertRaises(AccessError):
                record.with_user(self.user_officer).write(values)

    def test_ccf_print_with_the_visit_report(self):
        self._answer(self._evaluation("midterm"), "Fragile", "Progresse bien.")
        self._answer(self._evaluation("final"), "Very good")
        self.env["bde.pfmp.visit"].create(
            {
                "placement_id": self.placement.id,
                "date": "2025-11-14",
                "date_done": "2025-11-14",
                "user_id": self.user_teacher.id,
                "met_tutor": True,
                "met_others": "Le gérant",
                "activities_done": "Mise en rayon et encaissement, comme prévu.",
                "behaviour": "Ponctuelle et souriante.",
                "skills_observed": "Accueil du client.",
                "followup_actions": "Une vente complète par jour.",
            }
        )
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.user_teacher)
            ._render_qweb_html(
                "bde_pfmp.action_report_bde_pfmp_evaluation", self.placement.ids
            )
        )
        text = html2plaintext(html.decode())
        for expected in (
            "PFMP skills evaluation",
            "Léa Martin",
            "Bac pro MCV test",
            "Boulangerie Test",
            "Paul Tuteur",
            "Bloc 1 – Conseiller et vendre",
            "Vendre",
            "Fragile",
            "Very good",
            "Progresse bien.",
            "Le gérant",
            "Mise en rayon et encaissement, comme prévu.",
            "Une vente complète par jour.",
            "The referent teacher",
        ):
            self.assertIn(expected, text)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(
                self.user_other_lycee
            )._render_qweb_html(
                "bde_pfmp.action_report_bde_pfmp_evaluation", self.placement.ids
            )
