from datetime import datetime, time, timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.bde_lycee.school_year import school_year_bounds, school_year_of

from .common import BdeLyceeCase


class BdeBoardCase(BdeLyceeCase):
    """Two lycées with, in the current school year and the one before, leads,
    tax campaigns, conventions and events whose figures are computed by hand
    in each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.users"])
        cls.school_year = school_year_of(today)
        cls.year_start, _end = school_year_bounds(cls.school_year)
        cls.last_school_year = school_year_of(cls.year_start - timedelta(days=1))
        cls.today = today
        cls.user_network = new_test_user(
            cls.env,
            login="bde_board_network_reader",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id, cls.other_lycee.id],
        )
        cls.formations = cls.env["bde.formation"].create(
            [{"name": f"Formation board {i}", "level": "cap"} for i in range(1, 4)]
        )

    def _read_group_total_and_rows(self, model, domain, groupby, measures):
        """The pivot's total (no group) and the sum of its rows, per measure."""
        aggregates = [f"{measure}:sum" for measure in measures]
        [total] = model._read_group(domain, aggregates=aggregates)
        rows = model._read_group(domain, [groupby], aggregates)
        sums = [sum(row[i + 1] or 0 for row in rows) for i in range(len(measures))]
        return list(total), sums


class TestTaxReport(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Campaign year Y belongs to school year "Y-1 - Y".
        cls.campaign_year = int(cls.school_year[5:])
        Campaign = cls.env["bde.tax.campaign"]
        cls.campaign = Campaign.create(
            {
                "year": cls.campaign_year,
                "company_id": cls.lycee.id,
                "amount_target": 5000,
            }
        )
        cls.last_campaign = Campaign.create(
            {
                "year": cls.campaign_year - 1,
                "company_id": cls.lycee.id,
                "amount_target": 3000,
            }
        )
        cls.other_campaign = Campaign.create(
            {
                "year": cls.campaign_year,
                "company_id": cls.other_lycee.id,
                "amount_target": 8000,
            }
        )
        partners = cls.env["res.partner"].create(
            [{"name": f"Tax board company {i}", "is_company": True} for i in range(4)]
        )
        f1, f2, f3 = cls.formations
        Pledge = cls.env["bde.tax.pledge"]
        cls.pledge_three = Pledge.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[0].id,
                "formation_ids": [(6, 0, cls.formations.ids)],
                "amount_promised": 100,
            }
        )
        cls.pledge_none = Pledge.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[1].id,
                "amount_promised": 250.50,
                "amount_received": 250.50,
            }
        )
        cls.pledge_two = Pledge.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[2].id,
                "formation_ids": [(6, 0, (f1 | f2).ids)],
                "amount_promised": 1000,
                "amount_received": 400,
            }
        )
        Pledge.create(
            {
                "campaign_id": cls.last_campaign.id,
                "partner_id": partners[0].id,
                "formation_ids": [(6, 0, f1.ids)],
                "amount_promised": 700,
            }
        )
        Pledge.create(
            {
                "campaign_id": cls.other_campaign.id,
                "partner_id": partners[3].id,
                "formation_ids": [(6, 0, f3.ids)],
                "amount_promised": 999,
            }
        )
        cls.Report = cls.env["bde.tax.report"].with_user(cls.user_officer)

    def test_pledge_to_three_formations_split_in_cents(self):
        rows = self.Report.search([("pledge_id", "=", self.pledge_three.id)])
        shares = {row.formation_id: row.amount_promised for row in rows}
        f1, f2, f3 = self.formations.sorted("id")
        # The cent left over goes to the first formation by id.
        self.assertEqual(shares, {f1: 33.34, f2: 33.33, f3: 33.33})
        self.assertAlmostEqual(sum(shares.values()), 100)

    def test_pledge_without_formation_is_one_row(self):
        rows = self.Report.search([("pledge_id", "=", self.pledge_none.id)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.line_type, "no_formation")
        self.assertFalse(rows.formation_id)
        self.assertEqual((rows.amount_promised, rows.amount_received), (250.5, 250.5))

    def test_pivot_by_campaign_equals_campaign_totals(self):
        domain = [("is_current_school_year", "=", True)]
        groups = self.Report._read_group(
            domain,
            ["campaign_id"],
            ["amount_target:sum", "amount_promised:sum", "amount_received:sum"],
        )
        # Only the lycée's campaign of the school year: 5,000 targeted,
        # 100 + 250.50 + 1,000 promised, 250.50 + 400 received.
        self.assertEqual(
            groups, [(self.campaign, 5000, 1350.5, 650.5)], "one row, hand-computed"
        )
        self.assertEqual(
            groups[0][2:],
            (self.campaign.amount_promised_total, self.campaign.amount_received_total),
        )

    def test_formations_add_up_to_the_campaign(self):
        f1, f2, f3 = self.formations.sorted("id")
        domain = [("campaign_id", "=", self.campaign.id), ("line_type", "!=", "target")]
        by_formation = {
            formation: (promised, received)
            for formation, promised, received in self.Report._read_group(
                domain,
                ["formation_id"],
                ["amount_promised:sum", "amount_received:sum"],
            )
        }
        self.assertEqual(
            by_formation,
            {
                f1: (533.34, 200),
                f2: (533.33, 200),
                f3: (33.33, 0),
                self.env["bde.formation"]: (250.5, 250.5),
            },
        )
        self.assertAlmostEqual(
            sum(p for p, _r in by_formation.values()),
            self.campaign.amount_promised_total,
        )

    def test_total_is_sum_of_rows_for_every_measure(self):
        for groupby in ("campaign_id", "formation_id", "line_type", "school_year"):
            with self.subTest(groupby=groupby):
                total, sums = self._read_group_total_and_rows(
                    self.Report,
                    [],
                    groupby,
                    ["amount_target", "amount_promised", "amount_received"],
                )
                for got, expected in zip(total, sums, strict=True):
                    self.assertAlmostEqual(got, expected)

    def test_only_the_chosen_school_year(self):
        rows = self.Report.search([("is_current_school_year", "=", True)])
        self.assertEqual(rows.campaign_id, self.campaign)
        self.assertEqual(set(rows.mapped("school_year")), {self.school_year})
        last = self.Report.search([("school_year", "=", self.last_school_year)])
        self.assertEqual(last.campaign_id, self.last_campaign)
        self.assertEqual(sum(last.mapped("amount_promised")), 700)

    def test_other_lycee_never_seen(self):
        self.assertNotIn(self.other_lycee, self.Report.search([]).company_id)
        self.assertFalse(
            self.Report.search([("campaign_id", "=", self.other_campaign.id)])
        )

    def test_network_reader_reads_all_their_lycees_not_leads(self):
        Report = self.env["bde.tax.report"].with_user(self.user_network)
        groups = dict(
            Report._read_group(
                [("is_current_school_year", "=", True)],
                ["company_id"],
                ["amount_promised:sum"],
            )
        )
        self.assertEqual(groups, {self.lycee: 1350.5, self.other_lycee: 999})
        # Aggregates only: the pledge, that names a company, stays hidden.
        with self.assertRaises(AccessError):
            Report.search([], limit=1).read(["pledge_id"])
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_network).search([])

    def _pivot_query_count(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Report.read_group(
            [("is_current_school_year", "=", True)],
            ["amount_target:sum", "amount_promised:sum", "amount_received:sum"],
            ["campaign_id", "formation_id"],
            lazy=False,
        )
        return self.env.cr.sql_log_count - before

    def test_pivot_queries_do_not_grow_with_pledges(self):
        self._pivot_query_count()  # the user's groups and rules, cached once
        once = self._pivot_query_count()
        partners = self.env["res.partner"].create(
            [{"name": f"Tax board more {i}", "is_company": True} for i in range(12)]
        )
        self.env["bde.tax.pledge"].create(
            [
                {
                    "campaign_id": self.campaign.id,
                    "partner_id": partner.id,
                    "formation_ids": [(6, 0, self.formations.ids)],
                    "amount_promised": 10,
                }
                for partner in partners
            ]
        )
        self.assertEqual(self._pivot_query_count(), once)

    def test_campaign_button_opens_the_report_on_the_campaign(self):
        action = self.campaign.with_user(
            self.user_officer
        ).action_view_pledge_analysis()
        self.assertEqual(action["res_model"], "bde.tax.report")
        rows = self.Report.search(action["domain"])
        self.assertEqual(rows.campaign_id, self.campaign)
        self.assertEqual(sum(rows.mapped("amount_target")), 5000)


class TestFunnel(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("bde_lycee.crm_team_bde")
        cls.stages = cls.env["crm.stage"].search(
            [("team_id", "=", cls.team.id)], order="sequence, id"
        )
        Lead = cls.env["crm.lead"]
        values = {"type": "opportunity", "team_id": cls.team.id}

        def lead(name, stage, lycee):
            return {
                **values,
                "name": name,
                "stage_id": stage.id,
                "company_id": lycee.id,
            }

        first, second = cls.stages[0], cls.stages[1]
        cls.leads = Lead.create(
            [
                lead("Funnel A", first, cls.lycee),
                lead("Funnel B", first, cls.lycee),
                lead("Funnel C", first, cls.lycee),
                lead("Funnel D", second, cls.lycee),
                lead("Funnel other lycée", first, cls.other_lycee),
            ]
        )
        cls.last_year_lead = Lead.create(lead("Funnel last year", second, cls.lycee))
        # Created in the school year before: its create date moved back.
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (cls.year_start - timedelta(days=30), cls.last_year_lead.id),
        )
        cls.last_year_lead.invalidate_recordset(["create_date"])
        cls.env.add_to_compute(Lead._fields["bde_school_year"], cls.last_year_lead)
        cls.last_year_lead.flush_recordset()

    def _funnel(self, user, extra_domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.crm_lead_action_bde_funnel"
        )
        Lead = (
            self.env["crm.lead"]
            .with_user(user)
            .with_context(default_team_id=self.team.id)
        )
        # As the graph asks: read_group, which shows every stage of the
        # pipeline (group_expand), in the stages' order.
        groups = Lead.read_group(
            safe_eval(action["domain"]) + extra_domain, ["__count"], ["stage_id"]
        )
        Stage = self.env["crm.stage"]
        return [
            (Stage.browse(group["stage_id"][0]), group["stage_id_count"])
            for group in groups
        ]

    def test_school_year_from_the_creation_date(self):
        self.assertEqual(set(self.leads.mapped("bde_school_year")), {self.school_year})
        self.assertEqual(self.last_year_lead.bde_school_year, self.last_school_year)

    def test_counts_per_stage_of_the_school_year(self):
        groups = self._funnel(
            self.user_officer, [("bde_is_current_school_year", "=", True)]
        )
        counts = {stage: count for stage, count in groups if count}
        self.assertEqual(counts, {self.stages[0]: 3, self.stages[1]: 1})
        # Stages in their pipeline order, every stage of the pipeline shown.
        self.assertEqual([stage for stage, _count in groups], list(self.stages))
        [[total]] = (
            self.env["crm.lead"]
            .with_user(self.user_officer)
            ._read_group(
                [
                    ("team_id", "=", self.team.id),
                    ("bde_is_current_school_year", "=", True),
                ],
                aggregates=["__count"],
            )
        )
        self.assertEqual(total, sum(count for _stage, count in groups))

    def test_last_school_year_counted_there(self):
        groups = self._funnel(
            self.user_officer, [("bde_school_year", "=", self.last_school_year)]
        )
        self.assertEqual(
            {stage: count for stage, count in groups if count}, {self.stages[1]: 1}
        )

    def test_other_lycee_leads_never_counted(self):
        groups = self._funnel(self.user_other_lycee, [])
        self.assertEqual(
            {stage: count for stage, count in groups if count}, {self.stages[0]: 1}
        )


class TestConventionReport(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Convention = cls.env["bde.partnership.convention"]
        partners = cls.env["res.partner"].create(
            [{"name": f"Convention board {i}", "is_company": True} for i in range(5)]
        )
        today, years = cls.today, timedelta(days=365)

        def convention(partner, lycee, start, end, state, signed, **extra):
            return Convention.create(
                {
                    "partner_id": partner.id,
                    "company_id": lycee.id,
                    "date_start": start,
                    "date_end": end,
                    "state": state,
                    "date_signed_lycee": signed,
                    "date_signed_partner": signed,
                    **extra,
                }
            )

        cls.new = convention(
            partners[0], cls.lycee, today, today + 3 * years, "signed", today
        )
        cls.old = convention(
            partners[1],
            cls.lycee,
            today - 3 * years,
            today,
            "renewed",
            today - 3 * years,
        )
        cls.renewal = convention(
            partners[1],
            cls.lycee,
            today,
            today + 3 * years,
            "active",
            today,
            renewed_from_id=cls.old.id,
        )
        cls.terminated = convention(
            partners[2],
            cls.lycee,
            today - 2 * years,
            today + years,
            "terminated",
            today - 2 * years,
            date_terminated=today,
        )
        cls.expired_last_year = convention(
            partners[3],
            cls.lycee,
            cls.year_start - 3 * years,
            cls.year_start - timedelta(days=10),
            "expired",
            cls.year_start - 3 * years,
        )
        cls.other = convention(
            partners[4], cls.other_lycee, today, today + years, "signed", today
        )
        cls.Report = cls.env["bde.convention.report"].with_user(cls.user_officer)

    def test_signed_renewed_ended_in_the_school_year(self):
        groups = self.Report._read_group(
            [("is_current_school_year", "=", True)], ["movement"], ["__count"]
        )
        self.assertEqual(dict(groups), {"signed": 1, "renewed": 1, "ended": 1})
        rows = self.Report.search([("is_current_school_year", "=", True)])
        self.assertEqual(rows.convention_id, self.new | self.renewal | self.terminated)

    def test_last_school_year_counted_there(self):
        rows = self.Report.search([("school_year", "=", self.last_school_year)])
        self.assertEqual(rows.convention_id, self.expired_last_year)
        self.assertEqual(rows.movement, "ended")

    def test_by_state_adds_up(self):
        domain = [("is_current_school_year", "=", True)]
        by_state = dict(self.Report._read_group(domain, ["state"], ["__count"]))
        self.assertEqual(by_state, {"signed": 1, "active": 1, "terminated": 1})
        [[total]] = self.Report._read_group(domain, aggregates=["__count"])
        self.assertEqual(total, sum(by_state.values()))

    def test_other_lycee_never_seen(self):
        self.assertNotIn(self.other, self.Report.search([]).convention_id)
        reader = self.env["bde.convention.report"].with_user(self.user_network)
        self.assertEqual(
            set(reader.search([("is_current_school_year", "=", True)]).company_id),
            {self.lycee, self.other_lycee},
        )


class TestEventReport(BdeBoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.forum = cls.env.ref("bde_lycee.event_type_job_forum")
        now = fields.Datetime.now()
        # Held: started this school year and over, whatever today is.
        begin = max(datetime.combine(cls.year_start, time()), now - timedelta(hours=2))
        end = begin + (now - begin) / 2
        last_year = datetime.combine(cls.year_start, time()) - timedelta(days=20)
        Event = cls.env["event.event"]

        def event(name, lycee, date_begin, date_end):
            return Event.create(
                {
                    "name": name,
                    "event_type_id": cls.forum.id,
                    "company_id": lycee.id,
                    "date_begin": date_begin,
                    "date_end": date_end,
                }
            )

        cls.event = event("Board forum", cls.lycee, begin, end)
        cls.last_year_event = event(
            "Board forum last year",
            cls.lycee,
            last_year,
            last_year + timedelta(hours=3),
        )
        cls.other_event = event("Board forum other", cls.other_lycee, begin, end)
        Registration = cls.env["event.registration"]
        for ev, states in (
            (cls.event, ["done", "done", "open", "cancel"]),
            (cls.last_year_event, ["done"]),
            (cls.other_event, ["done"]),
        ):
            Registration.create(
                [
                    {"event_id": ev.id, "name": f"Visitor {i}", "state": state}
                    for i, state in enumerate(states)
                ]
            )
        companies = cls.env["res.partner"].create(
            [{"name": f"Event board {i}", "is_company": True} for i in range(2)]
        )
        cls.env["bde.event.participation"].create(
            [
                {
                    "event_id": cls.event.id,
                    "partner_id": companies[0].id,
                    "state": "attended",
                },
                {
                    "event_id": cls.event.id,
                    "partner_id": companies[1].id,
                    "state": "confirmed",
                },
            ]
        )
        cls.Report = cls.env["bde.event.report"].with_user(cls.user_officer)
        cls.measures = [
            "event_count",
            "partner_count",
            "registration_count",
            "attendance",
        ]

    def test_attendance_by_type_in_the_school_year(self):
        groups = self.Report._read_group(
            [("is_current_school_year", "=", True), ("is_held", "=", True)],
            ["event_type_id"],
            [f"{measure}:sum" for measure in self.measures],
        )
        # One forum, one partner who came, 3 registrations, 2 attended.
        self.assertEqual(groups, [(self.forum, 1, 1, 3, 2)])

    def test_last_school_year_counted_there(self):
        rows = self.Report.search([("school_year", "=", self.last_school_year)])
        self.assertEqual(rows.event_id, self.last_year_event)
        self.assertEqual(rows.attendance, 1)

    def test_total_is_sum_of_rows(self):
        for groupby in ("event_type_id", "school_year", "company_id"):
            with self.subTest(groupby=groupby):
                total, sums = self._read_group_total_and_rows(
                    self.Report, [], groupby, self.measures
                )
                self.assertEqual(total, sums)

    def test_other_lycee_never_seen(self):
        self.assertNotIn(self.other_event, self.Report.search([]).event_id)
        reader = self.env["bde.event.report"].with_user(self.user_network)
        self.assertIn(self.other_event, reader.search([]).event_id)


class TestBoard(BdeBoardCase):
    board_actions = (
        "bde_lycee.bde_lycee_report_action",
        "bde_lycee.crm_lead_action_bde_funnel",
        "bde_lycee.bde_tax_report_action",
        "bde_lycee.bde_convention_report_action",
        "bde_lycee.bde_event_report_action",
    )

    def _board_action_ids(self, user):
        view = self.env.ref("bde_lycee.bde_dashboard_board_view_form")
        arch = self.env["board.board"].with_user(user).get_view(view.id)["arch"]
        return [int(node.get("name")) for node in etree.fromstring(arch).iter("action")]

    def test_board_lists_the_reports(self):
        expected = [self.env.ref(xmlid).id for xmlid in self.board_actions]
        self.assertEqual(
            sorted(self._board_action_ids(self.user_officer)), sorted(expected)
        )

    def test_teacher_board_without_the_funnel(self):
        # A teacher reads no lead: the funnel is left out of their board.
        ids = self._board_action_ids(self.user_teacher)
        self.assertNotIn(self.env.ref("bde_lycee.crm_lead_action_bde_funnel").id, ids)
        self.assertEqual(len(ids), len(self.board_actions) - 1)

    def test_actions_load_as_bde_manager(self):
        Action = self.env["ir.actions.act_window"].with_user(self.user_officer)
        for xmlid in ("bde_lycee.bde_dashboard_board_action", *self.board_actions):
            with self.subTest(action=xmlid):
                action = Action._for_xml_id(xmlid)
                self.assertTrue(action["path"])
                if action["res_model"] == "board.board":
                    continue
                self.assertIn("search_default_current_school_year", action["context"])
                self.assertLessEqual(
                    {"graph", "pivot", "list"}, set(action["view_mode"].split(","))
                )
                self.env[action["res_model"]].with_user(
                    self.user_officer
                ).web_read_group([], ["__count"], ["company_id"])


@tagged("post_install", "-at_install")
class TestBoardHttp(HttpCase):
    def test_board_and_its_actions_load_over_http(self):
        new_test_user(
            self.env,
            login="bde_board_http_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
        )
        self.authenticate("bde_board_http_officer", "bde_board_http_officer")
        board = self.make_jsonrpc_request(
            "/web/action/load", {"action_id": "bde-dashboard-board"}
        )
        self.assertEqual(board["res_model"], "board.board")
        view = self.env["board.board"].get_view(board["view_id"][0])
        for node in etree.fromstring(view["arch"]).iter("action"):
            with self.subTest(action=node.get("string")):
                action = self.make_jsonrpc_request(
                    "/web/action/load", {"action_id": int(node.get("name"))}
                )
                self.assertIn(node.get("view_mode"), action["view_mode"])


@tagged("post_install", "-at_install")
class TestBoardTour(HttpCase, BdeLyceeCase):
    """The board in Chromium, on the school year of the day the test runs."""

    def test_board_tour(self):
        team = self.env.ref("bde_lycee.crm_team_bde")
        first_stage = self.env["crm.stage"].search(
            [("team_id", "=", team.id)], order="sequence, id", limit=1
        )
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Board lead {i}",
                    "type": "opportunity",
                    "team_id": team.id,
                    "stage_id": first_stage.id,
                    "company_id": self.lycee.id,
                }
                for i in (1, 2, 3)
            ]
        )
        year = int(school_year_of(fields.Date.today())[5:])
        self.env["bde.tax.campaign"].create(
            {
                "name": "Board campaign target",
                "year": year,
                "company_id": self.lycee.id,
                "amount_target": 4000,
            }
        )
        self.start_tour(
            "/odoo/bde-dashboard-board", "bde_lycee_board_tour", login="bde_officer"
        )
