"""Benchmark of the lycées' figures (bde.lycee.report) with their PFMP
columns (not a test: it prints figures and asserts only that the view's and
SQL's figures agree).

On the PFMP board's benchmark lycée (bench_pfmp_board: 1,200 students,
4,800 placements over two school years, visits and ratings;
``BDE_BENCH_BOARD_STUDENTS``), the BDE officer opens the lycées' figures as
the action does (the list's fields, the current school year), median of 3
runs with an empty cache, beside two lower bounds: the view's row read in
SQL, and the placements' counts alone in one SQL query.
"""

import re

from odoo.tools import SQL

from . import bench_pfmp_board as board

PLACEMENT_COUNTS = """
    SELECT count(*), count(*) FILTER (WHERE signature_progress >= 100),
           sum(days_done)
      FROM bde_pfmp_placement
     WHERE company_id = %s AND school_year = %s AND state != 'cancelled'
"""


class TestLyceeReportBenchmark(board.TestPfmpBoardBenchmark):
    # The board's own measure runs in bench_pfmp_board.
    test_bench_pfmp_board = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The view reads the students, visits, classes and periods too: as
        # autovacuum keeps a live database, their statistics are fresh.
        cls.env.cr.execute(
            "ANALYZE res_partner, bde_pfmp_visit, bde_class, bde_pfmp_period"
        )

    def _specification(self):
        """The list's fields, as the web client asks them (its views are
        loaded once, then cached by the client)."""
        Report = self.env["bde.lycee.report"].with_user(self.officer)
        arch = Report.get_views([(False, "list")])["views"]["list"]["arch"]
        specification = dict.fromkeys(re.findall(r'<field name="(\w+)"', arch), {})
        specification["currency_id"] = {"fields": {"display_name": {}}}
        return specification

    def _open_figures(self, specification):
        Report = self.env["bde.lycee.report"].with_user(self.officer)
        [row] = Report.web_search_read(
            [("is_current_school_year", "=", True)], specification
        )["records"]
        return row

    def _view_row(self):
        self.cr.execute(
            "SELECT * FROM bde_lycee_report"
            " WHERE company_id = %s AND is_current_school_year",
            [self.lycee.id],
        )
        return self.cr.fetchall()

    def _placement_counts(self):
        self.cr.execute(SQL(PLACEMENT_COUNTS, self.lycee.id, self.year))
        return self.cr.fetchone()

    def test_bench_lycee_report(self):
        specification = self._specification()
        row, seconds, queries = self._measure(lambda: self._open_figures(specification))
        _rows, view, _queries = self._measure(self._view_row)
        counts, bound, _queries = self._measure(self._placement_counts)
        self.assertEqual(
            (row["pfmp_placement_count"], row["pfmp_signed_count"]), counts[:2]
        )
        print(
            "\n".join(
                [
                    f"data: 1 lycée, {len(self.placements)} placements over 2 "
                    f"school years ({row['pfmp_placement_count']} this year)",
                    f"{'measure':<58}{'seconds':>8}{'queries':>8}",
                    f"{'the lycées figures as the BDE officer opens them':<58}"
                    f"{seconds:>8.4f}{queries:>8}",
                    f"{'the view row alone, in SQL':<58}{view:>8.4f}{1:>8}",
                    f"{'the placements counts alone, one SQL query':<58}"
                    f"{bound:>8.4f}{1:>8}",
                    f"ratio to the view: {seconds / view:.1f}x, "
                    f"to the placements' counts: {seconds / bound:.1f}x",
                ]
            )
        )
