from freezegun import freeze_time

from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpVisit(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2025-11-03 to 2025-11-28: the middle is 2025-11-15.
        cls.placement = cls._make_placement(state="in_progress")
        cls.activity_type = cls.env.ref("bde_pfmp.mail_activity_type_pfmp_visit")

    def _reminders(self, placement):
        return placement.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.activity_type
        )

    def test_visit_state_follows_done_date(self):
        visit = self.env["bde.pfmp.visit"].create(
            {"placement_id": self.placement.id, "date": "2025-11-12", "mode": "phone"}
        )
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.user_id, self.env.user)
        self.assertEqual(visit.company_id, self.lycee)
        with freeze_time("2025-11-13"):
            visit.action_done()
        self.assertEqual(str(visit.date_done), "2025-11-13")
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.placement.visit_count, 1)

    def test_no_reminder_before_middle(self):
        with freeze_time("2025-11-15"):
            self.env["bde.pfmp.placement"]._cron_remind_missing_visits()
        self.assertFalse(self._reminders(self.placement))

    def test_reminder_after_middle_without_visit(self):
        with freeze_time("2025-11-17"):
            self.env["bde.pfmp.placement"]._cron_remind_missing_visits()
            reminder = self._reminders(self.placement)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.user_teacher)
            # The next run does not remind twice.
            self.env["bde.pfmp.placement"]._cron_remind_missing_visits()
            self.assertEqual(len(self._reminders(self.placement)), 1)

    def test_no_reminder_with_visit_or_not_in_progress(self):
        self.env["bde.pfmp.visit"].create(
            {"placement_id": self.placement.id, "date": "2025-11-10"}
        )
        signed = self._make_placement(student=self.student_adult, state="signed")
        with freeze_time("2025-11-20"):
            self.env["bde.pfmp.placement"]._cron_remind_missing_visits()
        self.assertFalse(self._reminders(self.placement))
        self.assertFalse(self._reminders(signed))
