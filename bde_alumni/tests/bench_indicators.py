"""Benchmark of the insertion indicators (not a test: it prints figures and
asserts only that the ORM and SQL rows agree).

A network of lycées (20 by default, ``BDE_BENCH_INDICATOR_LYCEES``) sharing
three formations, each with alumni of three exit years (50 a lycée by
default, ``BDE_BENCH_INDICATOR_ALUMNI``; 400 is the issue's network of 8,000
alumni) and two or three situations each, built in the test transaction and
rolled back. A teacher of the first lycée opens the indicators as the web
client does (the list at 6 months, the pivot by formation and exit year);
beside it, the view's query filtered on that lycée by hand (the lower bound),
and the same through a ``row_number()`` id, what the view was before its id
was built from its keys.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time
from datetime import date

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from .test_indicator import plan_filters_alumni

LYCEES = int(os.environ.get("BDE_BENCH_INDICATOR_LYCEES", "20"))
ALUMNI_PER_LYCEE = int(os.environ.get("BDE_BENCH_INDICATOR_ALUMNI", "50"))
EXIT_YEARS = (2023, 2024, 2025)
STATUSES = (
    ("employed", "permanent"),
    ("employed", "apprenticeship"),
    ("studies", False),
    ("seeking", False),
    ("employed", "self_employed"),
    ("unknown", False),
)
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# What the list view of the indicators reads.
LIST_FIELDS = [
    "company_id",
    "exit_formation_id",
    "exit_year",
    "months_after_exit",
    "cohort_size",
    "is_small_cohort",
    "leavers",
    "rate_studies",
    "rate_employed",
    "rate_other",
    "rate_seeking",
    "rate_unknown",
]
ROWS_SQL = """
    SELECT company_id, exit_formation_id, exit_year, months_after_exit,
           cohort_size, n_employed
      FROM (%s) AS indicator
     WHERE months_after_exit = 6
"""


@tagged("post_install", "-at_install", "-standard", "bde_alumni_bench")
class TestIndicatorBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        started = time.perf_counter()
        cls.lycees = cls.env["res.company"].create(
            [{"name": f"LP Bench {index:02d}"} for index in range(LYCEES)]
        )
        cls.formations = cls.env["bde.formation"].create(
            [
                {"name": f"Bac pro bench {index}", "level": "bac_pro"}
                for index in range(3)
            ]
        )
        cls.alumni = cls._create_alumni()
        cls.situations = cls._create_situations()
        cls.setup_time = time.perf_counter() - started
        cls.lycee = cls.lycees[0]
        cls.teacher = new_test_user(
            cls.env,
            login="bench_indicator_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.lycee.id,
            company_ids=cls.lycee.ids,
        )

    @classmethod
    def _create_alumni(cls):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Alumni bench {lycee.id}-{index}",
                    "company_id": lycee.id,
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": cls.formations[index % 3].id,
                    "bde_exit_year": EXIT_YEARS[index // 3 % 3],
                    "bde_exit_date": date(EXIT_YEARS[index // 3 % 3], 7, 4),
                }
                for lycee in cls.lycees
                for index in range(ALUMNI_PER_LYCEE)
            ]
        )

    @classmethod
    def _create_situations(cls):
        values = []
        for index, alumni in enumerate(cls.alumni):
            # 2 or 3 situations: at 6 and 12 months, some asked twice at 6.
            points = (6, 12, 6) if index % 4 == 0 else (6, 12)
            for step, months in enumerate(points):
                status, contract = STATUSES[(index + step) % len(STATUSES)]
                values.append(
                    {
                        "partner_id": alumni.id,
                        "date": date(alumni.bde_exit_year + 1, 1 + step, 10),
                        "months_after_exit": months,
                        "status": status,
                        "contract_type": contract,
                        "source": "phone",
                    }
                )
        return cls.env["bde.alumni.situation"].create(values)

    def _median(self, function):
        """Median seconds of 3 runs of ``function`` (cache emptied before each)
        and the queries of one run; returns its last result too."""
        times = []
        for _run in range(3):
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
            count = self.cr.sql_log_count - queries
        return result, statistics.median(times), count

    def _teacher_env(self):
        return self.env(
            user=self.teacher, context={"allowed_company_ids": [self.lycee.id]}
        )

    def _open_list(self):
        """The list at 6 months, as web_search_read reads it."""
        Indicator = self._teacher_env()["bde.alumni.indicator"]
        return Indicator.search_read([("months_after_exit", "=", 6)], LIST_FIELDS)

    def _open_pivot(self):
        Indicator = self._teacher_env()["bde.alumni.indicator"]
        return Indicator.read_group(
            [("months_after_exit", "=", 6)],
            ["cohort_size:sum", "n_studies:sum", "n_employed:sum"],
            ["exit_formation_id", "exit_year"],
            lazy=False,
        )

    def _open_chart(self):
        """The insertion rates' chart as the action opens it: latest cohort,
        6 months, by formation and outcome."""
        Report = self._teacher_env()["bde.alumni.insertion.report"]
        return Report.read_group(
            [("is_latest_cohort", "=", True), ("months_after_exit", "=", 6)],
            ["alumni_count:sum", "rate:avg"],
            ["exit_formation_id", "status"],
            lazy=False,
        )

    def _view_query_for_lycee(self):
        """The view's query counting the lycée's alumni alone: its filter
        written by hand where the alumni are read."""
        query = self.env["bde.alumni.indicator"]._query()
        where = "WHERE partner.bde_is_alumni"
        self.assertIn(where, query.code)
        return SQL(
            query.code.replace(where, "WHERE partner.company_id = %s AND " + where[6:]),
            self.lycee.id,
            *query.params,
        )

    def _rows(self, query):
        self.cr.execute(SQL(ROWS_SQL, query))
        return sorted(self.cr.fetchall())

    def _row_number_query(self):
        """The view as it was: an id numbering every row of the network."""
        return SQL(
            """SELECT * FROM (
                   SELECT row_number() OVER (
                              ORDER BY company_id, exit_formation_id, exit_year,
                                       months_after_exit) AS rownum, indicator.*
                     FROM (%s) AS indicator) AS numbered
                WHERE company_id = %s""",
            self.env["bde.alumni.indicator"]._query(),
            self.lycee.id,
        )

    def test_bench_indicators(self):
        self.env.flush_all()
        rows, list_time, list_queries = self._median(self._open_list)
        groups, pivot_time, pivot_queries = self._median(self._open_pivot)
        chart, chart_time, chart_queries = self._median(self._open_chart)
        lower = self._view_query_for_lycee()
        sql_rows, sql_time, _queries = self._median(lambda: self._rows(lower))
        _rows, numbered_time, _queries = self._median(
            lambda: self._rows(self._row_number_query())
        )
        orm_rows = sorted(
            (
                row["company_id"][0],
                row["exit_formation_id"][0],
                row["exit_year"],
                row["months_after_exit"],
                row["cohort_size"],
            )
            for row in rows
        )
        self.assertEqual(orm_rows, [row[:5] for row in sql_rows])
        self.assertEqual(
            sum(group["n_employed"] for group in groups),
            sum(row[5] for row in sql_rows),
        )
        # the chart's outcomes add up to the latest cohorts at 6 months
        latest = max(
            year for year in EXIT_YEARS if date(year + 1, 1, 4) <= date.today()
        )
        self.assertEqual(
            sum(group["alumni_count"] for group in chart),
            sum(row[4] for row in sql_rows if row[2] == latest),
        )
        figures = [
            ("list at 6 months, teacher of one lycée (search_read)", list_time),
            ("pivot by formation and exit year (read_group)", pivot_time),
            ("insertion chart, latest cohort at 6 months (read_group)", chart_time),
            ("lower bound: the view's query for that lycée", sql_time),
            ("the view with a row_number() id, as before", numbered_time),
        ]
        lines = [
            f"data: {LYCEES} lycées, {len(self.alumni)} alumni, "
            f"{len(self.situations)} situations, built in {self.setup_time:.1f} s; "
            f"{len(rows)} rows of the lycée at 6 months",
            "lycée filter pushed down to the alumni: "
            f"{plan_filters_alumni(self.cr, self.lycee)}",
            f"{'measure':<56}{'ms':>9}{'ratio':>7}",
        ]
        lines += [
            f"{label:<56}{seconds * 1000:>9.1f}{seconds / sql_time:>7.1f}"
            for label, seconds in figures
        ]
        lines.append(
            f"queries: list {list_queries}, pivot {pivot_queries}, "
            f"chart {chart_queries}"
        )
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
