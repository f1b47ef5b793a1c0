from freezegun import freeze_time

from odoo.tests import tagged

from .common import BdePfmpCase

SUBJECT = "présences et évaluation à compléter"


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpTutorReminder(BdePfmpCase):
    """The period of the test class ends on 2025-11-28: with the default 5
    days, the tutor is reminded on 2025-11-23, then on 2025-11-29."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tutor.email = "paul.tuteur@example.com"
        cls.Placement = cls.env["bde.pfmp.placement"]
        cls.placement = cls._make_placement(state="in_progress")

    def _reminders(self, tutor=None):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", (tutor or self.tutor).ids),
                ("subject", "ilike", SUBJECT),
            ]
        )

    def _run(self, day):
        with freeze_time(day):
            self.Placement._cron_remind_tutors()

    def test_once_before_the_end_and_once_after(self):
        self._run("2025-11-22")
        self.assertFalse(self._reminders())
        self._run("2025-11-23")
        reminder = self._reminders()
        self.assertEqual(len(reminder), 1)
        # The tutor's personal link, the token made for this tutor.
        self.assertIn(
            f"/my/pfmp/{self.placement.id}?access_token="
            f"{self.placement.sudo().access_token}",
            reminder.body_html,
        )
        self.assertIn("confirmer le nombre de jours", reminder.body_html)
        self.assertEqual(str(self.placement.tutor_reminder_before_date), "2025-11-23")
        # Kept out of the chatter: the staff never read the link.
        self.assertFalse(reminder.model)
        self._run("2025-11-23")
        self._run("2025-11-28")
        self.assertEqual(len(self._reminders()), 1)
        self._run("2025-11-29")
        self.assertEqual(len(self._reminders()), 2)
        self.assertEqual(str(self.placement.tutor_reminder_after_date), "2025-11-29")
        self._run("2025-11-30")
        self._run("2025-12-10")
        self.assertEqual(len(self._reminders()), 2)
        logged = self.placement.message_ids.filtered(
            lambda message: "was reminded by e-mail" in str(message.body)
        )
        self.assertEqual(len(logged), 2)

    def test_stopped_once_confirmed_and_evaluated(self):
        with freeze_time("2025-11-21"):
            self.placement.sudo()._confirm_attendance(18, self.tutor)
        self._run("2025-11-23")
        # Confirmed but not evaluated yet: asked for the evaluation only.
        reminder = self._reminders()
        self.assertEqual(len(reminder), 1)
        self.assertNotIn("confirmer le nombre de jours", reminder.body_html)
        self.assertIn("remplir l'évaluation", reminder.body_html)
        with freeze_time("2025-11-27"):
            self.placement.sudo()._submit_tutor_evaluation("3", "Bien", self.tutor)
        self._run("2025-11-29")
        self.assertEqual(len(self._reminders()), 1)
        self.assertFalse(self.placement.tutor_reminder_after_date)

    def test_each_lycee_its_own_days(self):
        # The second lycée's placement ends on 2025-12-19.
        self.other_lycee.bde_pfmp_tutor_reminder_days = 10
        self.lycee.bde_pfmp_tutor_reminder_days = 2
        other_tutor = self.env["res.partner"].create(
            {
                "name": "Luc Autre",
                "parent_id": self.company_partner.id,
                "email": "luc.autre@example.com",
            }
        )
        self._make_other_lycee_placement(tutor_id=other_tutor.id, state="in_progress")
        self._run("2025-11-25")
        self.assertFalse(self._reminders())
        self._run("2025-11-26")
        self.assertEqual(len(self._reminders()), 1)
        self._run("2025-12-08")
        self.assertFalse(self._reminders(other_tutor))
        self._run("2025-12-09")
        self.assertEqual(len(self._reminders(other_tutor)), 1)

    def test_tutor_without_email_left_out(self):
        self.tutor.email = False
        with self.assertLogs(
            "odoo.addons.bde_pfmp.models.bde_pfmp_placement_tutor_reminder", "WARNING"
        ) as logs:
            self._run("2025-11-23")
        self.assertIn("Paul Tuteur", logs.output[0])
        self.assertFalse(self.placement.tutor_reminder_before_date)
        self.assertFalse(
            self.env["mail.mail"]
            .search([("subject", "ilike", SUBJECT)])
            .filtered(lambda mail: self.placement.student_id.name in mail.subject)
        )

    def test_not_after_the_link_expired(self):
        # First run 31 days after the end: the link no longer opens.
        self._run("2025-12-29")
        self.assertFalse(self._reminders())
        self.assertFalse(self.placement.tutor_reminder_after_date)

    def test_not_before_the_placement_started(self):
        self.placement.sudo()._write_trusted({"state": "signed"})
        self._run("2025-11-23")
        self.assertFalse(self._reminders())
