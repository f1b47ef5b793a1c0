import base64
import io
from datetime import datetime, time, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..school_year import school_year_bounds, school_year_of
from .common import BdeLyceeCase


def at(day, hour=9):
    return datetime.combine(day, time(hour))


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestLyceeReport(BdeLyceeCase):
    """Two lycées, the current school year and the one before, with records
    of every figure placed on either side of the years' bounds; each figure
    is compared with a count made by hand. The SQL view reads the
    database's clock: the years are computed from today, never written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.year = school_year_of(cls.today)
        cls.start, _end = school_year_bounds(cls.year)
        cls.prev_start, cls.prev_end = school_year_bounds(
            school_year_of(cls.start - timedelta(days=1))
        )
        cls.prev_year = school_year_of(cls.prev_start)
        cls.l1, cls.l2 = cls.lycee, cls.other_lycee
        # The common class is last year's, whatever today's date.
        cls.school_class.school_year = cls.prev_year
        cls._make_school()
        cls._make_partners()
        cls._make_conventions()
        cls._make_leads()
        cls._make_events()
        cls._make_skill_needs_and_tax()
        cls.network = cls.env["bde.network"].create(
            {
                "name": "Bassin test",
                "network_type": "bassin",
                "company_ids": [(6, 0, [cls.l1.id, cls.l2.id])],
            }
        )
        cls.network_l1 = cls.env["bde.network"].create(
            {
                "name": "Campus test",
                "network_type": "cmq",
                "company_ids": [(6, 0, [cls.l1.id])],
            }
        )
        cls.user_network = new_test_user(
            cls.env,
            login="bde_correspondent_test",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=cls.l1.id,
            company_ids=[cls.l1.id, cls.l2.id],
        )

    @classmethod
    def _make_school(cls):
        Class = cls.env["bde.class"]
        cls.class_prev = Class.create(
            [
                {
                    "name": f"K prev {lycee.id}",
                    "formation_id": cls.formation.id,
                    "school_year": cls.prev_year,
                    "company_id": lycee.id,
                }
                for lycee in (cls.l1, cls.l2)
            ]
        )
        k2, k3, k4 = Class.create(
            [
                {
                    "name": "K2",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "mef_code": "2473121333",
                    "company_id": cls.l1.id,
                },
                {
                    "name": "K3",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "mef_code": "2473121332",
                    "company_id": cls.l1.id,
                },
                {
                    "name": "K4",
                    "formation_id": cls.formation.id,
                    "school_year": cls.year,
                    "company_id": cls.l2.id,
                },
            ]
        )
        cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève {index}",
                    "bde_is_student": True,
                    "bde_class_id": school_class.id,
                    "company_id": school_class.company_id.id,
                }
                for index, school_class in enumerate((k2, k2, k3, k4))
            ]
        )

    @classmethod
    def _make_partners(cls):
        Partner = cls.env["res.partner"]
        a, b, c, d, e = Partner.create(
            [{"name": f"Entreprise {x}", "is_company": True} for x in "ABCDE"]
        )
        cls.partner_a, cls.partner_b = a, b
        ps = cls.prev_start
        cls.env["bde.partner.relation"].create(
            [
                # L1: A active since last year; B active last year, former
                # since this one; C prospect since today, E since last year;
                # D active since today.
                cls._relation(
                    cls.l1, a, "active", ps + timedelta(10), ps + timedelta(10)
                ),
                cls._relation(cls.l1, b, "former", cls.start, ps + timedelta(10)),
                cls._relation(cls.l1, c, "prospect", cls.today, False),
                cls._relation(cls.l1, d, "active", cls.today, cls.today),
                cls._relation(cls.l1, e, "prospect", ps + timedelta(20), False),
                # L2: A active since last year.
                cls._relation(cls.l2, a, "active", ps, ps),
            ]
        )

    @classmethod
    def _relation(cls, lycee, partner, status, date_status, date_since):
        return {
            "company_id": lycee.id,
            "partner_id": partner.id,
            "status": status,
            "date_status": date_status,
            "date_partner_since": date_since,
        }

    @classmethod
    def _make_conventions(cls):
        Convention = cls.env["bde.partnership.convention"]
        ps, pe, s = cls.prev_start, cls.prev_end, cls.start

        def values(lycee, state, start, end, **more):
            return dict(
                company_id=lycee.id,
                partner_id=cls.partner_a.id,
                state=state,
                date_start=start,
                date_end=end,
                **more,
            )

        c1 = Convention.create(
            values(
                cls.l1,
                "renewed",
                ps - relativedelta(years=1),
                pe,
                date_signed_lycee=ps + timedelta(1),
                date_signed_partner=ps + timedelta(3),
            )
        )
        Convention.create(
            [
                values(
                    cls.l1,
                    "terminated",
                    ps + timedelta(30),
                    s + relativedelta(years=2),
                    date_terminated=s,
                    date_signed_lycee=ps + timedelta(20),
                    date_signed_partner=ps + timedelta(25),
                ),
                values(
                    cls.l1,
                    "active",
                    s,
                    s + relativedelta(years=2),
                    renewed_from_id=c1.id,
                    date_signed_lycee=s - timedelta(20),
                    date_signed_partner=s,
                ),
                values(
                    cls.l1,
                    "expired",
                    ps - relativedelta(years=1),
                    ps + timedelta(100),
                ),
                values(cls.l1, "draft", s, s + relativedelta(years=1)),
                values(
                    cls.l2,
                    "active",
                    s,
                    s + relativedelta(years=1),
                    date_signed_lycee=s,
                    date_signed_partner=s,
                ),
            ]
        )

    @classmethod
    def _make_leads(cls):
        team = cls.env.ref("bde_lycee.crm_team_bde")
        Lead = cls.env["crm.lead"]
        leads = Lead.create(
            [
                {"name": "L1 now 1", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 now 2", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 lost", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L1 last year", "team_id": team.id, "company_id": cls.l1.id},
                {"name": "L2 now", "team_id": team.id, "company_id": cls.l2.id},
                {"name": "L1 other team", "team_id": False, "company_id": cls.l1.id},
            ]
        )
        leads[2].action_archive()
        # The creation date is the ORM's; last year's lead is dated by hand.
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            [at(cls.prev_start + timedelta(40)), leads[3].id],
        )
        leads.invalidate_recordset(["create_date"])

    @classmethod
    def _make_events(cls):
        Event = cls.env["event.event"]
        held_prev, held_now, coming, held_l2 = Event.create(
            [
                cls._event(cls.l1, at(cls.prev_start + timedelta(50))),
                cls._event(cls.l1, at(cls.start, 6)),
                cls._event(cls.l1, at(cls.today + timedelta(10))),
                cls._event(cls.l2, at(cls.start, 6)),
            ]
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {index}", "state": state}
                for index, (event, state) in enumerate(
                    [
                        (held_prev, "done"),
                        (held_prev, "done"),
                        (held_prev, "done"),
                        (held_prev, "open"),
                        (held_now, "done"),
                        (held_now, "done"),
                        (coming, "open"),
                        (held_l2, "done"),
                    ]
                )
            ]
        )
        Participation = cls.env["bde.event.participation"]
        Participation.create(
            [
                {
                    "event_id": held_prev.id,
                    "partner_id": cls.partner_a.id,
                    "role": "stand",
                    "state": "attended",
                },
                {
                    "event_id": held_prev.id,
                    "partner_id": cls.partner_a.id,
                    "role": "jury",
                    "state": "invited",
                },
            ]
        )

    @classmethod
    def _event(cls, lycee, begin):
        return {
            "name": f"Forum {begin}",
            "company_id": lycee.id,
            "event_type_id": cls.env.ref("bde_lycee.event_type_job_forum").id,
            "date_begin": begin,
            "date_end": begin + timedelta(hours=2),
        }

    @classmethod
    def _make_skill_needs_and_tax(cls):
        def need(lycee, headcount, day, **more):
            return dict(
                company_id=lycee.id,
                partner_id=cls.partner_a.id,
                job_title="Vendeur",
                headcount=headcount,
                date=day,
                **more,
            )

        cls.env["bde.skill.need"].create(
            [
                need(cls.l1, 3, cls.prev_start + timedelta(5)),
                need(cls.l1, 2, cls.today),
                need(cls.l1, 4, cls.today, state="closed"),
                need(cls.l1, 10, cls.today, active=False),
                need(cls.l2, 1, cls.today),
            ]
        )
        # Campaign year Y is school year "Y-1 - Y".
        Campaign = cls.env["bde.tax.campaign"]
        prev_l1, now_l1, now_l2 = Campaign.create(
            [
                {"name": "TA prev", "year": cls.start.year, "company_id": cls.l1.id},
                {"name": "TA now", "year": cls.start.year + 1, "company_id": cls.l1.id},
                {"name": "TA now", "year": cls.start.year + 1, "company_id": cls.l2.id},
            ]
        )

        def pledge(campaign, promised, received, partner=cls.partner_a):
            return {
                "campaign_id": campaign.id,
                "company_id": campaign.company_id.id,
                "partner_id": partner.id,
                "amount_promised": promised,
                "amount_received": received,
                "state": "received" if received else "promised",
            }

        cls.env["bde.tax.pledge"].create(
            [
                pledge(prev_l1, 1000, 800),
                pledge(prev_l1, 500, 0, cls.partner_b),
                pledge(now_l1, 300, 300),
                pledge(now_l2, 200, 100),
            ]
        )

    # ------------------------------------------------------------

    EXPECTED = {
        # (lycée, year): figures; prev = the school year before the current.
        ("l1", "prev"): {
            "partner_active_count": 2,
            "partner_prospect_count": 1,
            "convention_active_count": 2,
            "convention_signed_count": 2,
            "convention_renewed_count": 0,
            "convention_ended_count": 1,
            "lead_count": 1,
            "event_count": 1,
            "event_attendance": 3,
            "event_partner_count": 1,
            "skill_need_headcount": 3,
            "tax_amount_promised": 1500.0,
            "tax_amount_received": 800.0,
            "class_count": 2,
            "student_count": 1,
        },
        ("l1", "now"): {
            "partner_active_count": 2,
            "partner_prospect_count": 2,
            "convention_active_count": 1,
            "convention_signed_count": 1,
            "convention_renewed_count": 1,
            "convention_ended_count": 1,
            "lead_count": 3,
            "event_count": 1,
            "event_attendance": 2,
            "event_partner_count": 0,
            "skill_need_headcount": 6,
            "tax_amount_promised": 300.0,
            "tax_amount_received": 300.0,
            "class_count": 2,
            "student_count": 3,
        },
        ("l2", "prev"): {
            "partner_active_count": 1,
            "partner_prospect_count": 0,
            "convention_active_count": 0,
            "convention_signed_count": 0,
            "convention_renewed_count": 0,
            "convention_ended_count": 0,
            "lead_count": 0,
            "event_count": 0,
            "event_attendance": 0,
            "event_partner_count": 0,
            "skill_need_headcount": 0,
            "tax_amount_promised": 0.0,
            "tax_amount_received": 0.0,
            "class_count": 1,
            "student_count": 0,
        },
        ("l2", "now"): {
            "partner_active_count": 1,
            "partner_prospect_count": 0,
            "convention_active_count": 1,
            "convention_signed_count": 1,
            "convention_renewed_count": 0,
            "convention_ended_count": 0,
            "lead_count": 1,
            "event_count": 1,
            "event_attendance": 1,
            "event_partner_count": 0,
            "skill_need_headcount": 1,
            "tax_amount_promised": 200.0,
            "tax_amount_received": 100.0,
            "class_count": 1,
            "student_count": 1,
        },
    }

    def _row(self, lycee, year, user=None):
        Report = self.env["bde.lycee.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search(
            [("company_id", "=", lycee.id), ("school_year", "=", year)]
        )

    def _rows(self):
        return {
            (key, period): self._row(lycee, year)
            for key, lycee in (("l1", self.l1), ("l2", self.l2))
            for period, year in (("prev", self.prev_year), ("now", self.year))
        }

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

    def test_network_totals_are_the_sums_of_their_lycees(self):
        Network = self.env["bde.network.report"].with_user(self.user_network)
        figures = Network._sum_fields()
        self.assertIn("convention_active_count", figures)
        lycee_rows = self.env["bde.lycee.report"].search(
            [("company_id", "in", [self.l1.id, self.l2.id])]
        )
        for network, lycees in (
            (self.network, self.l1 | self.l2),
            (self.network_l1, self.l1),
        ):
            for year in (self.prev_year, self.year):
                row = Network.search(
                    [("network_id", "=", network.id), ("school_year", "=", year)]
                )
                self.assertEqual(row.lycee_count, len(lycees))
                mine = lycee_rows.filtered(
                    lambda r, lycees=lycees, year=year: (
                        r.company_id in lycees and r.school_year == year
                    )
                )
                for name in figures:
                    self.assertEqual(
                        row[name], sum(mine.mapped(name)), (network.name, name)
                    )
        # A hand-written total, so that a sum of zeros cannot pass.
        row = Network.search(
            [("network_id", "=", self.network.id), ("school_year", "=", self.year)]
        )
        self.assertEqual(row.convention_active_count, 2)
        self.assertEqual(row.tax_amount_received, 400.0)

    def test_network_of_a_lycee_not_followed_is_not_read(self):
        # A network that spans a lycée the reader does not follow would
        # disclose that lycée's figures in its sums.
        stranger = self.env["res.company"].create(
            {"name": "LP Ailleurs", "bde_uai": "0690001B"}
        )
        self.network.company_ids |= stranger
        Network = self.env["bde.network.report"].with_user(self.user_network)
        self.assertFalse(Network.search([("network_id", "=", self.network.id)]))
        self.assertTrue(Network.search([("network_id", "=", self.network_l1.id)]))

    def test_xlsx_of_the_network(self):
        export = (
            self.env["bde.network.export"]
            .with_user(self.user_network)
            .create({"school_year": self.year})
        )
        export.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        self.assertEqual(book.sheetnames, ["Lycées", "Networks", "Formations"])
        lycees = list(book["Lycées"].values)
        headers = lycees[0]
        self.assertEqual(headers[:3], ("UAI", "Lycée", "School year"))
        self.assertIn("Conventions in force", headers)
        by_uai = {row[0]: dict(zip(headers, row, strict=True)) for row in lycees[1:]}
        self.assertEqual(by_uai["0750655E"]["Lycée"], "LP Test Jaurès")
        self.assertEqual(by_uai["0750655E"]["Conventions in force"], 1)
        self.assertEqual(by_uai["0690026D"]["Tax received"], 100)
        networks = {row[0]: row for row in list(book["Networks"].values)[1:]}
        self.assertEqual(networks["Bassin test"][4], 2)
        formations = list(book["Formations"].values)
        self.assertEqual(
            formations[0][:5],
            ("UAI", "Formation", "Diploma code", "MEF codes", "Students"),
        )
        row = next(r for r in formations[1:] if r[0] == "0750655E")
        self.assertEqual(
            row[:5],
            ("0750655E", "Bac pro MCV test", "40031213", "2473121332, 2473121333", 3),
        )
        # Never a named person: no student's, partner's or user's name.
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for line in sheet.values
            for cell in line
        )
        for name in (
            "Élève",
            "Léa Martin",
            "Entreprise A",
            "Visitor",
            self.user_officer.name,
        ):
            self.assertNotIn(name, text)

    def test_root_menu_lands_by_role(self):
        Report = self.env["bde.lycee.report"]
        action = Report.with_user(self.user_network).action_open_home()
        self.assertEqual(action["res_model"], "bde.lycee.report")
        staff_action = Report.with_user(self.user_officer).action_open_home()
        self.assertNotEqual(staff_action.get("res_model"), "bde.lycee.report")
        home = self.env.ref("bde_lycee.bde_home_action")
        self.assertEqual(self.env.ref("bde_lycee.bde_menu_root").action, home)
        self.assertEqual(home.path, "bde-dashboard")
