from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.bde_lycee.tests.common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestGraduation(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_class.year_of_study = 3
        cls.classmate = cls.env["res.partner"].create(
            {
                "name": "Hugo Bernard",
                "bde_is_student": True,
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )

    def _wizard(self, school_class=None):
        return Form(
            self.env["bde.alumni.graduation"]
            .with_user(self.user_officer)
            .with_context(default_class_id=(school_class or self.school_class).id)
        )

    @freeze_time("2026-07-06")
    def test_class_becomes_alumni(self):
        self.assertTrue(self.school_class.is_final_year)
        wizard_form = self._wizard()
        self.assertEqual(str(wizard_form.exit_date), "2026-07-06")
        self.assertEqual(len(wizard_form.line_ids), 2)
        with wizard_form.line_ids.edit(0) as line:  # Hugo Bernard, sorted by name
            line.diploma_result = "failed"
        with wizard_form.line_ids.edit(1) as line:  # Léa Martin
            line.diploma_result = "obtained"
            line.network_consent = True
        action = wizard_form.save().action_graduate()

        alumni = self.env["res.partner"].search(action["domain"])
        self.assertEqual(alumni, self.student | self.classmate)
        self.assertEqual(self.school_class.alumni_count, 2)
        self.assertFalse(self.school_class.student_ids)
        lea = self.student
        self.assertTrue(lea.bde_is_alumni)
        self.assertFalse(lea.bde_is_student)
        self.assertEqual(lea.bde_class_id, self.school_class)
        self.assertEqual(lea.bde_exit_class_id, self.school_class)
        self.assertEqual(lea.bde_exit_formation_id, self.formation)
        self.assertEqual(lea.bde_exit_year, 2026)
        self.assertEqual(str(lea.bde_exit_date), "2026-07-06")
        self.assertEqual(lea.bde_diploma_result, "obtained")
        self.assertTrue(lea.bde_alumni_network_consent)
        self.assertEqual(lea.bde_alumni_network_consent_source, "graduation")
        self.assertFalse(lea.bde_alumni_contact_consent)
        self.assertEqual(self.classmate.bde_diploma_result, "failed")
        self.assertFalse(self.classmate.bde_alumni_network_consent)
        self.assertIn("now an alumni", lea.message_ids[0].body)

    @freeze_time("2026-10-01")
    def test_exit_date_defaults_to_the_end_of_the_school_year(self):
        self.assertEqual(str(self._wizard().exit_date), "2026-08-31")

    @freeze_time("2026-07-06")
    def test_graduating_again_updates_and_keeps_consents(self):
        self._wizard().save().action_graduate()
        self.student._bde_alumni_give_consent(contact=True, source="phone")
        consent_date = self.student.bde_alumni_contact_consent_date
        messages = len(self.student.message_ids)

        wizard_form = self._wizard()
        self.assertEqual(len(wizard_form.line_ids), 2)
        with wizard_form.line_ids.edit(1) as line:
            self.assertEqual(line.student_id, self.student)
            line.diploma_result = "obtained"
        wizard_form.save().action_graduate()

        self.assertEqual(self.student.bde_diploma_result, "obtained")
        self.assertTrue(self.student.bde_alumni_contact_consent)
        self.assertEqual(self.student.bde_alumni_contact_consent_source, "phone")
        self.assertEqual(self.student.bde_alumni_contact_consent_date, consent_date)
        self.assertEqual(len(self.student.message_ids), messages)

    def test_only_a_final_year_class_graduates(self):
        self.school_class.year_of_study = 2
        with self.assertRaisesRegex(UserError, "not a final-year class"):
            self._wizard().save().action_graduate()
        self.assertFalse(self.student.bde_is_alumni)

    def test_exit_date_within_the_class_school_year(self):
        wizard_form = self._wizard()
        wizard_form.exit_date = "2025-06-30"
        with self.assertRaisesRegex(UserError, "before the 2025-2026 school year"):
            wizard_form.save().action_graduate()
        self.assertFalse(self.student.bde_is_alumni)

    def test_a_class_without_student(self):
        empty = self.school_class.copy({"name": "T MCV vide"})
        empty.year_of_study = 3
        with self.assertRaisesRegex(UserError, "no student"):
            self._wizard(empty).save().action_graduate()

    def test_teacher_cannot_graduate(self):
        with self.assertRaises(AccessError):
            self.env["bde.alumni.graduation"].with_user(self.user_teacher).create(
                {"class_id": self.school_class.id}
            )
