from datetime import timedelta

from .board_common import BdeBoardCase


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
