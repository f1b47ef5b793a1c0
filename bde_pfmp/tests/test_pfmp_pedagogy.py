"""The pedagogical validation of a placement's annex before its convention
goes out for signature: by the referent teacher or the DDFPT of the lycée,
refused with a reason that goes back to the student, their legal guardian and
the BDE team. Two lycées."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import BdePfmpCase

PEDAGOGY = "bde_pfmp.mail_activity_type_pfmp_pedagogy"
REFUSED = "bde_pfmp.mail_activity_type_pfmp_pedagogy_refused"


class PedagogyCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guardian = cls.env["res.partner"].create(
            {"name": "Claire Martin", "email": "claire.martin@parents.test"}
        )
        cls.student.write(
            {
                "email": "lea.martin@eleve.test",
                "bde_legal_guardian_id": cls.guardian.id,
            }
        )
        cls.other_teacher = new_test_user(
            cls.env,
            login="bde_teacher_two",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.user_other_teacher = new_test_user(
            cls.env,
            login="bde_other_teacher",
            groups="base.group_user,bde_lycee.group_bde_user",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.placement = cls._make_placement(
            activities_planned="<p>Mise en rayon, accueil des clients</p>",
            skills_planned="<p>C1.1 Accueillir le client</p>",
        )

    def _activities(self, placement, xmlid):
        activity_type = self.env.ref(xmlid)
        return placement.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPedagogyValidation(PedagogyCase):
    def test_referent_teacher_asked_then_validates(self):
        self.assertEqual(self.placement.pedagogy_state, "to_validate")
        self.assertFalse(self._activities(self.placement, PEDAGOGY))
        self.placement.with_user(self.user_officer).action_to_sign()
        asked = self._activities(self.placement, PEDAGOGY)
        self.assertEqual(asked.user_id, self.user_teacher)
        # Asked once, however often the step is seen again.
        self.placement._bde_ask_pedagogy_validation()
        self.assertEqual(len(self._activities(self.placement, PEDAGOGY)), 1)

        self.placement.with_user(self.user_teacher).action_bde_validate_pedagogy()
        self.assertEqual(self.placement.pedagogy_state, "validated")
        self.assertEqual(self.placement.pedagogy_validated_by_id, self.user_teacher)
        self.assertTrue(self.placement.pedagogy_validated_date)
        self.assertFalse(asked.exists(), "the teacher's activity is done")

    def test_ddfpt_of_the_lycee_validates(self):
        self.placement.with_user(self.user_manager).action_bde_validate_pedagogy()
        self.assertEqual(self.placement.pedagogy_validated_by_id, self.user_manager)

    def test_who_may_not_validate(self):
        # Another teacher of the lycée reads the placement as main teacher of
        # the class, but is not its referent.
        self.school_class.teacher_id = self.other_teacher
        self.placement.teacher_id = self.user_teacher
        self.assertEqual(self.placement.teacher_id, self.user_teacher)
        for user in (self.other_teacher, self.user_officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.placement.with_user(user).action_bde_validate_pedagogy()
        # Staff of the second lycée, even named as referent: not their lycée.
        self.placement.teacher_id = self.user_other_teacher
        for user in (self.user_other_teacher, self.user_other_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.placement.with_user(user).action_bde_validate_pedagogy()
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.placement.with_user(user).action_bde_sign()
        self.assertEqual(self.placement.pedagogy_state, "to_validate")

    def test_empty_annex_not_validated(self):
        self.placement.skills_planned = "<p><br></p>"
        with self.assertRaisesRegex(UserError, "Skills planned"):
            self.placement.with_user(self.user_teacher).action_bde_validate_pedagogy()
        self.assertEqual(self.placement.pedagogy_state, "to_validate")

    def test_not_entered_by_hand(self):
        """No way in but the buttons: the form, an import, RPC."""
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            for vals in (
                {"pedagogy_state": "validated"},
                {"pedagogy_validated_by_id": user.id},
                {"pedagogy_refusal_reason": "no"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    self.placement.with_user(user).write(vals)
        with self.assertRaises(UserError):
            self.env["bde.pfmp.placement"].with_user(self.user_officer).create(
                {
                    "student_id": self.student_adult.id,
                    "period_id": self.period.id,
                    "pedagogy_state": "validated",
                }
            )
        self.assertEqual(self.placement.pedagogy_state, "to_validate")

    def test_change_of_the_annex_asks_again(self):
        self.placement.with_user(self.user_officer).action_to_sign()
        as_teacher = self.placement.with_user(self.user_teacher)
        as_teacher.action_bde_validate_pedagogy()
        # What the annex does not say changes nothing.
        with Form(self.placement.with_user(self.user_officer)) as form:
            form.transport_terms = "Bus, remboursé par l'entreprise"
        self.assertEqual(self.placement.pedagogy_state, "validated")
        # The same value written again (an import) changes nothing either.
        self.placement.with_user(self.user_officer).write(
            {"date_start": self.placement.date_start}
        )
        self.assertEqual(self.placement.pedagogy_state, "validated")
        changes = [
            {"date_end": "2025-11-21"},
            {"activities_planned": "<p>Caisse</p>"},
            {"skills_planned": "<p>C2 Vendre</p>"},
            {"hours_per_week": 30},
            {
                "tutor_id": self.env["res.partner"]
                .create({"name": "Anne Seconde", "parent_id": self.company_partner.id})
                .id
            },
        ]
        for vals in changes:
            with self.subTest(vals=vals):
                self.placement.with_user(self.user_officer).write(vals)
                self.assertEqual(self.placement.pedagogy_state, "to_validate")
                self.assertFalse(self.placement.pedagogy_validated_by_id)
                self.assertEqual(
                    self._activities(self.placement, PEDAGOGY).user_id,
                    self.user_teacher,
                )
                as_teacher.action_bde_validate_pedagogy()

    def test_signed_convention_keeps_its_validation(self):
        self.placement.with_user(self.user_teacher).action_bde_validate_pedagogy()
        self.placement.sudo()._write_trusted({"state": "signed"})
        self.placement.sudo().write({"hours_per_week": 30})
        self.assertEqual(self.placement.pedagogy_state, "validated")


@tagged("post_install", "-at_install", "bde_pfmp")
class TestPedagogyRefusal(PedagogyCase):
    def _refuse(self, user, reason):
        action = self.placement.with_user(user).action_bde_refuse_pedagogy()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        return wizard.save().action_confirm()

    def test_refused_with_its_reason(self):
        self.placement.with_user(self.user_officer).action_to_sign()
        reason = "Les activités ne correspondent pas au référentiel du bac pro."
        self._refuse(self.user_teacher, reason)
        self.assertEqual(self.placement.state, "to_sign")
        self.assertEqual(self.placement.pedagogy_state, "refused")
        self.assertEqual(self.placement.pedagogy_refusal_reason, reason)
        self.assertFalse(self._activities(self.placement, PEDAGOGY))
        # The student and the legal guardian of the minor are written to.
        message = self.placement.message_ids.filtered(
            lambda message: message.partner_ids and reason in (message.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.student | self.guardian)
        self.assertEqual(message.author_id, self.user_teacher.partner_id)
        by_email = message.notification_ids.filtered(
            lambda notification: notification.notification_type == "email"
        )
        self.assertEqual(by_email.res_partner_id, self.student | self.guardian)
        # The BDE team of the lycée is told; not the head, not the other lycée.
        refused = self._activities(self.placement, REFUSED)
        self.assertEqual(refused.user_id, self.user_officer)
        self.assertIn(reason, refused.note)
        # Refused: the convention is not sent for signature.
        with self.assertRaisesRegex(UserError, "not validated"):
            self.placement.with_user(self.user_officer).action_bde_send_for_signature()
        self.assertFalse(self.placement.sign_request_id)
        # The annex reworked, the teacher is asked again and validates.
        self.placement.with_user(
            self.user_officer
        ).activities_planned = "<p>Vente conseil</p>"
        self.assertEqual(self.placement.pedagogy_state, "to_validate")
        self.assertTrue(self._activities(self.placement, PEDAGOGY))
        self.placement.with_user(self.user_teacher).action_bde_validate_pedagogy()
        self.assertFalse(self.placement.pedagogy_refusal_reason)

    def test_adult_student_alone_is_written_to(self):
        self.student_adult.email = "hugo.bernard@eleve.test"
        self.placement = self._make_placement(student=self.student_adult)
        self._refuse(self.user_manager, "Dates à revoir")
        message = self.placement.message_ids.filtered(
            lambda message: message.partner_ids and "Dates à revoir" in message.body
        )
        self.assertEqual(message.partner_ids, self.student_adult)

    def test_reason_required_and_reviewer_checked(self):
        with self.assertRaises(UserError):
            self.placement.with_user(self.user_teacher)._bde_refuse_pedagogy("  ")
        with self.assertRaises(AccessError):
            self.placement.with_user(self.other_teacher).action_bde_refuse_pedagogy()
        with self.assertRaises(AccessError):
            self.placement.with_user(self.other_teacher)._bde_refuse_pedagogy("Non")
        self.assertEqual(self.placement.pedagogy_state, "to_validate")
        self.assertFalse(self._activities(self.placement, REFUSED))
