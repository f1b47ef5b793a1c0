from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowance(BdePfmpCase):
    """APLyPro's rule: min(days done × daily rate, yearly cap − amounts of the
    student's earlier placements of the same school year and MEF)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Rates of a made-up school year, so that shipped data never interferes.
        cls.year = "2030-2031"
        cls.school_class.school_year = cls.year
        cls.period.write({"date_start": "2030-11-04", "date_end": "2030-11-29"})
        cls.level_rate = cls.env["bde.allowance.rate"].create(
            {
                "school_year": cls.year,
                "mef_stat4": "2383",
                "daily_rate": 20,
                "yearly_cap": 1000,
            }
        )

    def _placement(self, date_start, date_end, days_done, **vals):
        return self._make_placement(
            period_id=False,
            date_start=date_start,
            date_end=date_end,
            days_done=days_done,
            **vals,
        )

    def test_shipped_level_defaults(self):
        def level_default(school_year, mef_stat4):
            return self.env["bde.allowance.rate"].search(
                [
                    ("school_year", "=", school_year),
                    ("mef_code", "=", False),
                    ("mef_stat4", "=", mef_stat4),
                ]
            )

        tle = level_default("2024-2025", "2383")
        self.assertEqual((tle.daily_rate, tle.yearly_cap), (20, 1200))
        cap2 = level_default("2025-2026", "2322")
        self.assertEqual((cap2.daily_rate, cap2.yearly_cap), (15, 525))

    def test_simple_amount(self):
        placement = self._placement("2030-11-04", "2030-11-29", 20)
        self.assertEqual(placement.allowance_amount, 400)
        self.assertEqual(placement.allowance_rate_id, self.level_rate)
        self.assertFalse(placement.allowance_missing_rate)

    def test_cap_reached_across_two_placements(self):
        first = self._placement("2030-11-04", "2030-12-20", 35)
        second = self._placement("2031-03-01", "2031-04-25", 40)
        self.assertEqual(first.allowance_amount, 700)
        self.assertEqual(second.allowance_amount, 300)

    def test_recompute_later_after_earlier_changes(self):
        second = self._placement("2031-03-01", "2031-04-25", 40)
        self.assertEqual(second.allowance_amount, 800)
        # An earlier placement entered afterwards takes the cap first.
        first = self._placement("2030-11-04", "2030-12-20", 35)
        self.assertEqual(first.allowance_amount, 700)
        self.assertEqual(second.allowance_amount, 300)
        first.days_done = 10
        self.assertEqual(first.allowance_amount, 200)
        self.assertEqual(second.allowance_amount, 800)
        first._action_stop("cancel", "Never started.")
        self.assertEqual(first.allowance_amount, 0)
        self.assertEqual(second.allowance_amount, 800)
        second.unlink()
        first.action_reset()
        self.assertEqual(first.allowance_amount, 200)

    def test_other_student_or_year_has_own_cap(self):
        self._placement("2030-11-04", "2030-12-20", 45)
        other = self._placement(
            "2030-11-04", "2030-12-20", 45, student=self.student_adult
        )
        self.assertEqual(other.allowance_amount, 900)

    def test_mef_rate_beats_level_default(self):
        mef_rate = self.env["bde.allowance.rate"].create(
            {
                "school_year": self.year,
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "ministry": "masa",
                "daily_rate": 20,
                "yearly_cap": 800,
            }
        )
        placement = self._placement("2030-11-04", "2030-12-20", 45)
        self.assertEqual(placement.allowance_rate_id, mef_rate)
        self.assertEqual(placement.allowance_amount, 800)
        # Changing the national table recomputes the placements it covers.
        mef_rate.yearly_cap = 700
        self.assertEqual(placement.allowance_amount, 700)
        mef_rate.unlink()
        self.assertEqual(placement.allowance_rate_id, self.level_rate)
        self.assertEqual(placement.allowance_amount, 900)

    def test_no_rate_gives_zero_and_flag(self):
        self.school_class.write({"mef_code": False, "mef_stat4": "2391"})
        placement = self._placement("2030-11-04", "2030-11-29", 20)
        self.assertEqual(placement.allowance_amount, 0)
        self.assertTrue(placement.allowance_missing_rate)
        self.assertFalse(placement.allowance_rate_id)

    def test_rate_rows_are_checked(self):
        rates = self.env["bde.allowance.rate"]
        with self.assertRaises(ValidationError):
            rates.create(
                {
                    "school_year": self.year,
                    "mef_stat4": "2383",
                    "daily_rate": 15,
                    "yearly_cap": 600,
                }
            )
        with self.assertRaises(ValidationError):
            rates.create(
                {
                    "school_year": "2030-2032",
                    "mef_stat4": "2382",
                    "daily_rate": 15,
                    "yearly_cap": 600,
                }
            )

    def test_class_mef_change_recomputes(self):
        placement = self._placement("2030-11-04", "2030-11-29", 20)
        self.assertEqual(placement.allowance_amount, 400)
        self.school_class.mef_stat4 = "2391"
        self.assertEqual(placement.allowance_amount, 0)
        self.assertTrue(placement.allowance_missing_rate)
