from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BdePfmpCase

STARTED = "Started on its first day (automatic)."
ENDED = "Ended after its last day, days done confirmed (automatic)."


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpLifecycle(BdePfmpCase):
    """The period of the test class runs from 2025-11-03 to 2025-11-28."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Placement = cls.env["bde.pfmp.placement"]
        cls.placement = cls._make_placement(state="signed")

    def _logged(self, placement, body):
        return placement.message_ids.filtered(lambda m: body in str(m.body))

    def _make_students(self, count, prefix):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2006-01-10",
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(count)
            ]
        )

    def test_starts_on_its_first_day(self):
        with freeze_time("2025-11-02 23:30:00"):
            # 00:30 in Paris on the 3rd: the lycée's first day.
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(self.placement.state, "in_progress")
            self.assertEqual(len(self._logged(self.placement, STARTED)), 1)

    def test_not_started_the_day_before(self):
        with freeze_time("2025-11-02 12:00:00"):
            self.Placement._cron_pfmp_lifecycle()
        self.assertEqual(self.placement.state, "signed")
        self.assertFalse(self._logged(self.placement, STARTED))

    def test_ends_the_day_after_its_last_day_once_confirmed(self):
        with freeze_time("2025-11-03"):
            self.Placement._cron_pfmp_lifecycle()
            self.placement.sudo()._confirm_attendance(19, self.tutor)
        with freeze_time("2025-11-28 12:00:00"):
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(self.placement.state, "in_progress")
        with freeze_time("2025-11-29 12:00:00"):
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(self.placement.state, "done")
            messages = self.placement.message_ids
            # Idempotent: a second run changes and posts nothing.
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(self.placement.message_ids, messages)
        self.assertEqual(len(self._logged(self.placement, STARTED)), 1)
        self.assertEqual(len(self._logged(self.placement, ENDED)), 1)

    def test_unconfirmed_placement_stays_in_progress(self):
        placement = self._make_placement(self.student_adult, state="in_progress")
        with freeze_time("2025-12-15"):
            self.Placement._cron_pfmp_lifecycle()
        self.assertEqual(placement.state, "in_progress")
        self.assertFalse(self._logged(placement, ENDED))
        with self.assertRaisesRegex(UserError, "Hugo Bernard"):
            placement.with_user(self.user_officer).action_done()
        placement.sudo()._confirm_attendance(18, self.tutor)
        placement.with_user(self.user_officer).action_done()
        self.assertEqual(placement.state, "done")

    def test_every_lycee_on_its_dates(self):
        # The second lycée's placement runs from 2025-12-01 to 2025-12-19.
        other = self._make_other_lycee_placement(tutor_id=self.tutor.id, state="signed")
        with freeze_time("2025-11-30"):
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(other.state, "signed")
        with freeze_time("2025-12-01"):
            self.Placement._cron_pfmp_lifecycle()
            self.assertEqual(other.state, "in_progress")
            self.assertEqual(self.placement.state, "in_progress")

    def test_one_refused_placement_holds_up_no_other(self):
        other = self._make_other_lycee_placement(tutor_id=self.tutor.id, state="signed")
        Placement = type(self.Placement)
        start = Placement.action_start

        def refuse_the_first(placements):
            if self.placement in placements:
                raise UserError("Refused")
            return start(placements)

        with (
            freeze_time("2025-12-01"),
            patch.object(Placement, "action_start", refuse_the_first),
            self.assertLogs(
                "odoo.addons.bde_pfmp.models.bde_pfmp_placement_lifecycle", "WARNING"
            ) as logs,
        ):
            self.Placement._cron_pfmp_lifecycle()
        self.assertEqual(self.placement.state, "signed")
        self.assertEqual(other.state, "in_progress")
        self.assertEqual(len(self._logged(other, STARTED)), 1)
        self.assertFalse(self._logged(self.placement, STARTED))
        self.assertIn(f"placement {self.placement.id} not moved", logs.output[0])

    def _cron_queries(self, count, prefix):
        """Queries of one run that starts ``count`` placements and ends
        ``count`` others."""
        period = self.env["bde.pfmp.period"].create(
            {
                "name": f"PFMP {prefix}",
                "class_id": self.school_class.id,
                "date_start": "2025-10-06",
                "date_end": "2025-10-24",
            }
        )
        students = self._make_students(count, prefix)
        ending = self.Placement.create(
            [
                {
                    "student_id": student.id,
                    "period_id": period.id,
                    "partner_id": self.company_partner.id,
                    "tutor_id": self.tutor.id,
                    "state": "in_progress",
                    "days_done": 15,
                    "attendance_confirmed_date": "2025-10-24",
                }
                for student in students
            ]
        )
        starting = self.Placement.create(
            [
                {
                    "student_id": student.id,
                    "period_id": self.period.id,
                    "partner_id": self.company_partner.id,
                    "tutor_id": self.tutor.id,
                    "state": "signed",
                }
                for student in students
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        with self._count_step_queries() as in_steps:
            self.Placement._cron_pfmp_lifecycle()
            self.env.flush_all()
        self.assertEqual(set(ending.mapped("state")), {"done"})
        self.assertEqual(set(starting.mapped("state")), {"in_progress"})
        return self.cr.sql_log_count - before - in_steps[0]

    @contextmanager
    def _count_step_queries(self):
        """Count apart the queries of the placements' own steps, which the
        cron takes once per batch: what they cost is theirs (the hooks of
        the attendance and the evaluations), what is left is the cron's."""
        counted = [0]
        model = type(self.Placement)

        def counting(step):
            def wrapper(records):
                before = self.cr.sql_log_count
                result = step(records)
                records.env.flush_all()
                counted[0] += self.cr.sql_log_count - before
                return result

            return wrapper

        with (
            patch.object(model, "action_start", counting(model.action_start)),
            patch.object(model, "action_done", counting(model.action_done)),
        ):
            yield counted

    def test_query_count_does_not_grow(self):
        with freeze_time("2025-11-03"):
            self._cron_queries(1, "Warm-up")
            once = self._cron_queries(1, "Once")
            five_times = self._cron_queries(5, "Five times")
        # One search per state, one batch per step, one batch of messages.
        self.assertEqual(five_times, once)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpClassActions(BdePfmpCase):
    """A class of the first lycée with placements in every state that
    matters, and a placement of the second lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tutor.email = "paul.tuteur@example.com"
        cls.no_email_tutor = cls.env["res.partner"].create(
            {"name": "Zoé Sansmail", "parent_id": cls.company_partner.id}
        )
        cls.signed = cls._make_placement(state="signed")
        cls.to_sign = cls._make_placement(
            cls.student_adult, state="to_sign", tutor_id=cls.no_email_tutor.id
        )
        cls.other = cls._make_other_lycee_placement(
            tutor_id=cls.tutor.id, state="signed"
        )

    def _left_out(self, result):
        params = result["params"]
        return params["type"] == "warning" and params["message"]

    def test_start_from_the_period_leaves_out_and_says_why(self):
        result = self.period.with_user(self.user_officer).action_bde_start_all()
        self.assertEqual(self.signed.state, "in_progress")
        self.assertEqual(self.to_sign.state, "to_sign")
        message = self._left_out(result)
        self.assertIn("Started: 1.", message)
        self.assertIn("Hugo Bernard: the placement is Convention to sign", message)
        self.assertEqual(result["params"]["next"]["tag"], "soft_reload")

    def test_end_needs_the_days_done_confirmed(self):
        self.signed.action_start()
        self.to_sign.sudo()._write_trusted({"state": "in_progress"})
        self.signed.sudo()._confirm_attendance(19, self.tutor)
        placements = (self.signed | self.to_sign).with_user(self.user_officer)
        result = placements.action_bde_done_all()
        self.assertEqual(self.signed.state, "done")
        self.assertEqual(self.to_sign.state, "in_progress")
        self.assertIn(
            "Hugo Bernard: the days done are not confirmed", self._left_out(result)
        )
        # Nothing left to end: all left out, nothing changed.
        result = placements.action_bde_done_all()
        self.assertIn("Ended: 0.", self._left_out(result))

    def test_send_links_leaves_out_a_tutor_without_email(self):
        mails = self.env["mail.mail"].search([])
        result = (
            (self.signed | self.to_sign)
            .with_user(self.user_officer)
            .action_bde_send_tutor_links()
        )
        sent = self.env["mail.mail"].search([]) - mails
        self.assertEqual(sent.recipient_ids, self.tutor)
        self.assertEqual(len(sent), 1)
        self.assertIn(
            "Hugo Bernard: the tutor has no e-mail address", self._left_out(result)
        )

    def test_print_attestations_of_ended_placements_only(self):
        self.signed.action_start()
        self.signed.sudo()._confirm_attendance(19, self.tutor)
        self.signed.action_done()
        result = (
            (self.signed | self.to_sign)
            .with_user(self.user_officer)
            .action_bde_print_attestations()
        )
        report = result["params"]["next"]
        self.assertEqual(report["report_name"], "bde_pfmp.report_bde_pfmp_attestation")
        self.assertEqual(report["context"]["active_ids"], self.signed.ids)
        self.assertIn("Hugo Bernard", self._left_out(result))
        result = self.period.with_user(self.user_officer).action_bde_print_conventions()
        self.assertEqual(
            sorted(result["params"]["next"]["context"]["active_ids"]),
            sorted((self.signed | self.to_sign).ids),
        )
        self.assertEqual(result["params"]["type"], "success")

    def test_only_the_bde_team_of_the_lycee(self):
        with self.assertRaises(AccessError):
            self.signed.with_user(self.user_teacher).action_bde_start_all()
        # The BDE manager of the second lycée acts on its placements only.
        with self.assertRaises(AccessError):
            (self.signed | self.other).with_user(
                self.user_other_lycee
            ).action_bde_start_all()
        with self.assertRaises(AccessError):
            (self.signed | self.other).with_user(
                self.user_officer
            ).action_bde_print_conventions()
        self.assertEqual(self.signed.state, "signed")
        self.assertEqual(self.other.state, "signed")
        result = self.other.with_user(self.user_other_lycee).action_bde_start_all()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.other.state, "in_progress")
        self.assertEqual(self.signed.state, "signed")
