from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .lycee_report_common import LyceeReportCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestLyceeReport(LyceeReportCase):
    def test_figures_against_the_hand_count(self):
        self.maxDiff = None
        for key, row in self._rows().items():
            self.assertEqual(len(row), 1, key)
            expected = self.EXPECTED[key]
            got = {name: row[name] for name in expected}
            self.assertEqual(got, expected, key)
        rows = self._rows()
        self.assertTrue(rows["l1", "now"].is_current_school_year)
        self.assertFalse(rows["l1", "prev"].is_current_school_year)
        self.assertEqual(rows["l2", "now"].uai, self.l2.bde_uai)
        self.assertEqual(rows["l2", "now"].lycee_name, "LP Test Lumière")

    def test_each_figure_opens_the_records_it_counts(self):
        """The drill-down's domain and the view's SQL count the same records
        (the tax opens the pledges whose amounts it adds up)."""
        for key, row in self._rows().items():
            for name, (model, domain) in row._get_figure_domains().items():
                records = self.env[model].with_context(active_test=False).search(domain)
                if name == "tax_amount_promised":
                    self.assertEqual(
                        sum(records.mapped("amount_promised")), row[name], key
                    )
                elif name == "skill_need_headcount":
                    active = records.filtered("active")
                    self.assertEqual(sum(active.mapped("headcount")), row[name], key)
                else:
                    self.assertEqual(len(records), row[name], (key, name))

    def test_staff_open_the_records_behind_a_figure(self):
        row = self._row(self.l1, self.year, self.user_officer)
        action = row.with_context(
            bde_figure="convention_active_count"
        ).action_open_figure()
        self.assertEqual(action["res_model"], "bde.partnership.convention")
        conventions = (
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .search(action["domain"])
        )
        self.assertEqual(len(conventions), 1)
        self.assertEqual(conventions.state, "active")

    def test_network_reader_sees_every_lycee_without_ticking_them(self):
        # The switcher holds lycée 1 alone, as when the correspondent logs in.
        Report = (
            self.env["bde.lycee.report"]
            .with_user(self.user_network)
            .with_context(allowed_company_ids=[self.l1.id])
        )
        rows = Report.search([("school_year", "=", self.year)])
        self.assertEqual(rows.company_id, self.l1 | self.l2)
        self.assertEqual(
            sorted(rows.mapped("lycee_name")), ["LP Test Jaurès", "LP Test Lumière"]
        )
        # The record rule spans the user's lycées, never one they do not follow.
        self.assertNotIn(self.env.company, rows.company_id)

    def test_network_reader_reads_no_nominative_record(self):
        row = self._row(self.l2, self.year, self.user_network)
        with self.assertRaises(AccessError):
            row.with_context(bde_figure="lead_count").action_open_figure()
        for model in (
            "res.partner",
            "bde.partner.relation",
            "bde.partnership.convention",
            "crm.lead",
        ):
            Model = self.env[model].with_user(self.user_network)
            domain = [("bde_is_student", "=", True)] if model == "res.partner" else []
            with self.subTest(model=model):
                try:
                    self.assertFalse(Model.search(domain))
                except AccessError:
                    pass
        # The figures' fields name no person and link no nominative model.
        for Model in (self.env["bde.lycee.report"], self.env["bde.network.report"]):
            comodels = {f.comodel_name for f in Model._fields.values() if f.relational}
            self.assertLessEqual(
                comodels, {"res.company", "res.currency", "bde.network"}
            )

    def test_teacher_sees_their_lycee_only(self):
        Report = self.env["bde.lycee.report"].with_user(self.user_teacher)
        rows = Report.search([])
        self.assertEqual(rows.company_id, self.l1)
        self.assertFalse(self._row(self.l2, self.year, self.user_teacher))
        with self.assertRaises(AccessError):
            self.env["bde.network.report"].with_user(self.user_teacher).search([])

    def _read_as_the_list(self):
        """Queries of the network reader's list, as the web client reads it
        with one lycée ticked in the switcher."""
        Report = (
            self.env["bde.lycee.report"]
            .with_user(self.user_network)
            .with_context(allowed_company_ids=[self.l1.id])
        )
        arch = Report.get_views([(False, "list")])["views"]["list"]["arch"]
        spec = {field.get("name"): {} for field in etree.fromstring(arch).iter("field")}
        spec["currency_id"] = {"fields": {}}
        domain = [("company_id", "in", [self.l1.id, self.l2.id])]
        # Once to fill the registry's caches (rules, access), then counted.
        Report.web_search_read(domain, spec)
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        result = Report.web_search_read(domain, spec)
        return self.env.cr.sql_log_count - start, result["records"]

    def test_list_costs_the_same_queries_for_5_times_the_records(self):
        queries, records = self._read_as_the_list()
        self.assertEqual(len(records), 4)
        for _time in range(4):
            self._make_leads()
            self._make_events()
            self._make_conventions()
        queries_5x, records = self._read_as_the_list()
        self.assertEqual(queries_5x, queries)
        by_key = {(r["lycee_name"], r["school_year"]): r for r in records}
        self.assertEqual(by_key["LP Test Jaurès", self.year]["lead_count"], 15)

    def test_root_menu_lands_by_role(self):
        Report = self.env["bde.lycee.report"]
        action = Report.with_user(self.user_network).action_open_home()
        self.assertEqual(action["res_model"], "bde.lycee.report")
        board = self.env.ref("bde_lycee.bde_dashboard_board_action")
        for staff in (self.user_teacher, self.user_officer, self.user_manager):
            action = Report.with_user(staff).action_open_home()
            self.assertEqual(action["id"], board.id)
        home = self.env.ref("bde_lycee.bde_home_action")
        self.assertEqual(self.env.ref("bde_lycee.bde_menu_root").action, home)
        self.assertEqual(home.path, "bde-dashboard")
