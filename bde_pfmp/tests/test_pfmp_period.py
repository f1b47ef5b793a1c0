from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpPeriod(BdePfmpCase):
    def test_period_takes_company_and_year_of_class(self):
        self.assertEqual(self.period.company_id, self.lycee)
        self.assertEqual(self.period.school_year, "2025-2026")
        self.assertEqual(self.school_class.pfmp_period_count, 1)
        action = self.school_class.action_view_pfmp_periods()
        self.assertEqual(
            self.env["bde.pfmp.period"].search(action["domain"]), self.period
        )

    def test_period_dates_inside_school_year(self):
        periods = self.env["bde.pfmp.period"]
        with self.assertRaises(ValidationError):
            periods.create(
                {
                    "class_id": self.school_class.id,
                    "date_start": "2026-06-15",
                    "date_end": "2026-09-04",
                }
            )
        with self.assertRaises(ValidationError):
            periods.create(
                {
                    "class_id": self.school_class.id,
                    "date_start": "2025-08-25",
                    "date_end": "2025-09-19",
                }
            )
        with self.assertRaises(ValidationError):
            periods.create(
                {
                    "class_id": self.school_class.id,
                    "date_start": "2026-02-20",
                    "date_end": "2026-02-02",
                }
            )
        last_weeks = periods.create(
            {
                "class_id": self.school_class.id,
                "date_start": "2026-06-01",
                "date_end": "2026-08-31",
            }
        )
        self.assertEqual(last_weeks.school_year, "2025-2026")

    def test_create_placements_once_per_student(self):
        self.period.action_create_placements()
        placements = self.period.placement_ids
        self.assertEqual(placements.student_id, self.student | self.student_adult)
        self.assertEqual(set(placements.mapped("state")), {"searching"})
        self.assertEqual(placements.teacher_id, self.user_teacher)
        self.assertEqual(placements.class_id, self.school_class)
        self.assertEqual(set(placements.mapped("date_start")), {self.period.date_start})
        self.assertEqual(set(placements.mapped("date_end")), {self.period.date_end})
        # Running it again creates nothing: every student already has one.
        with self.assertRaises(UserError):
            self.period.action_create_placements()
        self.assertEqual(len(self.period.placement_ids), 2)
        # A student who joins the class later gets their placement.
        newcomer = self.env["res.partner"].create(
            {
                "name": "Inès Roux",
                "bde_is_student": True,
                "bde_birthdate": "2008-06-01",
                "bde_class_id": self.school_class.id,
                "company_id": self.lycee.id,
            }
        )
        self.period.action_create_placements()
        self.assertEqual(len(self.period.placement_ids), 3)
        self.assertIn(newcomer, self.period.placement_ids.student_id)
        self.assertEqual(self.period.placement_count, 3)
