from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpPlacement(BdePfmpCase):
    def test_placement_follows_period(self):
        placement = self._make_placement()
        self.assertEqual(placement.class_id, self.school_class)
        self.assertEqual(placement.company_id, self.lycee)
        self.assertEqual(placement.date_start, date(2025, 11, 3))
        self.assertEqual(placement.date_end, date(2025, 11, 28))
        self.assertEqual(placement.calendar_days, 26)
        self.assertEqual(placement.date_middle, date(2025, 11, 15))
        self.assertEqual(placement.teacher_id, self.user_teacher)
        self.assertEqual(placement.school_year, "2025-2026")

    def test_overlap_refused_unless_cancelled(self):
        first = self._make_placement()
        with self.assertRaises(ValidationError):
            self._make_placement(
                period_id=False, date_start="2025-11-24", date_end="2025-12-05"
            )
        first._action_stop("cancel", "The host closed its shop.")
        self.assertEqual(first.state, "cancelled")
        second = self._make_placement(
            period_id=False, date_start="2025-11-24", date_end="2025-12-05"
        )
        self.assertEqual(second.state, "host_found")
        # Reopening the cancelled one would make it overlap again.
        with self.assertRaises(ValidationError):
            first.action_reset()
        # Back-to-back placements do not overlap; another student may share dates.
        self._make_placement(
            period_id=False, date_start="2025-12-06", date_end="2025-12-19"
        )
        self._make_placement(student=self.student_adult)

    def test_overlap_inside_one_batch(self):
        with self.assertRaises(ValidationError):
            self.env["bde.pfmp.placement"].create(
                [
                    {"student_id": self.student.id, "period_id": self.period.id},
                    {
                        "student_id": self.student.id,
                        "class_id": self.school_class.id,
                        "date_start": "2025-11-20",
                        "date_end": "2025-11-21",
                    },
                ]
            )

    def test_age_at_start(self):
        # Léa Martin, born 2008-03-15: 17 on 2025-11-03, 18 from 2026-03-15.
        placement = self._make_placement()
        self.assertEqual(placement.age_at_start, 17)
        self.assertTrue(placement.is_minor)
        later = self._make_placement(
            period_id=False, date_start="2026-03-16", date_end="2026-04-10"
        )
        self.assertEqual(later.age_at_start, 18)
        self.assertFalse(later.is_minor)
        # Turning 18 during the placement keeps the minors' rules until the end.
        turning = self._make_placement(
            period_id=False, date_start="2026-03-02", date_end="2026-03-13"
        )
        self.assertTrue(turning.is_minor)

    def test_minor_weekly_hours(self):
        placement = self._make_placement(hours_per_day=7, hours_per_week=35)
        self.assertTrue(placement.is_minor)
        with self.assertRaises(ValidationError):
            placement.hours_per_week = 36
        with self.assertRaises(ValidationError):
            placement.hours_per_day = 8.5
        with self.assertRaises(ValidationError):
            placement.night_work = True
        placement.hours_per_day = 8
        self.assertEqual(placement.hours_per_day, 8)

    def test_adult_not_limited(self):
        placement = self._make_placement(
            student=self.student_adult, hours_per_day=10, hours_per_week=39
        )
        self.assertFalse(placement.is_minor)
        placement.night_work = True
        self.assertTrue(placement.night_work)

    def test_unknown_birthdate_counts_as_minor(self):
        self.student_adult.bde_birthdate = False
        placement = self._make_placement(student=self.student_adult)
        self.assertTrue(placement.is_minor)
        with self.assertRaises(ValidationError):
            placement.hours_per_week = 36

    def test_host_and_tutor_required_from_host_found(self):
        placement = self._make_placement(
            state="searching", partner_id=False, tutor_id=False
        )
        with self.assertRaises(ValidationError):
            placement.action_host_found()
        placement.write(
            {"partner_id": self.company_partner.id, "tutor_id": self.tutor.id}
        )
        placement.action_host_found()
        self.assertEqual(placement.state, "host_found")

    def test_derogation_required_to_sign(self):
        placement = self._make_placement(regulated_work=True)
        self._sign_by_all(placement)
        placement.action_to_sign()
        with self.assertRaises(ValidationError):
            placement.action_sign()
        self.assertEqual(placement.state, "to_sign")
        placement.derogation_ref = "DER-2025-007"
        placement.action_sign()
        self.assertEqual(placement.state, "signed")
        # An adult needs no derogation.
        adult = self._make_placement(
            student=self.student_adult, regulated_work=True, state="to_sign"
        )
        self._sign_by_all(adult)
        adult.action_sign()
        self.assertEqual(adult.state, "signed")

    def test_state_flow_and_wrong_steps(self):
        placement = self._make_placement()
        with self.assertRaises(UserError):
            placement.action_start()
        placement.action_to_sign()
        self._sign_by_all(placement)
        placement.action_sign()
        placement.action_start()
        with self.assertRaises(UserError):
            # Done needs the days done confirmed.
            placement.action_done()
        placement.sudo()._confirm_attendance(18, self.tutor)
        placement.action_done()
        self.env["bde.host.rating"].create(
            {"placement_id": placement.id, "rater_type": "teacher", "score": 4}
        )
        placement.action_evaluate()
        self.assertEqual(placement.state, "evaluated")
        with self.assertRaises(UserError):
            placement._action_stop("cancel", "Too late")

    def test_interrupt_with_reason(self):
        placement = self._make_placement(state="in_progress")
        wizard = Form(
            self.env["bde.pfmp.placement.stop"].with_context(
                default_placement_ids=placement.ids, default_stop="interrupt"
            )
        )
        wizard.reason = "Accident on the way to the host."
        wizard.date_stopped = date(2025, 11, 14)
        wizard.save().action_confirm()
        self.assertEqual(placement.state, "interrupted")
        self.assertEqual(placement.stop_reason, "Accident on the way to the host.")
        self.assertEqual(placement.date_stopped, date(2025, 11, 14))
        other = self._make_placement(student=self.student_adult)
        with self.assertRaises(UserError):
            other._action_stop("cancel", "  ")
        self.assertEqual(other.state, "host_found")

    def test_days_done_bounds(self):
        placement = self._make_placement()
        placement.days_done = 26
        self.assertEqual(placement.days_done, 26)
        with self.assertRaises(ValidationError):
            placement.days_done = 27
        with self.assertRaises(ValidationError):
            placement.write({"date_end": "2025-11-20"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            placement.days_done = -1
            placement.flush_recordset()

    def test_placement_dates_inside_school_year(self):
        with self.assertRaises(ValidationError):
            self._make_placement(
                period_id=False, date_start="2026-08-17", date_end="2026-09-11"
            )
