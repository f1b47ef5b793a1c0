import base64

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpSignature(BdePfmpCase):
    """Signatures of the convention and attendance confirmed by the tutor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Léa Martin is 17 at the start: her legal guardian signs too.
        cls.minor = cls._make_placement(state="to_sign")
        cls.adult = cls._make_placement(student=cls.student_adult, state="to_sign")
        cls.scan = base64.b64encode(b"%PDF-1.4 signed convention")

    def test_signature_progress(self):
        self.assertEqual(self.minor.signature_needed, 6)
        self.assertEqual(self.adult.signature_needed, 5)
        self.assertEqual(self.minor.signature_count, 0)
        self.assertEqual(self.minor.signature_progress, 0.0)
        self.minor.write(
            {"date_signed_school": "2025-10-20", "date_signed_host": "2025-10-21"}
        )
        self.assertEqual(self.minor.signature_count, 2)
        self.assertAlmostEqual(self.minor.signature_progress, 100 * 2 / 6)
        # The guardian's date does not count for an adult.
        self.adult.write(
            {"date_signed_student": "2025-10-20", "date_signed_guardian": "2025-10-20"}
        )
        self.assertEqual(self.adult.signature_count, 1)
        self.assertAlmostEqual(self.adult.signature_progress, 20.0)
        self._sign_by_all(self.minor)
        self.assertEqual(self.minor.signature_count, 6)
        self.assertEqual(self.minor.signature_progress, 100.0)

    def test_sign_refused_naming_missing_signatories(self):
        self.minor.write(
            {
                "date_signed_school": "2025-10-20",
                "date_signed_host": "2025-10-21",
                "date_signed_teacher": "2025-10-21",
                "date_signed_student": "2025-10-22",
            }
        )
        officer_placement = self.minor.with_user(self.user_officer)
        with self.assertRaises(UserError) as error:
            officer_placement.action_sign()
        message = str(error.exception)
        self.assertIn("Signed by the tutor", message)
        self.assertIn("Signed by the legal guardian", message)
        self.assertNotIn("Signed by the host", message)
        self.assertEqual(self.minor.state, "to_sign")
        self.minor.write(
            {"date_signed_tutor": "2025-10-22", "date_signed_guardian": "2025-10-23"}
        )
        officer_placement.action_sign()
        self.assertEqual(self.minor.state, "signed")

    def test_guardian_needed_only_for_a_minor(self):
        self.adult.write(
            {
                "date_signed_school": "2025-10-20",
                "date_signed_host": "2025-10-20",
                "date_signed_tutor": "2025-10-20",
                "date_signed_teacher": "2025-10-20",
                "date_signed_student": "2025-10-20",
            }
        )
        self.assertEqual(self.adult.signature_progress, 100.0)
        self.adult.action_sign()
        self.assertEqual(self.adult.state, "signed")

    def test_signed_on_paper_with_scan(self):
        with self.assertRaises(ValidationError):
            self.minor.signed_on_paper = True
        self.minor.write(
            {
                "signed_on_paper": True,
                "signed_scan": self.scan,
                "signed_scan_filename": "convention.pdf",
            }
        )
        self.assertEqual(self.minor.signature_count, 0)
        self.assertEqual(self.minor.signature_progress, 100.0)
        self.minor.action_sign()
        self.assertEqual(self.minor.state, "signed")

    def test_derogation_still_checked_when_signed(self):
        self.minor.regulated_work = True
        self._sign_by_all(self.minor)
        with self.assertRaises(ValidationError):
            self.minor.action_sign()
        self.assertEqual(self.minor.state, "to_sign")

    def test_signature_filter_domain(self):
        self._sign_by_all(self.adult)
        missing = self.env["bde.pfmp.placement"].search(
            [
                ("id", "in", (self.minor | self.adult).ids),
                ("signature_progress", "<", 100),
            ]
        )
        self.assertEqual(missing, self.minor)

    def test_signature_dates_on_the_convention(self):
        guardian = self.env["res.partner"].create({"name": "Claire Martin"})
        self.student.bde_legal_guardian_id = guardian
        self.minor.write(
            {"date_signed_school": "2025-10-20", "date_signed_guardian": "2025-10-24"}
        )
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            "bde_pfmp.report_bde_pfmp_convention", self.minor.ids
        )
        html = html.decode()
        self.assertEqual(html.count("Signé le"), 2)
        self.assertIn("10/20/2025", html)
        self.assertIn("10/24/2025", html)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPfmpAttendanceConfirmation(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.placement = cls._make_placement(state="done")
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Marc Collègue", "parent_id": cls.company_partner.id}
        )

    @freeze_time("2025-11-29")
    def test_tutor_confirms(self):
        self.placement.sudo()._confirm_attendance(18, self.tutor)
        self.assertEqual(self.placement.days_done, 18)
        self.assertEqual(str(self.placement.attendance_confirmed_date), "2025-11-29")
        self.assertEqual(self.placement.attendance_confirmed_by_id, self.tutor)

    def test_other_partner_refused(self):
        with self.assertRaises(UserError):
            self.placement.sudo()._confirm_attendance(18, self.other_contact)
        self.assertEqual(self.placement.days_done, 0)
        self.assertFalse(self.placement.attendance_confirmed_date)

    def test_wrong_state_refused(self):
        signed = self._make_placement(student=self.student_adult, state="signed")
        with self.assertRaises(UserError):
            signed.sudo()._confirm_attendance(3, self.tutor)
        self.assertFalse(signed.attendance_confirmed_date)

    def test_more_days_than_calendar_refused(self):
        # 2025-11-03 to 2025-11-28: 26 calendar days.
        with self.assertRaises(ValidationError):
            self.placement.sudo()._confirm_attendance(27, self.tutor)
        with self.assertRaises(UserError):
            self.placement.sudo()._confirm_attendance(-1, self.tutor)
        self.placement.sudo()._confirm_attendance(26, self.tutor)
        self.assertEqual(self.placement.days_done, 26)

    def test_staff_change_clears_confirmation(self):
        self.placement.sudo()._confirm_attendance(18, self.tutor)
        # Tracking compares with the values at the start of the transaction:
        # close it as the tutor's request would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        # Writing the same figure keeps the confirmation.
        self.placement.with_user(self.user_officer).days_done = 18
        self.assertTrue(self.placement.attendance_confirmed_date)
        self.placement.with_user(self.user_officer).days_done = 17
        self.assertFalse(self.placement.attendance_confirmed_date)
        self.assertFalse(self.placement.attendance_confirmed_by_id)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.placement.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "attendance_confirmed_date"
        )
        self.assertTrue(tracked)

    def test_unconfirmed_filter(self):
        confirmed = self._make_placement(student=self.student_adult, state="evaluated")
        confirmed.sudo()._confirm_attendance(20, self.tutor)
        unconfirmed = self.env["bde.pfmp.placement"].search(
            [
                ("id", "in", (self.placement | confirmed).ids),
                ("state", "in", ("done", "evaluated", "interrupted")),
                ("attendance_confirmed_date", "=", False),
            ]
        )
        self.assertEqual(unconfirmed, self.placement)
