"""Benchmark of the network's figures (not a test: it prints figures and
asserts only that the ORM and SQL agree).

A network of lycées (3 by default, ``BDE_BENCH_LYCEES=20`` for an académie's
bassin) each with 3 school years of classes, 300 partnerships, 150
conventions, 200 leads, 20 events with their attendees, 100 skill needs and
a tax campaign of 100 pledges, built in the test transaction and rolled
back. It times, as the academic correspondent meets them (median of 3):

- the list of the lycées' figures of the current school year
  (``web_search_read`` with the list view's fields), beside its lower bound,
  the view's ``SELECT`` alone;
- the networks' sums, the same way;
- the XLSX of the network (the wizard's button), beside the same rows
  written with xlsxwriter alone.
"""

import io
import os
import statistics
import time
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.bde_lycee.models.res_company import uai_check_letter
from odoo.addons.bde_lycee.school_year import school_year_bounds, school_year_of
from odoo.addons.bde_lycee.xlsx import text_workbook

LYCEES = int(os.environ.get("BDE_BENCH_LYCEES", "3"))
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def median_time(function):
    timings = []
    for _run in range(RUNS):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


@tagged("post_install", "-at_install", "bde_bench")
class BenchLyceeReport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.year = school_year_of(today)
        start, _end = school_year_bounds(cls.year)
        years = [school_year_of(start - timedelta(days=365 * n)) for n in range(3)]
        formation = cls.env["bde.formation"].create(
            {"name": "Bac pro bench", "level": "bac_pro", "diploma_code": "40031299"}
        )
        companies = cls.env["res.partner"].create(
            [{"name": f"Bench company {n}", "is_company": True} for n in range(300)]
        )
        team = cls.env.ref("bde_lycee.crm_team_bde")
        forum = cls.env.ref("bde_lycee.event_type_job_forum")
        cls.lycees = cls.env["res.company"]
        for index in range(LYCEES):
            digits = f"{9100000 + index:07d}"
            lycee = cls.env["res.company"].create(
                {
                    "name": f"Lycée professionnel du banc d'essai {index}",
                    "bde_uai": digits + uai_check_letter(digits),
                }
            )
            cls.lycees |= lycee
            cls._fill(lycee, years, formation, companies, team, forum, start)
        cls.network = cls.env["bde.network"].create(
            {"name": "Bassin bench", "company_ids": [(6, 0, cls.lycees.ids)]}
        )
        cls.reader = new_test_user(
            cls.env,
            login="bench_correspondent",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycees[0].id,
            company_ids=cls.lycees.ids,
        )

    @classmethod
    def _fill(cls, lycee, years, formation, companies, team, forum, start):
        env = cls.env
        env["bde.class"].create(
            [
                {
                    "name": f"C{n}",
                    "formation_id": formation.id,
                    "school_year": year,
                    "company_id": lycee.id,
                }
                for year in years
                for n in range(6)
            ]
        )
        env["bde.partner.relation"].create(
            [
                {
                    "company_id": lycee.id,
                    "partner_id": company.id,
                    "status": ("active", "prospect", "former")[n % 3],
                }
                for n, company in enumerate(companies)
            ]
        )
        env["bde.partnership.convention"].create(
            [
                {
                    "company_id": lycee.id,
                    "partner_id": companies[n].id,
                    "state": "active",
                    "date_start": start,
                    "date_end": start + timedelta(days=700),
                    "date_signed_lycee": start,
                    "date_signed_partner": start,
                }
                for n in range(150)
            ]
        )
        env["crm.lead"].create(
            [
                {"name": f"Lead {n}", "team_id": team.id, "company_id": lycee.id}
                for n in range(200)
            ]
        )
        events = env["event.event"].create(
            [
                {
                    "name": f"Forum {n}",
                    "company_id": lycee.id,
                    "event_type_id": forum.id,
                    "date_begin": fields.Datetime.to_datetime(start)
                    + timedelta(days=n),
                    "date_end": fields.Datetime.to_datetime(start)
                    + timedelta(days=n, hours=2),
                }
                for n in range(20)
            ]
        )
        env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {n}", "state": "done"}
                for event in events
                for n in range(10)
            ]
        )
        env["bde.skill.need"].create(
            [
                {
                    "company_id": lycee.id,
                    "partner_id": companies[n].id,
                    "job_title": "Vendeur",
                    "headcount": 2,
                }
                for n in range(100)
            ]
        )
        campaign = env["bde.tax.campaign"].create(
            {"name": "TA", "year": start.year + 1, "company_id": lycee.id}
        )
        env["bde.tax.pledge"].create(
            [
                {
                    "campaign_id": campaign.id,
                    "company_id": lycee.id,
                    "partner_id": companies[n].id,
                    "amount_promised": 100,
                    "state": "promised",
                }
                for n in range(100)
            ]
        )

    def _list_read(self, model):
        Model = self.env[model].with_user(self.reader)
        arch = Model.get_views([(False, "list")])["views"]["list"]["arch"]
        spec = {field.get("name"): {} for field in etree.fromstring(arch).iter("field")}
        spec["currency_id"] = {"fields": {}}
        domain = [("is_current_school_year", "=", True)]

        def read():
            self.env.invalidate_all()
            return Model.web_search_read(domain, spec)

        return read

    def _sql_read(self, table, column, ids):
        def read():
            self.env.cr.execute(
                SQL(
                    "SELECT * FROM %s WHERE is_current_school_year AND %s IN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    tuple(ids),
                )
            )
            return self.env.cr.fetchall()

        return read

    def _report(self, name, whole, bound):
        queries_start = self.env.cr.sql_log_count
        whole()
        queries = self.env.cr.sql_log_count - queries_start
        suite, lower = median_time(whole), median_time(bound)
        print(
            f"{name}: {suite:.3f} s, lower bound {lower:.3f} s, "
            f"ratio {suite / lower:.1f}x, {queries} queries"
        )

    def test_bench_network_figures(self):
        self.env.flush_all()
        self.env.cr.execute("ANALYZE")
        print(f"\n{LYCEES} lycées, school year {self.year}")
        lycees_sql = self._sql_read("bde_lycee_report", "company_id", self.lycees.ids)
        rows = self._list_read("bde.lycee.report")()
        self.assertEqual(rows["length"], len(lycees_sql()))
        self._report(
            "lycées' figures, the correspondent's list",
            self._list_read("bde.lycee.report"),
            lycees_sql,
        )
        self._report(
            "networks' sums, the correspondent's list",
            self._list_read("bde.network.report"),
            self._sql_read("bde_network_report", "network_id", self.network.ids),
        )
        export = (
            self.env["bde.network.export"]
            .with_user(self.reader)
            .create({"school_year": self.year})
        )
        headers, lines = export._lycee_sheet(
            self.env["bde.lycee.report"].search([("school_year", "=", self.year)])
        )

        def xlsx_alone():
            workbook = text_workbook(io.BytesIO())
            sheet = workbook.add_worksheet("Lycées")
            for index, line in enumerate([headers, *lines]):
                sheet.write_row(index, 0, line)
            workbook.close()

        def xlsx_whole():
            self.env.invalidate_all()
            export.action_export()

        self._report("XLSX of the network, whole", xlsx_whole, xlsx_alone)
