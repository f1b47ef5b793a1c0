import base64
import io

import openpyxl
from lxml import etree

from odoo.tests import tagged

from .common import BdeAlumniCase
from .test_indicator import plan_filters_alumni

STATUSES = ("employed", "studies", "other", "seeking", "unknown")


class InsertionReportCase(BdeAlumniCase):
    """Cohorts counted by hand, in two lycées.

    Lycée 1, 2025 (25 alumni), at 6 months: 10 salaried, 5 in further studies,
    3 seeking, 7 unknown (5 without a situation, 2 known at 12 months only):
    40 %, 20 %, 0 %, 12 %, 28 %. Lycée 1, 2024 (19 alumni): 10 salaried,
    9 seeking, a small cohort. Lycée 2, 2025 (20 alumni): 5 salaried, 15
    unknown, published."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cohort = cls._cohort(cls.lycee, 2025, 25)
        cls._situations(cls.cohort[:10], status="employed")
        cls._situations(cls.cohort[10:15], status="studies", contract_type=False)
        cls._situations(cls.cohort[15:18], status="seeking", contract_type=False)
        cls._situations(cls.cohort[18:20], date="2026-07-10", months_after_exit=12)
        cls.small_cohort = cls._cohort(cls.lycee, 2024, 19)
        cls._situations(cls.small_cohort[:10], date="2025-01-12")
        cls._situations(
            cls.small_cohort[10:],
            date="2025-01-12",
            status="seeking",
            contract_type=False,
        )
        cls.other_cohort = cls._cohort(cls.other_lycee, 2025, 20)
        cls._situations(cls.other_cohort[:5])
        cls.both = cls.lycee | cls.other_lycee
        cls.user_reader.company_ids = cls.both
        # final-year classes: the 2025 cohort's MEF and another year's
        cls.env["bde.class"].create(
            [
                {
                    "name": "T MCV 2024-2025",
                    "formation_id": cls.formation.id,
                    "school_year": "2024-2025",
                    "mef_code": "2473121399",
                    "mef_stat4": "2383",
                    "company_id": cls.lycee.id,
                },
                {
                    "name": "T MCV Lumière",
                    "formation_id": cls.formation.id,
                    "school_year": "2024-2025",
                    "mef_code": "2473121388",
                    "mef_stat4": "2383",
                    "company_id": cls.other_lycee.id,
                },
            ]
        )

    @classmethod
    def _cohort(cls, lycee, year, size, formation=None):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Alumni {lycee.name} {year} n°{index}",
                    "company_id": lycee.id,
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": (formation or cls.formation).id,
                    "bde_exit_year": year,
                    "bde_exit_date": f"{year}-07-04",
                }
                for index in range(size)
            ]
        )

    @classmethod
    def _situations(cls, alumni, **vals):
        for partner in alumni:
            cls._make_situation(partner, **{"date": "2026-01-10", **vals})

    def _rows(self, lycee, year, months=6, user=None, companies=None):
        self.env.flush_all()
        env = self.env
        if user:
            env = self.env(
                user=user,
                context={"allowed_company_ids": (companies or user.company_ids).ids},
            )
        return env["bde.alumni.insertion.report"].search(
            [
                ("company_id", "=", lycee.id),
                ("exit_formation_id", "=", self.formation.id),
                ("exit_year", "=", year),
                ("months_after_exit", "=", months),
            ]
        )


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
class TestInsertionReport(InsertionReportCase):
    def test_shares_of_a_cohort(self):
        rows = self._rows(self.lycee, 2025)
        self.assertEqual(
            {row.status: row.alumni_count for row in rows},
            {"employed": 10, "studies": 5, "other": 0, "seeking": 3, "unknown": 7},
        )
        expected = {
            "employed": 0.4,
            "studies": 0.2,
            "other": 0.0,
            "seeking": 0.12,
            "unknown": 0.28,
        }
        for row in rows:
            self.assertAlmostEqual(row.rate, expected[row.status], msg=row.status)
            self.assertEqual(row.cohort_size, 25)
            self.assertFalse(row.is_small_cohort)
        self.assertEqual(sum(rows.mapped("alumni_count")), 25)
        self.assertAlmostEqual(sum(rows.mapped("rate")), 1.0)
        # at 12 months, the two known are salaried, the others unknown
        at_12 = self._rows(self.lycee, 2025, months=12)
        self.assertEqual(
            {row.status: row.alumni_count for row in at_12 if row.alumni_count},
            {"employed": 2, "unknown": 23},
        )

    def test_same_figures_as_the_indicators(self):
        """Every cohort point of the indicators has one row per outcome whose
        counts are the indicator's and sum to its cohort."""
        self.env.flush_all()
        domain = [("company_id", "in", self.both.ids)]
        indicators = self.env["bde.alumni.indicator"].search(domain)
        self.assertLessEqual(
            {(self.lycee, 2025), (self.lycee, 2024), (self.other_lycee, 2025)},
            {(i.company_id, i.exit_year) for i in indicators},
        )
        rows = self.env["bde.alumni.insertion.report"].search(domain)
        self.assertEqual(len(rows), 5 * len(indicators))
        by_point = {}
        for row in rows:
            key = (row.company_id, row.exit_year, row.months_after_exit)
            by_point.setdefault(key, {})[row.status] = row.alumni_count
        for indicator in indicators:
            key = (
                indicator.company_id,
                indicator.exit_year,
                indicator.months_after_exit,
            )
            counts = by_point[key]
            self.assertEqual(set(counts), set(STATUSES))
            self.assertEqual(sum(counts.values()), indicator.cohort_size)
            for status in STATUSES:
                self.assertEqual(counts[status], indicator[f"n_{status}"], key)

    def test_grouped_shares_sum_to_100(self):
        """The chart's bars: grouped by outcome over both lycées' 2025 cohorts
        at 6 months, the shares (averaged per cohort) sum to 100 % and the
        counts to the two cohorts."""
        self.env.flush_all()
        groups = self.env["bde.alumni.insertion.report"]._read_group(
            [
                ("company_id", "in", self.both.ids),
                ("exit_year", "=", 2025),
                ("months_after_exit", "=", 6),
            ],
            ["status"],
            ["alumni_count:sum", "rate:avg"],
        )
        counts = {status: count for status, count, _rate in groups}
        rates = {status: rate for status, _count, rate in groups}
        self.assertEqual(sum(counts.values()), 45)
        self.assertEqual(counts["employed"], 15)
        self.assertEqual(counts["unknown"], 22)
        self.assertAlmostEqual(rates["employed"], (0.4 + 0.25) / 2)
        self.assertAlmostEqual(rates["unknown"], (0.28 + 0.75) / 2)
        self.assertAlmostEqual(sum(rates.values()), 1.0)

    def test_small_cohort_hidden_to_the_network_reader(self):
        self.assertFalse(self._rows(self.lycee, 2024, user=self.user_reader))
        published = self._rows(self.lycee, 2025, user=self.user_reader)
        self.assertEqual(len(published), 5)
        self.assertEqual(
            len(self._rows(self.other_lycee, 2025, user=self.user_reader)), 5
        )
        staff = self._rows(self.lycee, 2024, user=self.user_teacher)
        self.assertEqual(len(staff), 5)
        self.assertTrue(all(staff.mapped("is_small_cohort")))
        self.assertEqual(
            {row.status: row.alumni_count for row in staff if row.alumni_count},
            {"employed": 10, "seeking": 9},
        )

    def test_other_lycee_never_reaches_staff(self):
        self.env.flush_all()
        Report = self.env(
            user=self.user_teacher, context={"allowed_company_ids": self.lycee.ids}
        )["bde.alumni.insertion.report"]
        self.assertEqual(Report.search([]).company_id, self.lycee)
        self.assertFalse(Report.search([("company_id", "=", self.other_lycee.id)]))
        groups = Report.read_group([], ["alumni_count:sum"], ["company_id"])
        self.assertEqual([g["company_id"][0] for g in groups], self.lycee.ids)
        self.assertFalse(self._rows(self.lycee, 2025, user=self.user_other_lycee))
        self.assertEqual(
            len(self._rows(self.other_lycee, 2025, user=self.user_other_lycee)), 5
        )

    def test_a_count_opens_its_alumni(self):
        rows = self._rows(self.lycee, 2025, user=self.user_teacher)
        by_status = {row.status: row for row in rows}
        for status, expected in (
            ("employed", self.cohort[:10]),
            ("unknown", self.cohort[18:]),
            ("other", self.cohort.browse()),
        ):
            action = by_status[status].action_view_alumni()
            self.assertEqual(action["res_model"], "res.partner")
            found = self.env["res.partner"].search(action["domain"])
            self.assertEqual(found, expected, status)
            self.assertEqual(len(found), by_status[status].alumni_count)
        # the network reader reaches the figure, never the alumni behind it
        row = self._rows(self.lycee, 2025, user=self.user_reader).filtered(
            lambda r: r.status == "employed"
        )
        self.assertFalse(row.action_view_alumni()["domain"][0][2])

    def test_latest_cohort(self):
        self.env.flush_all()
        rows = self.env["bde.alumni.insertion.report"].search(
            [("company_id", "in", self.both.ids)]
        )
        for lycee in self.both:
            own = rows.filtered(lambda r, lycee=lycee: r.company_id == lycee)
            latest = own.filtered("is_latest_cohort")
            self.assertEqual(
                set(latest.mapped("exit_year")), {max(own.mapped("exit_year"))}
            )
        self.assertFalse(
            rows.filtered(lambda r: r.exit_year == 2024).filtered("is_latest_cohort")
        )

    def test_lycee_filter_reaches_the_alumni(self):
        """Searching one lycée's rates reads that lycée's alumni alone."""
        self.assertTrue(
            plan_filters_alumni(self.env.cr, self.lycee, "bde_alumni_insertion_report")
        )

    def test_charts_stack_the_outcomes(self):
        """The indicators' chart drew its last column only ("unknown"): the
        rates' chart has one measure, the share, stacked by outcome."""
        action = self.env.ref("bde_alumni.bde_alumni_indicator_action")
        self.assertNotIn("graph", action.view_mode)
        graph = self.env["bde.alumni.insertion.report"].get_view(view_type="graph")
        arch = etree.fromstring(graph["arch"])
        self.assertEqual(arch.get("stacked"), "1")
        self.assertEqual(
            [field.get("name") for field in arch.iter("field")],
            ["exit_formation_id", "status", "rate"],
        )
        self.assertEqual(arch.xpath("//field[@type='measure']/@name"), ["rate"])
        self.assertEqual(
            self.env.ref("bde_alumni.bde_alumni_insertion_report_action").context,
            "{'search_default_latest_cohort': 1, 'search_default_months_6': 1}",
        )


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
class TestInsertionExportAndBoard(InsertionReportCase):
    def _export(self, user, **vals):
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        wizard = env["bde.alumni.indicator.export"].create(vals)
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file))).active
        rows = list(sheet.iter_rows(values_only=True))
        return rows[0], {(row[0], row[5], row[6]): row for row in rows[1:]}

    def test_export_has_uai_and_formation_codes(self):
        headers, rows = self._export(self.user_reader)
        self.assertEqual(
            headers[:8],
            (
                "UAI",
                "Lycée",
                "Diploma code",
                "MEF codes",
                "Formation",
                "Exit year",
                "Months after exit",
                "Cohort size",
            ),
        )
        row = rows[("0750655E", 2025, 6)]
        self.assertEqual(
            row[1:5],
            ("LP Test Jaurès", "40031213", "2473121399", self.formation.display_name),
        )
        self.assertEqual(row[7], 25)
        # counts: studies, salaried, other, seeking, unknown, leavers
        self.assertEqual(row[8:14], (5, 10, 0, 3, 7, 20))
        # rates: studies over the cohort, the others over the leavers
        for value, expected in zip(
            row[14:19], (0.2, 0.5, 0.0, 0.15, 0.35), strict=True
        ):
            self.assertAlmostEqual(value, expected)
        self.assertIsNone(row[19])
        other = rows[("0690026D", 2025, 6)]
        self.assertEqual(other[1:4], ("LP Test Lumière", "40031213", "2473121388"))
        self.assertEqual(other[8:14], (0, 5, 0, 0, 15, 20))

    def test_export_small_cohort_not_published(self):
        _headers, rows = self._export(self.user_reader)
        row = rows[("0750655E", 2024, 6)]
        self.assertEqual(row[7], 19)
        # no class of 2023-2024: the formation's MEF of another year
        self.assertEqual(row[3], "2473121333, 2473121399")
        self.assertEqual(row[8:19], (None,) * 11)
        self.assertTrue(row[19].startswith("< 20"))

    def test_export_of_lycee_staff_has_their_lycee_only(self):
        _headers, rows = self._export(self.user_teacher, company_ids=[(5, 0, 0)])
        self.assertEqual({key[0] for key in rows}, {"0750655E"})

    def _export_queries(self):
        """Queries of the export's button, after a first run has filled the
        caches of access rules (that creating records may empty)."""
        self._run_export()
        return self._run_export()

    def _run_export(self):
        env = self.env(
            user=self.user_reader,
            context={"allowed_company_ids": self.user_reader.company_ids.ids},
        )
        wizard = env["bde.alumni.indicator.export"].create({})
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        wizard.action_export()
        return self.env.cr.sql_log_count - before

    def test_export_queries_do_not_grow_with_the_cohorts(self):
        once = self._export_queries()
        # four times more cohorts, of other formations with their own classes
        for index in range(4):
            formation = self.formation.copy(
                {"name": f"Bac pro test {index}", "diploma_code": f"4003121{index}"}
            )
            self.env["bde.class"].create(
                {
                    "name": f"T test {index}",
                    "formation_id": formation.id,
                    "school_year": "2022-2023",
                    "mef_code": f"24731213{index:02d}",
                    "mef_stat4": "2383",
                    "company_id": self.other_lycee.id,
                }
            )
            for lycee in self.both:
                self._cohort(lycee, 2023, 3, formation)
        self.assertEqual(self._export_queries(), once)

    def _board_actions(self, user):
        action = self.env.ref("bde_alumni.bde_alumni_dashboard_board_action")
        self.assertEqual(action.res_model, "board.board")
        view = self.env["board.board"].with_user(user).get_view(action.view_id.id)
        return etree.fromstring(view["arch"]).xpath("//action")

    def test_board_staff_sees_every_chart(self):
        nodes = self._board_actions(self.user_teacher)
        self.assertEqual(len(nodes), 6)
        for node in nodes:
            action = self.env["ir.actions.act_window"].browse(int(node.get("name")))
            self.assertTrue(action.exists(), node.get("string"))
            self.assertIn(node.get("view_mode"), action.view_mode)
            # the teacher may open each embedded view
            views = (
                self.env[action.res_model]
                .with_user(self.user_teacher)
                .get_views([(False, node.get("view_mode")), (False, "search")])
            )
            self.assertIn(node.get("view_mode"), views["views"])

    def test_board_network_reader_sees_the_rates_alone(self):
        nodes = self._board_actions(self.user_reader)
        report = self.env.ref("bde_alumni.bde_alumni_insertion_report_action")
        # and InserJeunes' rates beside the lycées' published ones
        official = self.env.ref("bde_alumni.bde_alumni_official_comparison_action")
        self.assertEqual(
            {int(node.get("name")) for node in nodes}, {report.id, official.id}
        )
        self.assertEqual(len(nodes), 3)
