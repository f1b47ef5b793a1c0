from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.bde_pfmp.models.resource_calendar_leaves import (
    french_public_holidays,
)

from .common import BdePfmpCase

# The period of the fixtures, 3 to 28 November 2025: 20 weekdays, one of them
# the Armistice (Tuesday 11 November).
WEEKDAYS_BUT_HOLIDAY = 19


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpAttendance(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.placement = cls._make_placement(state="in_progress")

    def _absence(self, day, duration="day", user=None, **vals):
        Absence = self.env["bde.pfmp.absence"]
        if user:
            Absence = Absence.with_user(user)
        return Absence.create(
            {
                "placement_id": self.placement.id,
                "date": day,
                "duration": duration,
                "reason": "illness",
                **vals,
            }
        )

    def _alerts(self, absence):
        alert_type = self.env.ref("bde_pfmp.mail_activity_type_pfmp_absence")
        return absence.activity_ids.filtered(
            lambda activity: activity.activity_type_id == alert_type
        )

    # Computation
    def test_shipped_schedule_weekends_and_public_holiday(self):
        self.assertEqual(
            self.placement.resource_calendar_id,
            self.env.ref("bde_pfmp.resource_calendar_pfmp_35h"),
        )
        self.assertEqual(self.placement.days_computed, WEEKDAYS_BUT_HOLIDAY)
        half_days = self.placement._bde_working_half_days()
        self.assertNotIn((date(2025, 11, 11), "morning"), half_days)
        self.assertNotIn((date(2025, 11, 8), "morning"), half_days)
        self.assertIn((date(2025, 11, 10), "afternoon"), half_days)
        for day in ("2025-11-11", "2025-11-08", "2025-11-02", "2025-11-29"):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                self._absence(day)

    def test_half_day_absences(self):
        self._absence("2025-11-04", "morning")
        self.assertEqual(self.placement.days_computed, WEEKDAYS_BUT_HOLIDAY - 1)
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 1)
        # A second half-day: the two make a whole day less, not two.
        self._absence("2025-11-05", "afternoon")
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 1)
        self._absence("2025-11-06", "day")
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 2)
        self.assertFalse(self.placement.days_done_by_staff)

    def test_same_half_day_twice_is_refused(self):
        self._absence("2025-11-04", "morning")
        for duration in ("morning", "day"):
            with self.subTest(duration=duration), self.assertRaises(ValidationError):
                self._absence("2025-11-04", duration)
        self._absence("2025-11-04", "afternoon")
        self.assertEqual(len(self.placement.absence_ids), 2)

    def test_monday_to_wednesday_schedule(self):
        schedule = self.env["resource.calendar"].create(
            {
                "name": "Lundi au mercredi",
                "company_id": False,
                "tz": "Europe/Paris",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": day,
                            "day_period": period,
                            "hour_from": start,
                            "hour_to": start + 3.5,
                        }
                    )
                    for day in ("0", "1", "2")
                    for period, start in (("morning", 8.5), ("afternoon", 13.5))
                ],
            }
        )
        self.placement.with_user(self.user_officer).resource_calendar_id = schedule
        # Monday to Wednesday of 4 weeks, less Tuesday 11 November.
        self.assertEqual(self.placement.days_computed, 11)
        self.assertEqual(self.placement.days_done, 11)
        with self.assertRaises(ValidationError):
            self._absence("2025-11-13")

    def test_interrupted_placement_ends_on_its_stop_date(self):
        self.placement._action_stop("interrupt", "Moved away", date(2025, 11, 14))
        self.assertEqual(self.placement.state, "interrupted")
        # 3 to 14 November: 10 weekdays, less the Armistice.
        self.assertEqual(self.placement.days_computed, 9)
        self.assertEqual(self.placement.days_done, 9)
        with self.assertRaises(ValidationError):
            self._absence("2025-11-17")

    def test_french_public_holidays(self):
        holidays = french_public_holidays(2026)
        self.assertEqual(len(holidays), 11)
        for day in (date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)):
            self.assertIn(day, holidays)
        Leaves = self.env["resource.calendar.leaves"]
        domain = [("calendar_id", "=", False), ("resource_id", "=", False)]
        count = Leaves.search_count(domain)
        self.assertGreaterEqual(count, 33)
        # Shipped again by the module's update: none twice.
        Leaves._bde_create_french_public_holidays(2025, 2027)
        self.assertEqual(Leaves.search_count(domain), count)

    # Staff entry, confirmation
    def test_days_typed_by_staff_are_tracked_and_count_as_confirmed(self):
        self.assertFalse(self.placement._bde_days_done_confirmed())
        # Tracking compares with the values at the start of the transaction:
        # close the creation's.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.placement.with_user(self.user_officer).days_done = 15
        self.assertTrue(self.placement.days_done_by_staff)
        self.assertTrue(self.placement._bde_days_done_confirmed())
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking is written at commit
        tracked = self.placement.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("days_done", tracked)
        self.assertIn("days_done_by_staff", tracked)
        # An absence recorded afterwards computes the figure again.
        self._absence("2025-11-04", user=self.user_officer)
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 1)
        self.assertFalse(self.placement.days_done_by_staff)
        with self.assertRaises(UserError):
            self.placement.with_user(self.user_officer).write(
                {"days_done_by_staff": True}
            )

    def test_confirmed_attendance_closes_the_tutor_and_reopens_for_staff(self):
        Absence = self.env["bde.pfmp.absence"]
        Absence._bde_tutor_record(
            self.placement, {"date": "2025-11-04", "duration": "day"}, self.tutor
        )
        self.placement._confirm_attendance(None, self.tutor)
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 1)
        self.assertTrue(self.placement._bde_days_done_confirmed())
        with self.assertRaises(UserError):
            Absence._bde_tutor_record(
                self.placement, {"date": "2025-11-05", "duration": "day"}, self.tutor
            )
        with self.assertRaises(UserError):
            self.placement.absence_ids._bde_tutor_remove(self.tutor)
        # The BDE records a forgotten absence: the tutor confirms again.
        self._absence("2025-11-05", user=self.user_officer)
        self.assertFalse(self.placement.attendance_confirmed_date)
        self.assertEqual(self.placement.days_done, WEEKDAYS_BUT_HOLIDAY - 2)

    def test_another_tutor_records_nothing(self):
        colleague = self.env["res.partner"].create(
            {"name": "Nadia Collègue", "parent_id": self.company_partner.id}
        )
        with self.assertRaises(UserError):
            self.env["bde.pfmp.absence"]._bde_tutor_record(
                self.placement, {"date": "2025-11-04", "duration": "day"}, colleague
            )
        self.assertFalse(self.placement.absence_ids)

    # Alerts
    def test_unjustified_absence_alerts_teacher_and_bde_once(self):
        absence = self._absence("2025-11-04")
        alerts = self._alerts(absence)
        self.assertIn(self.user_teacher, alerts.user_id)
        self.assertIn(self.user_officer, alerts.user_id)
        self.assertNotIn(self.user_other_lycee, alerts.user_id)
        self.assertEqual(len(alerts), len(alerts.user_id))
        today = fields.Date.context_today(absence)
        self.assertEqual(set(alerts.mapped("date_deadline")), {today})
        # Saved again, unjustified again: nothing more.
        absence.write({"justified": False, "note": "Pas de nouvelles"})
        absence._bde_alert_unjustified()
        self.assertEqual(self._alerts(absence), alerts)
        # Justified later: the alerts are done.
        absence.justified = True
        self.assertFalse(self._alerts(absence))

    def test_justified_absence_alerts_nobody(self):
        absence = self._absence("2025-11-04", justified=True)
        self.assertFalse(self._alerts(absence))

    # Access
    def test_absences_stay_in_their_lycee_and_with_the_teacher(self):
        absence = self._absence("2025-11-04", justified=True)
        Absence = self.env["bde.pfmp.absence"]
        self.assertEqual(Absence.with_user(self.user_teacher).search([]), absence)
        self.assertFalse(Absence.with_user(self.user_other_lycee).search([]))
        with self.assertRaises(AccessError):
            absence.with_user(self.user_other_lycee).read(["note"])
        other_teacher = self._make_user("bde_teacher2", "bde_lycee.group_bde_user")
        self.assertFalse(Absence.with_user(other_teacher).search([]))

    # Cost
    def _placements_with_absences(self, count):
        placements = self.env["bde.pfmp.placement"]
        for index in range(count):
            student = self.env["res.partner"].create(
                {
                    "name": f"Élève {count}-{index}",
                    "bde_is_student": True,
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
            )
            placement = self._make_placement(student=student, state="in_progress")
            self.env["bde.pfmp.absence"].create(
                {"placement_id": placement.id, "date": "2025-11-04"}
            )
            placements |= placement
        return placements

    def _count_queries(self, placements):
        placements.invalidate_recordset()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        placements.mapped("days_computed")
        return self.env.cr.sql_log_count - before

    def test_computing_days_costs_the_same_queries_for_1_and_5(self):
        one = self._placements_with_absences(1)
        five = self._placements_with_absences(5)
        self.assertEqual(set(five.mapped("days_computed")), {WEEKDAYS_BUT_HOLIDAY - 1})
        self.assertEqual(self._count_queries(one), self._count_queries(five))
