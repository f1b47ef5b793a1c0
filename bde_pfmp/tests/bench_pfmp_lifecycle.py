"""Benchmark of the daily life-cycle cron of the placements (not a test: it
prints figures and asserts only what the cron moved).

One class of ``BDE_BENCH_LIFECYCLE_STUDENTS`` students (200 by default), each
with a placement that ended yesterday with its days done confirmed and a
signed one that starts today, built in the test transaction and rolled back.
It times the cron's run ("Run manually") that ends the first and starts the
second, beside its lower bound, the same two moves as two SQL ``UPDATE``
statements; median of 3 runs, each rolled back, with the queries.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time
from contextlib import suppress

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import BdePfmpCase

STUDENTS = int(os.environ.get("BDE_BENCH_LIFECYCLE_STUDENTS", "200"))
RUNS = 3
TODAY = "2025-11-03"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
LOWER_BOUND_SQL = """
    UPDATE bde_pfmp_placement SET state = 'done'
     WHERE state = 'in_progress' AND date_end < %(today)s
       AND attendance_confirmed_date IS NOT NULL;
    UPDATE bde_pfmp_placement SET state = 'in_progress'
     WHERE state = 'signed' AND date_start <= %(today)s;
"""


class Rollback(Exception):
    """Undo one measured run."""


@tagged("post_install", "-at_install", "bde_pfmp")
class BenchPfmpLifecycle(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=QUIET)
        earlier = env["bde.pfmp.period"].create(
            {
                "name": "PFMP 0",
                "class_id": cls.school_class.id,
                "date_start": "2025-10-06",
                "date_end": "2025-10-31",
            }
        )
        students = env["res.partner"].create(
            [
                {
                    "name": f"Élève {index:04d}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-01-10",
                    "bde_class_id": cls.school_class.id,
                    "company_id": cls.lycee.id,
                }
                for index in range(STUDENTS)
            ]
        )
        common = {
            "partner_id": cls.company_partner.id,
            "tutor_id": cls.tutor.id,
        }
        cls.ending = env["bde.pfmp.placement"].create(
            [
                {
                    **common,
                    "student_id": student.id,
                    "period_id": earlier.id,
                    "state": "in_progress",
                    "days_done": 19,
                    "attendance_confirmed_date": "2025-10-31",
                }
                for student in students
            ]
        )
        cls.starting = env["bde.pfmp.placement"].create(
            [
                {
                    **common,
                    "student_id": student.id,
                    "period_id": cls.period.id,
                    "state": "signed",
                }
                for student in students
            ]
        )

    def _measure(self, function):
        """Median seconds and queries of ``function`` over RUNS runs, each
        rolled back."""
        runs = []
        for _run in range(RUNS):
            with suppress(Rollback), self.cr.savepoint():
                self.env.invalidate_all()
                queries = self.cr.sql_log_count
                started = time.perf_counter()
                function()
                self.env.flush_all()
                runs.append(
                    (time.perf_counter() - started, self.cr.sql_log_count - queries)
                )
                raise Rollback
        self.env.invalidate_all()
        return (
            statistics.median(seconds for seconds, _queries in runs),
            statistics.median(queries for _seconds, queries in runs),
        )

    def test_bench_lifecycle_cron(self):
        cron = self.env.ref("bde_pfmp.ir_cron_pfmp_lifecycle")

        def run_cron():
            cron.method_direct_trigger()
            self.assertEqual(set(self.ending.mapped("state")), {"done"})
            self.assertEqual(set(self.starting.mapped("state")), {"in_progress"})

        def lower_bound():
            self.env.flush_all()
            self.cr.execute(SQL(LOWER_BOUND_SQL, today=TODAY))

        # Ticking: the clock the runs are timed with moves on.
        with freeze_time(TODAY, tick=True):
            cron_seconds, cron_queries = self._measure(run_cron)
            sql_seconds, sql_queries = self._measure(lower_bound)
        lines = [
            f"PFMP life-cycle cron, {STUDENTS} placements ended and {STUDENTS} "
            "started (median of 3)",
            f"  cron run: {cron_seconds:.3f} s, {cron_queries} queries",
            f"  lower bound (two SQL UPDATEs): {sql_seconds:.4f} s, "
            f"{sql_queries} queries",
            f"  ratio: {cron_seconds / sql_seconds:.0f}x",
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
