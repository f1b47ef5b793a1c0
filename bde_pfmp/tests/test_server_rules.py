"""Rules of the placement that the server holds for every role, whatever the
way in (RPC, the form's save, an import): the state moves through the steps,
the lycée's signature is the head of school's, the allowance is computed, the
attendance confirmation and the evaluation are the tutor's. Two lycées, each
with its own placement."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import BdePfmpCase

PROTECTED_VALUES = {
    "allowance_amount": 9999.0,
    "allowance_missing_rate": True,
    "attendance_confirmed_date": "2025-11-20",
    "tutor_evaluation_level": "4",
    "tutor_evaluation": "Excellent, signed by nobody",
    "tutor_evaluation_date": "2025-11-20",
}


class BdeServerRulesCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["bde.allowance.rate"].create(
            {
                "school_year": "2025-2026",
                "mef_code": cls.school_class.mef_code,
                "mef_stat4": cls.school_class.mef_stat4,
                "daily_rate": 15,
                "yearly_cap": 300,
            }
        )
        cls.placement = cls._make_placement(state="in_progress", days_done=10)
        # The second lycée: its class, student, placement and head of school.
        other_class = cls.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "company_id": cls.other_lycee.id,
            }
        )
        other_student = cls.env["res.partner"].create(
            {
                "name": "Inès Lumière",
                "bde_is_student": True,
                "bde_birthdate": "2006-05-02",
                "bde_class_id": other_class.id,
                "company_id": cls.other_lycee.id,
            }
        )
        cls.other_placement = cls.env["bde.pfmp.placement"].create(
            {
                "student_id": other_student.id,
                "class_id": other_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
                "partner_id": cls.company_partner.id,
                "tutor_id": cls.tutor.id,
                "state": "to_sign",
            }
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )

    def _staff(self):
        """Each staff role on its own lycée's placement."""
        return [
            (self.user_teacher, self.placement),
            (self.user_officer, self.placement),
            (self.user_manager, self.placement),
            (self.user_other_lycee, self.other_placement),
            (self.user_other_manager, self.other_placement),
        ]


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPlacementServerRules(BdeServerRulesCase):
    def test_state_changes_only_through_the_steps(self):
        for user, placement in self._staff():
            before = placement.state
            for state in ("signed", "evaluated", "cancelled"):
                with (
                    self.subTest(user=user.login, state=state),
                    self.assertRaisesRegex(UserError, "steps"),
                ):
                    placement.with_user(user).write({"state": state})
            self.assertEqual(placement.state, before)

    def test_placement_is_not_created_signed(self):
        Placement = self.env["bde.pfmp.placement"].with_user(self.user_officer)
        for state in ("signed", "in_progress", "done", "evaluated"):
            with self.subTest(state=state), self.assertRaisesRegex(UserError, "steps"):
                Placement.create(
                    {
                        "student_id": self.student_adult.id,
                        "period_id": self.period.id,
                        "partner_id": self.company_partner.id,
                        "tutor_id": self.tutor.id,
                        "state": state,
                    }
                )
        placement = Placement.create(
            {
                "student_id": self.student_adult.id,
                "period_id": self.period.id,
                "partner_id": self.company_partner.id,
                "tutor_id": self.tutor.id,
                "state": "to_sign",
            }
        )
        self.assertEqual(placement.state, "to_sign")

    def test_only_the_head_of_school_dates_the_lycee_signature(self):
        # Signatures are dated while the convention is to sign.
        self.placement.sudo()._write_trusted({"state": "to_sign"})
        for user, placement in self._staff():
            as_user = placement.with_user(user)
            if user.has_group("bde_lycee.group_bde_manager"):
                as_user.date_signed_school = "2025-10-27"
                self.assertEqual(
                    placement.date_signed_school, fields.Date.to_date("2025-10-27")
                )
                continue
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(AccessError, "head of school"),
            ):
                as_user.write({"date_signed_school": "2025-10-27"})
        self.assertEqual(
            self.other_placement.date_signed_school, fields.Date.to_date("2025-10-27")
        )
        with self.assertRaisesRegex(AccessError, "head of school"):
            self.env["bde.pfmp.placement"].with_user(self.user_officer).create(
                {
                    "student_id": self.student_adult.id,
                    "period_id": self.period.id,
                    "date_signed_school": "2025-10-27",
                }
            )

    def test_signatures_of_a_signed_convention_do_not_change(self):
        self._sign_by_all(self.placement)
        for user, placement in self._staff():
            if placement != self.placement:
                continue
            for name, value in (
                ("date_signed_host", "2025-09-01"),
                ("date_signed_tutor", False),
                ("signed_on_paper", True),
            ):
                with (
                    self.subTest(user=user.login, field=name),
                    self.assertRaisesRegex(UserError, "signed: its signatures"),
                ):
                    placement.with_user(user).write({name: value})
        self.assertEqual(
            self.placement.date_signed_host, fields.Date.to_date("2025-10-27")
        )
        # The same value written again (an import of the list) is no change.
        self.placement.with_user(self.user_officer).write(
            {"date_signed_host": "2025-10-27"}
        )
        # Before the signature, the dates are typed as the parties sign.
        self.other_placement.with_user(self.user_other_lycee).write(
            {"date_signed_host": "2025-10-28"}
        )
        self.assertEqual(
            self.other_placement.date_signed_host, fields.Date.to_date("2025-10-28")
        )

    def test_allowance_tutor_fields_cannot_be_written(self):
        self.assertEqual(self.placement.allowance_amount, 150)
        for user, placement in self._staff():
            for name, value in {
                **PROTECTED_VALUES,
                "allowance_rate_id": self.placement.allowance_rate_id.id,
                "attendance_confirmed_by_id": self.tutor.id,
            }.items():
                with self.subTest(user=user.login, field=name):
                    with self.assertRaises(UserError):
                        placement.with_user(user).write({name: value})
                    with self.assertRaises(UserError):
                        self.env["bde.pfmp.placement"].with_user(user).create(
                            {
                                "student_id": placement.student_id.id,
                                "class_id": placement.class_id.id,
                                "date_start": "2026-01-05",
                                "date_end": "2026-01-30",
                                name: value,
                            }
                        )
        self.assertEqual(self.placement.allowance_amount, 150)
        self.assertFalse(self.placement.attendance_confirmed_date)
        self.assertFalse(self.placement.tutor_evaluation)

    def test_a_context_key_does_not_keep_the_confirmation(self):
        self.placement.sudo()._confirm_attendance(18, self.tutor)
        self.assertEqual(self.placement.attendance_confirmed_by_id, self.tutor)
        self.placement.with_user(self.user_teacher).with_context(
            bde_confirming_attendance=True
        ).write({"days_done": 15})
        self.assertEqual(self.placement.days_done, 15)
        self.assertFalse(self.placement.attendance_confirmed_date)
        self.assertFalse(self.placement.attendance_confirmed_by_id)

    def test_the_same_days_keep_the_confirmation(self):
        self.placement.sudo()._confirm_attendance(18, self.tutor)
        self.placement.with_user(self.user_teacher).write({"days_done": 18})
        self.assertEqual(self.placement.attendance_confirmed_by_id, self.tutor)

    def test_the_legitimate_paths_still_work(self):
        placement = self._make_placement(student=self.student_adult)
        as_teacher = placement.with_user(self.user_teacher)
        as_teacher.action_to_sign()
        placement.with_user(self.user_manager).date_signed_school = "2025-10-27"
        placement.with_user(self.user_officer).write(
            {
                "date_signed_host": "2025-10-27",
                "date_signed_tutor": "2025-10-27",
                "date_signed_teacher": "2025-10-27",
                "date_signed_student": "2025-10-27",
            }
        )
        with self.assertRaises(AccessError):
            as_teacher.action_sign()
        placement.with_user(self.user_officer).action_sign()
        as_teacher.action_start()
        # The tutors' portal confirms and evaluates as superuser, for the tutor.
        placement.sudo()._confirm_attendance(20, self.tutor)
        placement.sudo()._submit_tutor_evaluation("3", "Bon stage", self.tutor)
        self.assertEqual(placement.attendance_confirmed_by_id, self.tutor)
        self.assertEqual(placement.tutor_evaluation_level, "3")
        # The computation writes the allowance: 20 days × 15 €, the yearly cap.
        self.assertEqual(placement.allowance_amount, 300)
        as_teacher.action_done()
        self.env["bde.host.rating"].with_user(self.user_teacher).create(
            {"placement_id": placement.id, "score": 4}
        )
        as_teacher.action_evaluate()
        self.assertEqual(placement.state, "evaluated")

    def test_stop_wizard_cancels_as_a_teacher(self):
        placement = self._make_placement(student=self.student_adult)
        wizard = Form(
            self.env["bde.pfmp.placement.stop"]
            .with_user(self.user_teacher)
            .with_context(default_placement_ids=placement.ids, default_stop="cancel")
        )
        wizard.reason = "Le stagiaire a déménagé"
        wizard.save().action_confirm()
        self.assertEqual(placement.state, "cancelled")
        placement.with_user(self.user_teacher).action_reset()
        self.assertEqual(placement.state, "searching")

    def test_form_save_for_staff(self):
        """The form sends no protected field: a teacher saves the days done,
        the BDE manager sees the lycée's signature date without editing it."""
        with Form(self.placement.with_user(self.user_teacher)) as form:
            form.days_done = 12
        self.assertEqual(self.placement.allowance_amount, 180)
        self.placement.sudo().write({"state": "to_sign"})
        with Form(self.placement.with_user(self.user_officer)) as form:
            form.date_signed_host = "2025-10-27"
            with self.assertRaises(AssertionError):
                form.date_signed_school = "2025-10-27"
        with Form(self.placement.with_user(self.user_manager)) as form:
            form.date_signed_school = "2025-10-27"
        self.assertTrue(self.placement.date_signed_school)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPlacementRulesOverRpc(HttpCase, BdeServerRulesCase):
    def _call(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "bde.pfmp.placement",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def test_rpc_refuses_the_state_and_the_private_write(self):
        self.authenticate("bde_teacher", "bde_teacher")
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("write", [[self.placement.id], {"state": "evaluated"}])
        # The trusted write is private: RPC cannot reach it.
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call("_write_trusted", [[self.placement.id], {"state": "evaluated"}])
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("write", [[self.placement.id], {"allowance_amount": 5000}])
        self._call("action_done", [[self.placement.id]])
        self.placement.invalidate_recordset()
        self.assertEqual(self.placement.state, "done")
        self.assertEqual(self.placement.allowance_amount, 150)
