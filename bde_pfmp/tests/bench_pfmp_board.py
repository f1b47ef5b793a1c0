"""Benchmark of the PFMP board (not a test: it prints figures and asserts only
that the board's and SQL's figures agree).

A lycée of 1,200 students (``BDE_BENCH_BOARD_STUDENTS``) in 12 classes of the
current school year and 12 of the last, 2 placements a student each year
(4,800 placements), with visits of the placements in progress, ratings of the
hosts (60 hosts in 6 sectors) and allowances; built in the test transaction
and rolled back. Each chart of the board is read as the BDE officer's web
client reads it (the board's domain and context, the default filters of the
action's search view, the graph's group-bys: its rows and its total), median
of 3 runs with an empty cache, beside its lower bound: the same rows in one
SQL query.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.bde_lycee.models.res_company import uai_check_letter
from odoo.addons.bde_lycee.school_year import school_year_bounds, school_year_of

from .board_reader import (
    ALLOWANCE_CHART,
    LATE_CHART,
    RATING_CHART,
    SIGNATURE_CHART,
    STATE_CHART,
    VISIT_CHART,
    BoardChartReader,
)

STUDENTS = int(os.environ.get("BDE_BENCH_BOARD_STUDENTS", "1200"))
CLASSES = 12
HOSTS = 60
SECTORS = 6
RUNS = 3
BATCH = 2000
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# The second placement of the current year, by student: the states of a
# school year under way (the first one is done, in October).
LATER_STATES = ("signed", "in_progress", "to_sign", "searching", "cancelled")
PLACEMENTS = "bde_pfmp_placement WHERE company_id = %s AND school_year = %s"
# Each chart's rows in one SQL query: the lower bound of reading it.
LOWER_BOUNDS = {
    STATE_CHART: f"""SELECT class_id, state, COUNT(*) FROM {PLACEMENTS}
        AND state != 'cancelled' GROUP BY 1, 2""",
    SIGNATURE_CHART: f"""SELECT class_id, signature_state, COUNT(*) FROM {PLACEMENTS}
        AND state NOT IN ('searching', 'cancelled') GROUP BY 1, 2""",
    VISIT_CHART: f"""SELECT class_id, visit_status, COUNT(*) FROM {PLACEMENTS}
        AND state = 'in_progress' GROUP BY 1, 2""",
    LATE_CHART: f"""SELECT teacher_id, COUNT(*) FROM {PLACEMENTS}
        AND state = 'in_progress' AND date_middle < CURRENT_DATE
        AND visit_status != 'done' GROUP BY 1""",
    RATING_CHART: """SELECT host_sector_id, AVG(score) FROM bde_host_rating
        WHERE company_id = %s AND school_year = %s GROUP BY 1""",
    ALLOWANCE_CHART: f"""SELECT date_trunc('month', date_start), class_id,
        SUM(allowance_amount) FROM {PLACEMENTS}
        AND state != 'cancelled' AND days_done > 0 GROUP BY 1, 2""",
}


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestPfmpBoardBenchmark(BoardChartReader, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.random = random.Random(2026)
        started = time.perf_counter()
        uai = "0123456"
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench Board", "bde_uai": f"{uai}{uai_check_letter(uai)}"}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        cls.officer = new_test_user(
            cls.env,
            login="bench_board_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=cls.lycee.ids,
        )
        cls.year = school_year_of(date.today())
        last = int(cls.year[:4]) - 1
        cls.classes = {
            year: cls._create_classes(year) for year in (cls.year, f"{last}-{last + 1}")
        }
        cls.hosts = cls._create_hosts()
        cls.placements = cls._create_placements()
        cls._create_visits_and_ratings()
        cls.env.flush_all()
        cls.env.cr.execute("ANALYZE bde_pfmp_placement, bde_host_rating")
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _create_classes(cls, year):
        formation = cls.env["bde.formation"].create(
            {"name": f"Bac pro bench {year}", "level": "bac_pro", "duration_years": 3}
        )
        teachers = [
            new_test_user(
                cls.env,
                login=f"bench_board_teacher_{year}_{index}",
                groups="base.group_user,bde_lycee.group_bde_user",
                company_id=cls.lycee.id,
                company_ids=cls.lycee.ids,
            )
            for index in range(3)
        ]
        return cls.env["bde.class"].create(
            [
                {
                    "name": f"Class {index} {year}",
                    "formation_id": formation.id,
                    "school_year": year,
                    "mef_stat4": "2383",
                    "company_id": cls.lycee.id,
                    "teacher_id": teachers[index % 3].id,
                }
                for index in range(CLASSES)
            ]
        )

    @classmethod
    def _create_hosts(cls):
        sectors = cls.env["bde.sector"].create(
            [{"name": f"Bench sector {index}"} for index in range(SECTORS)]
        )
        hosts = cls.env["res.partner"].create(
            [
                {
                    "name": f"Bench host {index}",
                    "is_company": True,
                    "bde_sector_ids": [(6, 0, sectors[index % SECTORS].ids)],
                }
                for index in range(HOSTS)
            ]
        )
        tutors = cls.env["res.partner"].create(
            [{"name": f"Tutor {host.name}", "parent_id": host.id} for host in hosts]
        )
        return list(zip(hosts, tutors, strict=True))

    @classmethod
    def _create_placements(cls):
        students = cls.env["res.partner"].create(
            [
                {
                    "name": f"Bench student {index}",
                    "bde_is_student": True,
                    "bde_birthdate": date(2006, 1 + index % 12, 1 + index % 28),
                    "company_id": cls.lycee.id,
                }
                for index in range(STUDENTS)
            ]
        )
        placements = cls.env["bde.pfmp.placement"]
        values = list(cls._placement_values(students))
        for start in range(0, len(values), BATCH):
            placements |= placements.create(values[start : start + BATCH])
        return placements

    @classmethod
    def _placement_values(cls, students):
        # October, then two weeks before today's date of the school year (in
        # progress today) or in December.
        elapsed = (date.today() - school_year_bounds(cls.year)[0]).days
        offsets = (35, max(elapsed - 14, 95))
        for year, classes in cls.classes.items():
            first_day, _last_day = school_year_bounds(year)
            for index, student in enumerate(students):
                school_class = classes[index % CLASSES]
                for number, offset in enumerate(offsets):
                    state = "done"
                    if year == cls.year and number:
                        state = LATER_STATES[index % len(LATER_STATES)]
                    yield cls._placement(
                        student, school_class, first_day, offset, state
                    )

    @classmethod
    def _placement(cls, student, school_class, first_day, offset, state):
        host, tutor = cls.random.choice(cls.hosts)
        start = first_day + timedelta(days=offset)
        hosted = state != "searching"
        return {
            "student_id": student.id,
            "class_id": school_class.id,
            "partner_id": hosted and host.id,
            "tutor_id": hosted and tutor.id,
            "state": state,
            "date_start": start,
            "date_end": start + timedelta(days=25),
            "days_done": cls.random.randint(10, 20) if state == "done" else 0,
            "date_signed_host": hosted and start - timedelta(days=20),
            "date_signed_tutor": state in ("signed", "done", "in_progress")
            and start - timedelta(days=20),
        }

    @classmethod
    def _create_visits_and_ratings(cls):
        placements = cls.placements
        in_progress = placements.filtered(lambda p: p.state == "in_progress")
        cls.env["bde.pfmp.visit"].create(
            [
                {
                    "placement_id": placement.id,
                    "date": placement.date_start + timedelta(days=5),
                    "date_done": placement.date_start + timedelta(days=5)
                    if index % 2
                    else False,
                    "user_id": placement.teacher_id.id,
                }
                for index, placement in enumerate(in_progress[: len(in_progress) // 2])
            ]
        )
        done = placements.filtered(lambda p: p.state == "done")
        cls.env["bde.host.rating"].create(
            [
                {
                    "placement_id": placement.id,
                    "rater_type": "teacher",
                    "score": cls.random.randint(1, 5),
                }
                for placement in done[::2]
            ]
        )

    def _measure(self, function):
        """Median seconds and queries of ``function`` over RUNS runs, each
        with an empty cache; returns its last result too."""
        runs = []
        for _run in range(RUNS):
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            runs.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries)
            )
        return (
            result,
            statistics.median(seconds for seconds, _queries in runs),
            statistics.median(queries for _seconds, queries in runs),
        )

    def _sql_rows(self, title):
        self.cr.execute(SQL(LOWER_BOUNDS[title], self.lycee.id, self.year))
        return self.cr.fetchall()

    def test_bench_pfmp_board(self):
        lines = [
            f"data: 1 lycée of {STUDENTS} students, {len(self.placements)} "
            f"placements over 2 school years, built in {self.setup_time:.1f} s; "
            "each chart as the BDE officer's web client reads it (rows and total); "
            "bound: its rows in one SQL query",
            f"{'chart':<44}{'seconds':>8}{'bound':>8}{'ratio':>7}{'queries':>8}",
        ]
        total_seconds = total_bound = 0
        for title in LOWER_BOUNDS:
            (figures, _total), seconds, queries = self._measure(
                lambda title=title: self._chart(self.officer, title)
            )
            rows, bound, _queries = self._measure(
                lambda title=title: self._sql_rows(title)
            )
            # The board shows the rows SQL counts, no more, no less.
            self.assertEqual(len(figures), len(rows), title)
            total_seconds += seconds
            total_bound += bound
            lines.append(
                f"{title:<44}{seconds:>8.3f}{bound:>8.4f}"
                f"{seconds / bound:>7.1f}{queries:>8}"
            )
        lines.append(
            f"{'the whole board (6 charts)':<44}{total_seconds:>8.3f}"
            f"{total_bound:>8.4f}{total_seconds / total_bound:>7.1f}"
        )
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
