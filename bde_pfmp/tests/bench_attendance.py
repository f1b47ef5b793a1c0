"""Benchmark of the day-by-day attendance (not a test: it prints figures and
asserts only that the ORM and SQL figures agree).

A lycée's classes in placement at once: ``BDE_BENCH_ATTENDANCE`` placements
(300 by default) of four weeks in November 2025 with two absences each (a
day and a half-day), built in the test transaction and rolled back. It
measures, median of 3 runs:

- the days done computed from the schedule, public holidays and absences, as
  the placements' list reads them, beside its lower bound: the same figures
  in one SQL query (half-days by ``generate_series`` less holidays and
  absences);
- the schedule of every placement changed at once by the BDE officer (a
  mass edit of the list), which writes the days done again.
"""

import os
import statistics
import time

from odoo import Command
from odoo.tests import tagged

from .common import BdePfmpCase

PLACEMENTS = int(os.environ.get("BDE_BENCH_ATTENDANCE", "300"))
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}

DAYS_SQL = """
    WITH half AS (
        SELECT p.id, d::date AS day, h.half
          FROM bde_pfmp_placement p
         CROSS JOIN generate_series(p.date_start, p.date_end, interval '1 day') d
         CROSS JOIN (VALUES ('morning'), ('afternoon')) h(half)
         WHERE p.id = ANY(%s) AND EXTRACT(ISODOW FROM d) < 6
    )
    SELECT half.id, COUNT(*) / 2
      FROM half
     WHERE NOT EXISTS (
               SELECT 1 FROM resource_calendar_leaves l
                WHERE l.resource_id IS NULL AND l.calendar_id IS NULL
                  AND (l.date_from AT TIME ZONE 'UTC'
                       AT TIME ZONE 'Europe/Paris')::date <= half.day
                  AND (l.date_to AT TIME ZONE 'UTC'
                       AT TIME ZONE 'Europe/Paris')::date >= half.day)
       AND NOT EXISTS (
               SELECT 1 FROM bde_pfmp_absence a
                WHERE a.placement_id = half.id AND a.date = half.day
                  AND a.duration IN ('day', half.half))
  GROUP BY half.id
"""


def _median(operation):
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        operation()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestAttendanceBenchmark(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, **QUIET))
        students = env["res.partner"].create(
            [
                {
                    "name": f"Élève bench {index}",
                    "bde_is_student": True,
                    "bde_class_id": cls.school_class.id,
                    "company_id": cls.lycee.id,
                }
                for index in range(PLACEMENTS)
            ]
        )
        cls.placements = env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "period_id": cls.period.id,
                    "partner_id": cls.company_partner.id,
                    "tutor_id": cls.tutor.id,
                    "state": "in_progress",
                }
                for student in students
            ]
        )
        # Justified: the alerts of unjustified absences are not measured here.
        env["bde.pfmp.absence"].create(
            [
                {
                    "placement_id": placement.id,
                    "date": day,
                    "duration": duration,
                    "justified": True,
                }
                for placement in cls.placements
                for day, duration in (("2025-11-05", "day"), ("2025-11-18", "morning"))
            ]
        )
        cls.other_schedule = env["resource.calendar"].create(
            {
                "name": "28 heures, du lundi au jeudi",
                "company_id": False,
                "tz": "Europe/Paris",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": day,
                            "day_period": period,
                            "hour_from": start,
                            "hour_to": start + 3.5,
                        }
                    )
                    for day in ("0", "1", "2", "3")
                    for period, start in (("morning", 8.5), ("afternoon", 13.5))
                ],
            }
        )

    def _read_days(self):
        placements = self.placements.with_user(self.user_officer)
        placements.invalidate_recordset()
        self.env.invalidate_all()
        return dict(
            zip(placements.ids, placements.mapped("days_computed"), strict=True)
        )

    def _sql_days(self):
        self.env.flush_all()
        self.env.cr.execute(DAYS_SQL, [self.placements.ids])
        return dict(self.env.cr.fetchall())

    def test_bench_attendance(self):
        self.assertEqual(self._read_days(), self._sql_days())
        before = self.env.cr.sql_log_count
        orm = _median(self._read_days)
        orm_queries = (self.env.cr.sql_log_count - before) // RUNS
        sql = _median(self._sql_days)
        schedules = [self.other_schedule, self.placements[0].resource_calendar_id]

        def change_schedule():
            self.placements.with_user(self.user_officer).write(
                {"resource_calendar_id": schedules[0].id}
            )
            self.env.flush_all()
            schedules.reverse()

        before = self.env.cr.sql_log_count
        write = _median(change_schedule)
        write_queries = (self.env.cr.sql_log_count - before) // RUNS
        print(
            f"\nattendance, {PLACEMENTS} placements with 2 absences each:\n"
            f"  days done computed (list read): {orm:.3f} s, {orm_queries} "
            f"queries; lower bound one SQL query {sql:.3f} s "
            f"(ratio {orm / sql:.1f}x)\n"
            f"  schedule changed on all (officer's mass edit, days done "
            f"written): {write:.3f} s, {write_queries} queries"
        )
