from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeLyceeCase

FIGURES = [
    "partner_active_count",
    "partner_prospect_count",
    "convention_active_count",
    "convention_to_renew_count",
    "lead_count",
    "event_upcoming_count",
    "skill_need_headcount",
    "tax_amount_promised",
    "tax_amount_received",
]


@tagged("post_install", "-at_install", "bde_lycee")
@freeze_time("2026-11-24 10:00:00")
class TestBdeDashboard(BdeLyceeCase):
    def _dashboard(self, user=None):
        Dashboard = self.env["bde.dashboard"].with_user(user or self.user_officer)
        return Dashboard.browse(Dashboard.action_open_dashboard()["res_id"])

    def _figures(self, dashboard):
        return {fname: dashboard[fname] for fname in FIGURES}

    def _make_data(self):
        """Records of the test lycée, plus look-alikes that must not count:
        another lycée's, closed, ended or out of the campaign year."""
        # Each status is the test lycée's, but the other lycée's partner's.
        Partner = self.env["res.partner"]
        partners = Partner.with_company(self.lycee).create(
            [
                {"name": "Actif 2", "is_company": True, "bde_partner_status": "active"},
                {
                    "name": "Prospect 1",
                    "is_company": True,
                    "bde_partner_status": "prospect",
                },
                {
                    "name": "Prospect 2",
                    "is_company": True,
                    "bde_partner_status": "prospect",
                },
                {"name": "Ancien", "is_company": True, "bde_partner_status": "former"},
            ]
        ) | Partner.with_company(self.other_lycee).create(
            {
                "name": "Actif autre lycée",
                "is_company": True,
                "bde_partner_status": "active",
                "company_id": self.other_lycee.id,
            }
        )
        Convention = self.env["bde.partnership.convention"]
        for lycee, state, end in [
            (self.lycee, "active", date(2027, 1, 15)),  # to renew
            (self.lycee, "active", date(2027, 2, 22)),  # day 90: to renew
            (self.lycee, "active", date(2027, 6, 30)),
            (self.lycee, "draft", date(2027, 1, 15)),
            (self.other_lycee, "active", date(2027, 1, 15)),
        ]:
            Convention.create(
                {
                    "partner_id": self.company_partner.id,
                    "company_id": lycee.id,
                    "state": state,
                    "date_start": date(2024, 9, 1),
                    "date_end": end,
                }
            )
        team = self.env.ref("bde_lycee.crm_team_bde")
        identified = self.env.ref("bde_lycee.crm_stage_bde_identified")
        meeting = self.env.ref("bde_lycee.crm_stage_bde_meeting")
        self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": team.id,
                    "stage_id": stage.id,
                    "company_id": lycee.id,
                    "expected_revenue": revenue,
                }
                for name, stage, lycee, revenue in [
                    ("Lead 1", identified, self.lycee, 1000),
                    ("Lead 2", identified, self.lycee, 500),
                    ("Lead 3", meeting, self.lycee, 0),
                    ("Lead autre lycée", meeting, self.other_lycee, 0),
                ]
            ]
        )
        forum = self.env.ref("bde_lycee.event_type_job_forum")
        self.env["event.event"].create(
            [
                {
                    "name": name,
                    "event_type_id": event_type.id if event_type else False,
                    "date_begin": begin,
                    "date_end": begin.replace(hour=18),
                    "company_id": self.lycee.id,
                }
                for name, event_type, begin in [
                    ("Forum à venir", forum, datetime(2027, 2, 11, 8)),
                    ("Forum en cours", forum, datetime(2026, 11, 24, 8)),
                    ("Forum passé", forum, datetime(2026, 10, 16, 8)),
                    ("Fête hors BDE", False, datetime(2027, 1, 10, 8)),
                ]
            ]
        )
        SkillNeed = self.env["bde.skill.need"]
        for lycee, headcount, state in [
            (self.lycee, 3, "new"),
            (self.lycee, 2, "considered"),
            (self.lycee, 7, "closed"),
            (self.other_lycee, 4, "new"),
        ]:
            SkillNeed.create(
                {
                    "partner_id": self.company_partner.id,
                    "job_title": "Vendeur conseil",
                    "headcount": headcount,
                    "state": state,
                    "company_id": lycee.id,
                }
            )
        Campaign = self.env["bde.tax.campaign"]
        # One pledge per company and campaign: four companies for four pledges.
        for partner, (lycee, year, promised, received) in zip(
            partners[:4],
            [
                (self.lycee, 2026, 1500.0, 1000.0),
                (self.lycee, 2026, 800.0, 0.0),
                (self.lycee, 2025, 999.0, 999.0),
                (self.other_lycee, 2026, 5000.0, 5000.0),
            ],
            strict=True,
        ):
            campaign = Campaign.search(
                [("company_id", "=", lycee.id), ("year", "=", year)]
            ) or Campaign.create({"company_id": lycee.id, "year": year})
            self.env["bde.tax.pledge"].create(
                {
                    "campaign_id": campaign.id,
                    "partner_id": partner.id,
                    "amount_promised": promised,
                    "amount_received": received,
                }
            )
        return partners

    def test_figures(self):
        before = self._figures(self._dashboard())
        # Nothing of the new lycée but shared partners (demo data may have some).
        for fname in FIGURES[2:]:
            self.assertEqual(before[fname], 0, fname)
        self._make_data()
        dashboard = self._dashboard()
        after = self._figures(dashboard)
        # Actif 2, and the company of the conventions in force.
        self.assertEqual(
            after["partner_active_count"] - before["partner_active_count"], 2
        )
        self.assertEqual(
            after["partner_prospect_count"] - before["partner_prospect_count"], 2
        )
        self.assertEqual(after["convention_active_count"], 3)
        self.assertEqual(after["convention_to_renew_count"], 2)
        self.assertEqual(after["lead_count"], 3)
        self.assertEqual(after["event_upcoming_count"], 2)
        self.assertEqual(after["skill_need_headcount"], 5)
        self.assertEqual(dashboard.tax_year, 2026)
        self.assertEqual(after["tax_amount_promised"], 2300.0)
        self.assertEqual(after["tax_amount_received"], 1000.0)
        self.assertIn("Identified", dashboard.pipeline_html)
        self.assertIn("Forum à venir", dashboard.event_upcoming_html)
        self.assertNotIn("Forum passé", dashboard.event_upcoming_html)

    def test_drill_down_opens_counted_records(self):
        self._make_data()
        dashboard = self._dashboard()
        for method, fname in [
            ("action_open_active_partners", "partner_active_count"),
            ("action_open_prospects", "partner_prospect_count"),
            ("action_open_conventions_active", "convention_active_count"),
            ("action_open_conventions_to_renew", "convention_to_renew_count"),
            ("action_open_leads", "lead_count"),
            ("action_open_upcoming_events", "event_upcoming_count"),
        ]:
            action = getattr(dashboard, method)()
            records = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(len(records), dashboard[fname], method)
        action = dashboard.action_open_skill_needs()
        needs = self.env["bde.skill.need"].search(action["domain"])
        self.assertEqual(sum(needs.mapped("headcount")), 5)
        action = dashboard.action_open_tax_pledges()
        pledges = self.env["bde.tax.pledge"].search(action["domain"])
        self.assertEqual(sum(pledges.mapped("amount_promised")), 2300.0)

    def test_network_reader_sees_aggregates_only(self):
        self._make_data()
        dashboard = self._dashboard(self.user_reader)
        self.assertEqual(dashboard.convention_active_count, 3)
        self.assertEqual(dashboard.tax_amount_received, 1000.0)
        with self.assertRaises(AccessError):
            self.env["bde.partnership.convention"].with_user(self.user_reader).search(
                []
            )

    def test_other_lycee_figures(self):
        self._make_data()
        dashboard = self._dashboard(self.user_other_lycee)
        self.assertEqual(dashboard.company_ids, self.other_lycee)
        # Its own active partner and the company of its convention in force,
        # none of the test lycée's partners.
        self.assertEqual(dashboard.partner_active_count, 2)
        self.assertEqual(dashboard.partner_prospect_count, 0)
        self.assertEqual(dashboard.convention_active_count, 1)
        self.assertEqual(dashboard.lead_count, 1)
        self.assertEqual(dashboard.skill_need_headcount, 4)
        self.assertEqual(dashboard.tax_amount_promised, 5000.0)
