"""Benchmark of the skills evaluations (not a test: it prints figures).

A class of 30 placements (``BDE_BENCH_EVAL_PLACEMENTS`` for more) on a grid
of 12 skills, built in the test transaction and rolled back. It measures,
median of 3, each beside its lower bound:

- a whole class starting: its mid-term and final evaluations created, beside
  one SQL ``INSERT … SELECT`` of the same rows;
- the class's CCF print (HTML of every placement: the levels at mid-term and
  at the end, comments, visits), once both evaluations are filled, beside one
  SQL query reading the same levels.
"""

import os
import statistics
import time

from odoo.tests import tagged
from odoo.tools import SQL

from .test_pfmp_evaluation import BdePfmpEvaluationCase

PLACEMENTS = int(os.environ.get("BDE_BENCH_EVAL_PLACEMENTS", "30"))
SKILLS = tuple(f"Compétence {index}" for index in range(1, 13))


@tagged("post_install", "-at_install", "bde_pfmp_bench")
class TestPfmpEvaluationBenchmark(BdePfmpEvaluationCase):
    # Real clocks: freezegun would stop the timer.
    freeze_time = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grid.bde_pfmp_formation_ids = False
        cls.bench_grid = cls._make_grid("Grille bench", cls.formation, skills=SKILLS)
        students = cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève bench {index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2007-01-01",
                    "bde_class_id": cls.school_class.id,
                    "company_id": cls.lycee.id,
                }
                for index in range(PLACEMENTS)
            ]
        )
        cls.class_placements = cls.env["bde.pfmp.placement"]
        for student in students:
            cls.class_placements |= cls._make_placement(student=student)
        cls.class_placements.sudo()._write_trusted({"state": "signed"})

    def _median(self, function, prepare=None):
        times, queries = [], []
        for _run in range(3):
            if prepare:
                prepare()
            self.env.flush_all()
            self.env.invalidate_all()
            before, start = self.cr.sql_log_count, time.perf_counter()
            function()
            self.env.flush_all()
            times.append(time.perf_counter() - start)
            queries.append(self.cr.sql_log_count - before)
        return statistics.median(times), statistics.median(queries)

    def _drop_evaluations(self):
        self.class_placements.evaluation_ids.sudo().unlink()

    def _insert_alone(self):
        self.cr.execute(
            SQL(
                """INSERT INTO bde_pfmp_evaluation
                       (placement_id, company_id, student_id, class_id, phase,
                        survey_id, state)
                   SELECT p.id, p.company_id, p.student_id, p.class_id, phase,
                          %s, 'todo'
                     FROM bde_pfmp_placement p,
                          unnest(ARRAY['midterm', 'final']) phase
                    WHERE p.id IN %s""",
                self.bench_grid.id,
                tuple(self.class_placements.ids),
            )
        )

    def _levels_alone(self):
        self.cr.execute(
            SQL(
                """SELECT e.placement_id, e.phase, row.value, col.value
                     FROM bde_pfmp_evaluation e
                     JOIN survey_user_input_line line
                       ON line.user_input_id = e.user_input_id
                     JOIN survey_question_answer row ON row.id = line.matrix_row_id
                     JOIN survey_question_answer col
                       ON col.id = line.suggested_answer_id
                    WHERE e.placement_id IN %s""",
                tuple(self.class_placements.ids),
            )
        )
        return self.cr.fetchall()

    def _print(self):
        self.env["ir.actions.report"].with_user(self.user_teacher)._render_qweb_html(
            "bde_pfmp.action_report_bde_pfmp_evaluation", self.class_placements.ids
        )

    def test_bench_evaluations(self):
        create = self._median(
            self.class_placements._bde_create_evaluations, self._drop_evaluations
        )
        insert = self._median(self._insert_alone, self._drop_evaluations)
        self._drop_evaluations()
        self.class_placements.sudo()._write_trusted({"state": "in_progress"})
        for evaluation in self.class_placements.evaluation_ids:
            self._answer(evaluation, "Satisfactory", "Bon travail.")
        print_figures = self._median(self._print)
        levels = self._median(self._levels_alone)
        self.assertEqual(len(self._levels_alone()), 2 * PLACEMENTS * len(SKILLS))
        rows = [
            ("a class starts: its evaluations created", create),
            ("the same rows by one INSERT … SELECT", insert),
            ("the class's CCF print (HTML)", print_figures),
            ("the same levels by one SQL query", levels),
        ]
        lines = [f"skills evaluations, {PLACEMENTS} placements, {len(SKILLS)} skills"]
        lines += [
            f"{label}: {seconds:.3f} s, {queries:.0f} queries"
            for label, (seconds, queries) in rows
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
