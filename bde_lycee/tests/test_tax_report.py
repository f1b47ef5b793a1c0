from odoo.exceptions import AccessError

from .board_common import BdeBoardCase


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
