from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp")
class TestSearchStep(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.placement = cls._make_placement(
            state="searching", partner_id=False, tutor_id=False
        )

    def _make_step(self, user=None, **vals):
        values = {
            "student_id": self.student.id,
            "placement_id": self.placement.id,
            "partner_id": self.company_partner.id,
            "contact_id": self.tutor.id,
            "contact_date": "2025-10-01",
            "mode": "phone",
        }
        values.update(vals)
        model = self.env["bde.pfmp.search.step"]
        return model.with_user(user).create(values) if user else model.create(values)

    def test_teacher_logs_and_takes_host(self):
        step = self._make_step(user=self.user_teacher)
        self.assertEqual(step.company_id, self.lycee)
        self.assertEqual(self.placement.search_step_count, 1)
        self.assertEqual(self.student.bde_search_step_count, 1)
        with self.assertRaises(UserError):
            step.action_take_host()
        step.answer = "accepted"
        self.assertTrue(step.answer_date)
        step.with_user(self.user_teacher).action_take_host()
        self.assertEqual(self.placement.state, "host_found")
        self.assertEqual(self.placement.partner_id, self.company_partner)
        self.assertEqual(self.placement.tutor_id, self.tutor)
        with self.assertRaises(UserError):
            step.action_take_host()

    def test_take_host_needs_contact(self):
        step = self._make_step(contact_id=False, answer="accepted")
        with self.assertRaises(UserError):
            step.action_take_host()
        self.assertEqual(self.placement.state, "searching")
        self.assertFalse(self.placement.partner_id)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._make_step(partner_id=False, contact_id=False)
        with self.assertRaises(ValidationError):
            self._make_step(answer="refused", answer_date="2025-09-01")
        with self.assertRaises(ValidationError):
            self._make_step(student_id=self.student_adult.id)
        step = self._make_step(partner_id=False, company_name="Fleuriste des Pentes")
        self.assertEqual(step.display_name, "Léa Martin – Fleuriste des Pentes")

    def test_access(self):
        step = self._make_step()
        other_teacher = self._make_user("bde_teacher2", "bde_lycee.group_bde_user")
        with self.assertRaises(AccessError):
            step.with_user(other_teacher).read(["answer"])
        with self.assertRaises(AccessError):
            self._make_step(user=other_teacher)
        step.with_user(self.user_officer).answer = "interview"
        with self.assertRaises(AccessError):
            step.with_user(self.user_officer).unlink()
        with self.assertRaises(AccessError):
            step.with_user(self.user_other_lycee).read(["answer"])
        step.with_user(self.user_manager).unlink()
        self.assertFalse(step.exists())
