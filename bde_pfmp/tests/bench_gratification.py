"""Benchmark of the host's gratification (not a test: it prints figures and
asserts only that the ORM and SQL agree on which students are owed one).

A class of 300 students (``BDE_BENCH_GRATIFICATION_STUDENTS`` for another
size), each with two placements of six weeks in the school year, half of them
with the same host (owed a gratification: 60 days), half with two hosts (30
days each, owed nothing), built in the test transaction and rolled back. It
measures the gratification of every placement of the class as the placements'
list computes it (the siblings, schedules, public holidays and rates read for
the whole batch), beside its lower bound: the working days of each student
and host in the school year counted in one SQL query (weekdays only, public
holidays left out). Median of 3 runs, with the queries.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time

from odoo.tests import tagged

from .common import BdePfmpCase

STUDENTS = int(os.environ.get("BDE_BENCH_GRATIFICATION_STUDENTS", "300"))
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# Two periods of six weeks of the school year 2025-2026, without holidays.
PERIODS = (("2025-09-08", "2025-10-17"), ("2026-01-05", "2026-02-13"))

DAYS_SQL = """
    SELECT p.student_id, p.partner_id, COUNT(*) > 44 AS due
      FROM bde_pfmp_placement p
CROSS JOIN LATERAL generate_series(p.date_start, p.date_end, interval '1 day') AS d
     WHERE p.id = ANY(%s)
       AND p.state != 'cancelled'
       AND EXTRACT(ISODOW FROM d) < 6
       AND NOT EXISTS (
               SELECT 1 FROM resource_calendar_leaves l
                WHERE l.resource_id IS NULL
                  AND d BETWEEN l.date_from AND l.date_to)
  GROUP BY p.student_id, p.partner_id, p.school_year
"""


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestGratificationBenchmark(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, **QUIET))
        hosts = env["res.partner"].create(
            [{"name": f"Hôte bench {index}", "is_company": True} for index in range(2)]
        )
        tutors = env["res.partner"].create(
            [{"name": f"Tuteur {host.name}", "parent_id": host.id} for host in hosts]
        )
        students = env["res.partner"].create(
            [
                {
                    "name": f"Élève bench {index:04d}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-05-05",
                    "bde_class_id": cls.school_class.id,
                    "company_id": cls.lycee.id,
                }
                for index in range(STUDENTS)
            ]
        )
        cls.placements = env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "partner_id": hosts[number if index % 2 else 0].id,
                    "tutor_id": tutors[number if index % 2 else 0].id,
                    "date_start": start,
                    "date_end": end,
                    "hours_per_week": 35,
                    "state": "host_found",
                }
                for index, student in enumerate(students)
                for number, (start, end) in enumerate(PERIODS)
            ]
        )

    def _measure(self, operation):
        timings, queries, result = [], None, None
        for _run in range(RUNS):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            started = time.perf_counter()
            result = operation()
            timings.append(time.perf_counter() - started)
            queries = self.env.cr.sql_log_count - before
        return statistics.median(timings), queries, result

    def test_gratification_of_a_class(self):
        def orm():
            placements = self.placements.browse(self.placements.ids)
            return {
                (p.student_id.id, p.partner_id.id)
                for p in placements
                if p.gratification_due
            }

        def sql():
            self.env.cr.execute(DAYS_SQL, [self.placements.ids])
            return {
                (student, host) for student, host, due in self.env.cr.fetchall() if due
            }

        orm_time, orm_queries, orm_due = self._measure(orm)
        sql_time, sql_queries, sql_due = self._measure(sql)
        self.assertEqual(orm_due, sql_due)
        print(
            f"gratification of {len(self.placements)} placements "
            f"({STUDENTS} students, {len(orm_due)} owed one): "
            f"ORM {orm_time * 1000:.0f} ms in {orm_queries} queries, "
            f"SQL lower bound {sql_time * 1000:.0f} ms in {sql_queries} query, "
            f"ratio {orm_time / sql_time:.1f}"
        )
