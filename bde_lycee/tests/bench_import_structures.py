"""Benchmark of the classes and formations planned from a SIECLE file (not a
test: it prints figures and asserts only that the plan is what it says).

A new school year: a SIECLE file of 1,200 students in 40 divisions that the
lycée has no class of yet, each with a MEF of the national nomenclature
(BDE_BENCH_STUDENTS and BDE_BENCH_DIVISIONS to change the sizes). It
measures, median of 3, beside the lower bound in the same run:

- the plan alone (which classes and formations are missing), against one SQL
  query joining the file's MEFs to the nomenclature and the formations;
- the Check button (reading, planning, checking every row and the preview),
  against reading the file alone, the floor of any check.
"""

import base64
import csv
import io
import os
import statistics
import time

from odoo.tests import TransactionCase, tagged

from .siecle_file import HEADER, student_row

STUDENTS = int(os.environ.get("BDE_BENCH_STUDENTS", "1200"))
DIVISIONS = int(os.environ.get("BDE_BENCH_DIVISIONS", "40"))
RUNS = int(os.environ.get("BDE_BENCH_RUNS", "3"))
SCHOOL_YEAR = "2026-2027"


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class BenchImportStructures(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench Structures", "bde_uai": "0693456G"}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        cls.mefs = cls.env["bde.mef"].search(
            [("level", "in", ("cap", "bac_pro"))], limit=DIVISIONS
        )
        divisions = [f"N{index:03d}" for index in range(DIVISIONS)]
        mef_of = dict(zip(divisions, cls.mefs.mapped("code"), strict=True))
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";")
        writer.writerow([*HEADER, "MEF"])
        for index in range(STUDENTS):
            row = student_row(index, divisions)
            writer.writerow([*row, mef_of[row[4]]])
        cls.wizard = cls.env["bde.student.import"].create(
            {
                "file": base64.b64encode(output.getvalue().encode()),
                "file_name": "siecle.csv",
                "school_year": SCHOOL_YEAR,
            }
        )
        cls.rows = cls.wizard._read_rows()

    def _median(self, function):
        """Median seconds and the queries of ``RUNS`` runs of ``function``."""
        runs = []
        for _run in range(RUNS):
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            function()
            self.env.flush_all()
            runs.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries)
            )
        return statistics.median(s for s, _q in runs), max(q for _s, q in runs)

    def _sql_plan(self):
        self.cr.execute(
            """SELECT m.code, m.diploma_code, f.id
                 FROM bde_mef m
            LEFT JOIN bde_formation f
                   ON f.diploma_code = m.diploma_code
                  AND (f.company_id IS NULL OR f.company_id = %s)
                WHERE m.code = ANY(%s)""",
            [self.lycee.id, self.mefs.mapped("code")],
        )
        return self.cr.fetchall()

    def test_bench_plan_and_check(self):
        plan = self.wizard._plan_structures(self.rows)
        self.assertEqual(len(plan.classes), DIVISIONS)
        figures = {
            "plan": self._median(lambda: self.wizard._plan_structures(self.rows)),
            "one SQL query": self._median(self._sql_plan),
            "Check button": self._median(self.wizard.action_check),
            "reading the file": self._median(self.wizard._read_rows),
        }
        self.assertEqual(self.wizard.planned_class_count, DIVISIONS)
        print(  # the figures, shown under "benchmark figures"
            f"\nimport structures: {STUDENTS} students, {DIVISIONS} new "
            f"divisions, {len(plan.formations)} new formations, median of {RUNS}"
        )
        for name, (seconds, queries) in figures.items():
            print(f"  {name:<18} {seconds * 1000:8.1f} ms {queries:5d} queries")
