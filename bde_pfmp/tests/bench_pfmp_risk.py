"""Benchmark of the list of students at risk (not a test: it prints figures
and asserts only that the list's and SQL's counts agree).

A lycée of 1,200 students (``BDE_BENCH_RISK_STUDENTS``) in 12 classes, each
in a PFMP period under way; a sixth of the students without placement, the
others' placements in states from "searching" to "in progress", conventions
signed or not; built in the test transaction and rolled back. The list is
read as the BDE officer's web client reads it (the at-risk rows, first page
of 80 with the list's columns, and their count), and the lycée's figures
row; median of 3 runs with an empty cache, beside the lower bound: one SQL
count of the at-risk rows.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time
from datetime import timedelta

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.bde_lycee.models.res_company import uai_check_letter
from odoo.addons.bde_lycee.school_year import (
    lycee_today,
    school_year_bounds,
    school_year_of,
)

STUDENTS = int(os.environ.get("BDE_BENCH_RISK_STUDENTS", "1200"))
CLASSES = 12
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# By student, in turn: no placement, then these states (signatures dated
# for the signed ones).
STATES = (None, "searching", "host_found", "to_sign", "signed", "in_progress")
SIGNATURES = (
    "date_signed_school",
    "date_signed_host",
    "date_signed_tutor",
    "date_signed_teacher",
    "date_signed_student",
    "date_signed_guardian",
)
LIST_FIELDS = [
    "student_id",
    "is_minor",
    "class_id",
    "period_id",
    "date_start",
    "date_end",
    "placement_id",
    "placement_state",
    "signature_progress",
    "teacher_id",
    "risk_reason",
    "is_at_risk",
    "company_id",
]


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestPfmpRiskBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        started = time.perf_counter()
        uai = "0123457"
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench Risk", "bde_uai": f"{uai}{uai_check_letter(uai)}"}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        cls.officer = new_test_user(
            cls.env,
            login="bench_risk_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=cls.lycee.ids,
        )
        cls.today = lycee_today()
        cls.year = school_year_of(cls.today)
        cls.periods = cls._create_periods()
        cls._create_students_and_placements()
        cls.env.flush_all()
        cls.env.cr.execute("ANALYZE bde_pfmp_placement, res_partner, bde_pfmp_period")
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _create_periods(cls):
        first_day, last_day = school_year_bounds(cls.year)
        start = max(cls.today - timedelta(days=7), first_day)
        formation = cls.env["bde.formation"].create(
            {"name": "Bac pro bench risk", "level": "bac_pro", "duration_years": 3}
        )
        classes = cls.env["bde.class"].create(
            [
                {
                    "name": f"Risk class {index}",
                    "formation_id": formation.id,
                    "school_year": cls.year,
                    "company_id": cls.lycee.id,
                    "teacher_id": cls.officer.id,
                }
                for index in range(CLASSES)
            ]
        )
        return cls.env["bde.pfmp.period"].create(
            [
                {
                    "name": "PFMP bench",
                    "class_id": school_class.id,
                    "date_start": start,
                    "date_end": min(start + timedelta(days=27), last_day),
                }
                for school_class in classes
            ]
        )

    @classmethod
    def _create_students_and_placements(cls):
        host = cls.env["res.partner"].create({"name": "Bench host", "is_company": True})
        tutor = cls.env["res.partner"].create(
            {"name": "Bench tutor", "parent_id": host.id}
        )
        students = cls.env["res.partner"].create(
            [
                {
                    "name": f"Risk student {index}",
                    "bde_is_student": True,
                    "bde_birthdate": cls.today - timedelta(days=365 * (16 + index % 4)),
                    "bde_class_id": cls.periods[index % CLASSES].class_id.id,
                    "company_id": cls.lycee.id,
                }
                for index in range(STUDENTS)
            ]
        )
        values = []
        for index, student in enumerate(students):
            state = STATES[index % len(STATES)]
            if not state:
                continue
            period = cls.periods[index % CLASSES]
            hosted = state != "searching"
            signed = state in ("signed", "in_progress") and index % 4
            values.append(
                {
                    **period._prepare_placement_values(student),
                    "partner_id": hosted and host.id,
                    "tutor_id": hosted and tutor.id,
                    "state": state,
                    **{name: cls.today for name in SIGNATURES if signed},
                }
            )
        cls.env["bde.pfmp.placement"].create(values)

    def _median(self, run):
        timings = []
        for _run in range(RUNS):
            self.env.invalidate_all()
            started = time.perf_counter()
            result = run()
            timings.append(time.perf_counter() - started)
        return statistics.median(timings) * 1000, result

    def _read_list(self):
        Risk = self.env["bde.pfmp.risk"].with_user(self.officer)
        domain = [("is_at_risk", "=", True)]
        Risk.search_read(domain, LIST_FIELDS, limit=80)
        return Risk.search_count(domain)

    def _read_figures(self):
        Report = self.env["bde.lycee.report"].with_user(self.officer)
        [row] = Report.search_read(
            [("company_id", "=", self.lycee.id), ("school_year", "=", self.year)],
            ["pfmp_at_risk_count"],
        )
        return row["pfmp_at_risk_count"]

    def _sql_count(self):
        self.env.cr.execute(
            "SELECT count(*) FROM bde_pfmp_risk WHERE company_id = %s AND is_at_risk",
            [self.lycee.id],
        )
        return self.env.cr.fetchone()[0]

    def test_read_at_risk_list(self):
        list_ms, listed = self._median(self._read_list)
        figures_ms, counted = self._median(self._read_figures)
        sql_ms, expected = self._median(self._sql_count)
        self.assertEqual(listed, expected)
        self.assertEqual(counted, expected)
        print(
            f"\nStudents at risk, {STUDENTS} students in {CLASSES} classes in a "
            f"period (setup {self.setup_time:.1f} s), {expected} at risk:"
            f"\n  at-risk list as the officer (80 rows + count): {list_ms:.1f} ms"
            f"\n  lycée's figures row: {figures_ms:.1f} ms"
            f"\n  lower bound, one SQL count: {sql_ms:.1f} ms"
        )
