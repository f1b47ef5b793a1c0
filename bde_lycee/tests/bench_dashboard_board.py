"""Benchmark of the BDE board (not a test: it prints figures and asserts only
that the ORM's and SQL's figures agree).

A network of lycées (10 by default, ``BDE_BENCH_BOARD_LYCEES``), each with,
in the current school year, a tax campaign and its pledges to one to three
formations, leads, signed conventions and events with registrations
(``BDE_BENCH_BOARD_SCALE`` multiplies the per-lycée counts), built in the
test transaction and rolled back. The BDE manager of the first lycée opens
each block of the board as the web client asks it (read_group, grouped as
the graph or pivot is); beside it, the same figure by hand in SQL, filtered on
the lycée (the lower bound). The academic correspondent's tax pivot over the
whole network is timed too.
"""

import os
import statistics
import time
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.bde_lycee.school_year import school_year_bounds, school_year_of

LYCEES = int(os.environ.get("BDE_BENCH_BOARD_LYCEES", "10"))
SCALE = int(os.environ.get("BDE_BENCH_BOARD_SCALE", "1"))
PLEDGES, LEADS, CONVENTIONS, EVENTS, REGISTRATIONS = (
    40 * SCALE,
    20 * SCALE,
    10 * SCALE,
    3 * SCALE,
    10,
)
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
TAX_MEASURES = ["amount_target:sum", "amount_promised:sum", "amount_received:sum"]


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class TestBoardBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        started = time.perf_counter()
        today = fields.Date.today()
        cls.school_year = school_year_of(today)
        cls.year_start, _end = school_year_bounds(cls.school_year)
        cls.lycees = cls.env["res.company"].create(
            [{"name": f"LP Board bench {index:02d}"} for index in range(LYCEES)]
        )
        cls.formations = cls.env["bde.formation"].create(
            [{"name": f"Board bench {index}", "level": "cap"} for index in range(3)]
        )
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"Board bench company {index}", "is_company": True}
                for index in range(max(PLEDGES, CONVENTIONS))
            ]
        )
        cls.build_times = {}
        for name, create in (
            ("tax", cls._create_tax),
            ("leads", cls._create_leads),
            ("conventions", lambda: cls._create_conventions(today)),
            ("events", cls._create_events),
        ):
            step = time.perf_counter()
            create()
            cls.build_times[name] = time.perf_counter() - step
        cls.env.flush_all()
        cls.env.cr.execute("ANALYZE")
        cls.setup_time = time.perf_counter() - started
        cls.lycee = cls.lycees[0]
        cls.officer = new_test_user(
            cls.env,
            login="bench_board_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=cls.lycee.ids,
        )
        cls.reader = new_test_user(
            cls.env,
            login="bench_board_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=cls.lycees.ids,
        )

    @classmethod
    def _create_tax(cls):
        year = int(cls.school_year[5:])
        campaigns = cls.env["bde.tax.campaign"].create(
            [
                {"year": year, "company_id": lycee.id, "amount_target": 10000}
                for lycee in cls.lycees
            ]
        )
        cls.env["bde.tax.pledge"].create(
            [
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "formation_ids": [(6, 0, cls.formations[: index % 4].ids)],
                    "amount_promised": 100 + index,
                    "amount_received": (100 + index) if index % 2 else 0,
                }
                for campaign in campaigns
                for index, partner in enumerate(cls.partners[:PLEDGES])
            ]
        )

    @classmethod
    def _create_leads(cls):
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        stages = cls.env["crm.stage"].search(
            [("team_id", "=", cls.team.id), ("is_won", "=", False)]
        )
        cls.env["crm.lead"].create(
            [
                {
                    "name": f"Board bench lead {index}",
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "stage_id": stages[index % len(stages)].id,
                    "company_id": lycee.id,
                }
                for lycee in cls.lycees
                for index in range(LEADS)
            ]
        )

    @classmethod
    def _create_conventions(cls, today):
        cls.env["bde.partnership.convention"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": lycee.id,
                    "date_start": today,
                    "date_end": today + timedelta(days=365),
                    "date_signed_lycee": today,
                    "date_signed_partner": today,
                    "state": "signed",
                }
                for lycee in cls.lycees
                for partner in cls.partners[:CONVENTIONS]
            ]
        )

    @classmethod
    def _create_events(cls):
        begin = fields.Datetime.to_datetime(cls.year_start) + timedelta(hours=8)
        events = cls.env["event.event"].create(
            [
                {
                    "name": f"Board bench forum {index}",
                    "event_type_id": cls.env.ref("bde_lycee.event_type_job_forum").id,
                    "company_id": lycee.id,
                    "date_begin": begin,
                    "date_end": begin + timedelta(hours=2),
                }
                for lycee in cls.lycees
                for index in range(EVENTS)
            ]
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {index}", "state": "done"}
                for event in events
                for index in range(REGISTRATIONS)
            ]
        )

    def _median(self, function):
        """Median seconds of 3 runs (cache emptied before each), the queries
        of one run and its last result."""
        times = []
        for _run in range(3):
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
            count = self.cr.sql_log_count - queries
        return result, statistics.median(times), count

    def _as(self, user, model):
        return self.env(user=user, context={"allowed_company_ids": [self.lycee.id]})[
            model
        ]

    def _sql(self, query, *args):
        self.cr.execute(SQL(query, *args))
        return self.cr.fetchall()

    def _blocks(self):
        """(label, what the board asks, the lower bound, the total of both)."""
        current = [("is_current_school_year", "=", True)]
        lycee = self.lycee.id
        tax = self._as(self.officer, "bde.tax.report")
        funnel = self._as(self.officer, "crm.lead").with_context(
            default_team_id=self.team.id
        )
        conventions = self._as(self.officer, "bde.convention.report")
        events = self._as(self.officer, "bde.event.report")
        network_tax = self.env(user=self.reader)["bde.tax.report"]
        return [
            (
                "tax against target, pivot by campaign",
                lambda: tax.read_group(current, TAX_MEASURES, ["campaign_id"]),
                lambda: self._sql(
                    "SELECT campaign_id, sum(amount_promised) FROM bde_tax_report"
                    " WHERE company_id = %s AND is_current_school_year"
                    " GROUP BY campaign_id",
                    lycee,
                ),
                "amount_promised",
            ),
            (
                "prospect funnel, graph by stage",
                lambda: funnel.read_group(
                    [
                        ("team_id", "=", self.team.id),
                        ("bde_is_current_school_year", "=", True),
                    ],
                    ["__count"],
                    ["stage_id"],
                ),
                lambda: self._sql(
                    "SELECT stage_id, count(*) FROM crm_lead WHERE team_id = %s"
                    " AND company_id = %s AND bde_school_year = %s AND active"
                    " GROUP BY stage_id",
                    self.team.id,
                    lycee,
                    self.school_year,
                ),
                "stage_id_count",
            ),
            (
                "conventions, graph by movement",
                lambda: conventions.read_group(current, ["__count"], ["movement"]),
                lambda: self._sql(
                    "SELECT movement, count(*) FROM bde_convention_report"
                    " WHERE company_id = %s AND is_current_school_year"
                    " GROUP BY movement",
                    lycee,
                ),
                "movement_count",
            ),
            (
                "events, attendance by type",
                lambda: events.read_group(
                    current, ["attendance:sum"], ["event_type_id"]
                ),
                lambda: self._sql(
                    "SELECT event_type_id, sum(attendance) FROM bde_event_report"
                    " WHERE company_id = %s AND is_current_school_year"
                    " GROUP BY event_type_id",
                    lycee,
                ),
                "attendance",
            ),
            (
                "network reader: tax pivot of every lycée",
                lambda: network_tax.read_group(current, TAX_MEASURES, ["company_id"]),
                lambda: self._sql(
                    "SELECT company_id, sum(amount_promised) FROM bde_tax_report"
                    " WHERE company_id = ANY(%s) AND is_current_school_year"
                    " GROUP BY company_id",
                    self.lycees.ids,
                ),
                "amount_promised",
            ),
        ]

    def test_bench_board(self):
        lines = [
            f"data: {LYCEES} lycées, each {PLEDGES} pledges, {LEADS} leads, "
            f"{CONVENTIONS} conventions, {EVENTS} events of {REGISTRATIONS} "
            f"registrations; built in {self.setup_time:.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in self.build_times.items())
            + ")",
            f"{'block of the board':<46}{'ms':>8}{'SQL ms':>8}{'ratio':>7}"
            f"{'queries':>9}",
        ]
        for label, board, lower, measure in self._blocks():
            groups, seconds, queries = self._median(board)
            rows, sql_seconds, _queries = self._median(lower)
            self.assertAlmostEqual(
                sum(group[measure] for group in groups),
                float(sum(row[1] for row in rows)),
                places=2,
                msg=label,
            )
            lines.append(
                f"{label:<46}{seconds * 1000:>8.1f}{sql_seconds * 1000:>8.1f}"
                f"{seconds / sql_seconds:>7.1f}{queries:>9}"
            )
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
