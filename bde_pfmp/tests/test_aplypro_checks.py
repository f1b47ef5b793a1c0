from odoo.tests import tagged

from .common import BdePfmpCase

ADDRESS = {"street": "12 rue de la Paix", "zip": "75002", "city": "Paris"}


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAplyproChecks(BdePfmpCase):
    """The checks of APLyPro that would block the payment are flagged on the
    student, and recomputed when what they read changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student.write(ADDRESS)
        cls.student_adult.write(ADDRESS)

    def _blocked_students(self):
        return self.env["res.partner"].search(
            [("bde_aplypro_blocked", "=", True), ("id", "in", self.student.ids)]
        )

    def test_complete_student_is_not_blocked(self):
        self._make_placement()
        self.assertFalse(self.student.bde_aplypro_blocked)
        self.assertFalse(self.student.bde_aplypro_issues)
        self.assertFalse(self._blocked_students())

    def test_identity_checks(self):
        cases = [
            ({"bde_ine": False}, "The INE is missing."),
            ({"bde_birthdate": False}, "The birth date is missing."),
            ({"street": False}, "The address is incomplete"),
            ({"zip": False}, "The address is incomplete"),
            ({"city": False}, "The address is incomplete"),
        ]
        for values, issue in cases:
            with self.subTest(values=values):
                saved = {field: self.student[field] for field in values}
                self.student.write(values)
                self.assertTrue(self.student.bde_aplypro_blocked)
                self.assertIn(issue, self.student.bde_aplypro_issues)
                self.assertEqual(self._blocked_students(), self.student)
                self.student.write(saved)
                self.assertFalse(self.student.bde_aplypro_blocked)
                self.assertFalse(self._blocked_students())

    def test_adult_needs_own_account_or_mandate(self):
        # Hugo Bernard, born on 10 January 2006, is 19 on 3 November 2025.
        adult = self.student_adult
        self.assertFalse(adult.bde_aplypro_blocked)
        placement = self._make_placement(student=adult)
        self.assertTrue(adult.bde_aplypro_blocked)
        self.assertIn("Adult at the start of the placement", adult.bde_aplypro_issues)
        self.assertTrue(placement.student_aplypro_blocked)
        adult.bde_aplypro_own_bank_account = True
        self.assertFalse(adult.bde_aplypro_blocked)
        self.assertFalse(placement.student_aplypro_blocked)
        adult.write(
            {"bde_aplypro_own_bank_account": False, "bde_aplypro_mandate": True}
        )
        self.assertFalse(adult.bde_aplypro_blocked)

    def test_minor_at_start_needs_nothing(self):
        # Léa Martin, born on 15 March 2008, is 17 on 3 November 2025.
        placement = self._make_placement()
        self.assertEqual(placement.age_at_start, 17)
        self.assertFalse(self.student.bde_aplypro_blocked)
        # Born a year earlier, she is an adult at the start.
        self.student.bde_birthdate = "2007-03-15"
        self.assertTrue(self.student.bde_aplypro_blocked)

    def test_cancelled_placement_is_ignored(self):
        placement = self._make_placement(student=self.student_adult)
        self.assertTrue(self.student_adult.bde_aplypro_blocked)
        placement._action_stop("cancel", "No host after all.")
        self.assertFalse(self.student_adult.bde_aplypro_blocked)

    def test_placement_outside_its_school_year(self):
        placement = self._make_placement()
        self.assertFalse(self.student.bde_aplypro_blocked)
        # The class is moved to the next school year after the fact.
        self.school_class.school_year = "2026-2027"
        self.assertEqual(placement.school_year, "2026-2027")
        self.assertTrue(self.student.bde_aplypro_blocked)
        self.assertIn(
            "is not within the school year 2026-2027", self.student.bde_aplypro_issues
        )
        self.school_class.school_year = "2025-2026"
        self.assertFalse(self.student.bde_aplypro_blocked)

    def test_only_students_are_checked(self):
        self.assertFalse(self.company_partner.bde_aplypro_blocked)
        self.assertFalse(self.tutor.bde_aplypro_blocked)

    def test_teacher_reads_the_issues(self):
        self._make_placement(student=self.student_adult)
        adult = self.student_adult.with_user(self.user_teacher)
        self.assertTrue(adult.bde_aplypro_blocked)
        self.assertIn("Adult at the start", adult.bde_aplypro_issues)
