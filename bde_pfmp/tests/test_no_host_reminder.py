from freezegun import freeze_time

from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestNoHostReminder(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The period starts on 2025-11-03: 21 days before is 2025-10-13.
        cls.placement = cls._make_placement(
            state="searching", partner_id=False, tutor_id=False
        )
        cls.hosted = cls._make_placement(cls.student_adult)
        cls.activity_type = cls.env.ref("bde_pfmp.mail_activity_type_pfmp_no_host")
        cls.placements = cls.env["bde.pfmp.placement"]

    def _reminders(self, placement):
        return placement.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.activity_type
        )

    def test_boundary(self):
        with freeze_time("2025-10-12"):
            self.assertFalse(
                self.placements.search([("is_without_host", "=", True)])
                & self.placement
            )
            self.placements._cron_remind_no_host()
            self.assertFalse(self._reminders(self.placement))
        with freeze_time("2025-10-13"):
            self.placement.invalidate_recordset(["is_without_host"])
            self.assertTrue(self.placement.is_without_host)
            found = self.placements.search([("is_without_host", "=", True)])
            self.assertIn(self.placement, found)
            self.assertNotIn(self.hosted, found)
            self.assertIn(
                self.hosted, self.placements.search([("is_without_host", "=", False)])
            )
            self.placements._cron_remind_no_host()
            reminder = self._reminders(self.placement)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.user_teacher)
            self.assertFalse(self._reminders(self.hosted))
            self.assertEqual(
                self.placement.no_host_reminder_date.isoformat(), "2025-10-13"
            )

    def test_never_twice(self):
        with freeze_time("2025-10-20"):
            self.placements._cron_remind_no_host()
            self._reminders(self.placement).action_feedback(feedback="Called")
            self.placements._cron_remind_no_host()
        with freeze_time("2025-10-21"):
            self.placements._cron_remind_no_host()
            self.assertFalse(self._reminders(self.placement))
            self.assertEqual(
                self.placement.no_host_reminder_date.isoformat(), "2025-10-20"
            )

    def test_company_days_and_teacher_sees_it(self):
        self.lycee.bde_pfmp_no_host_days = 7
        with freeze_time("2025-10-20"):
            self.assertNotIn(
                self.placement,
                self.placements.search([("is_without_host", "=", True)]),
            )
        with freeze_time("2025-10-27"):
            found = self.placements.with_user(self.user_teacher).search(
                [("is_without_host", "=", True)]
            )
            self.assertEqual(found.ids, self.placement.ids)
        with freeze_time("2025-11-04"):
            # The period has started: the placement is late, not "soon".
            self.assertNotIn(
                self.placement,
                self.placements.search([("is_without_host", "=", True)]),
            )
