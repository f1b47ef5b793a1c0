from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.bde_lycee.tests.common import BdeLyceeCase

EXIT_DATE = "2026-07-06"


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
@freeze_time(EXIT_DATE)
class TestAlumniTransientAccess(BdeLyceeCase):
    """A class's graduation names its students: the wizard and its lines are
    their creator's alone, for a class of their lycées."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_class.year_of_study = 3
        cls.user_officer2 = cls._make_user(
            "bde_officer2", "bde_lycee.group_bde_officer"
        )

    def test_graduation_lines_are_their_creators(self):
        wizard = (
            self.env["bde.alumni.graduation"]
            .with_user(self.user_officer)
            .create({"class_id": self.school_class.id, "exit_date": EXIT_DATE})
        )
        self.assertEqual(wizard.line_ids.student_id, self.student)
        for user in (self.user_officer2, self.user_manager, self.user_other_lycee):
            Line = self.env["bde.alumni.graduation.line"].with_user(user)
            self.assertFalse(Line.search([("wizard_id", "=", wizard.id)]))
            with self.assertRaises(AccessError, msg=user.login):
                wizard.line_ids.with_user(user).read(["student_id"])
            with self.assertRaises(AccessError, msg=user.login):
                wizard.with_user(user).read(["class_id"])
        wizard.action_graduate()
        self.assertTrue(self.student.bde_is_alumni)

    def test_graduation_of_another_lycees_class_is_refused(self):
        Graduation = self.env["bde.alumni.graduation"].with_user(self.user_other_lycee)
        with self.assertRaises(AccessError):
            Graduation.create(
                {"class_id": self.school_class.id, "exit_date": EXIT_DATE}
            )
