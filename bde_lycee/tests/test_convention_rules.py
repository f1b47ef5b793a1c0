"""Rules of the partnership convention that the server holds for every role
and every way in (RPC, the form's save, an import): its state moves through
its steps, the head of school alone signs for the lycée and puts it in force,
a signed convention's terms no longer change. Two lycées."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import BdeLyceeCase
from .test_partnership_convention import CLAUSES

DAY = date(2025, 9, 1)


@tagged("post_install", "-at_install", "bde_lycee")
class TestConventionServerRules(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_manager",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.lycee.bde_head_of_school_user_id = cls.user_manager
        cls.other_lycee.bde_head_of_school_user_id = cls.user_other_manager
        cls.signatory = cls.env["res.partner"].create(
            {"name": "Paul Fournier", "parent_id": cls.company_partner.id}
        )
        cls.Convention = cls.env["bde.partnership.convention"]
        cls.convention = cls._make_convention(cls.lycee)
        cls.other_convention = cls._make_convention(cls.other_lycee)

    @classmethod
    def _make_convention(cls, lycee, **vals):
        return cls.Convention.create(
            {
                "partner_id": cls.company_partner.id,
                "company_id": lycee.id,
                "date_start": DAY,
                "date_end": date(2028, 8, 31),
                "state": "negotiation",
                "partner_contact_id": cls.signatory.id,
                "formation_ids": [cls.formation.id],
                **CLAUSES,
                **vals,
            }
        )

    def _staff(self):
        """The BDE manager and the head of school of each lycée, on their own
        lycée's convention."""
        return [
            (self.user_officer, self.convention),
            (self.user_manager, self.convention),
            (self.user_other_lycee, self.other_convention),
            (self.user_other_manager, self.other_convention),
        ]

    def test_state_changes_only_through_the_steps(self):
        for user, convention in self._staff():
            for vals in (
                {"state": "active"},
                {"state": "signed"},
                {"termination_reason": "Fin"},
                {"date_terminated": DAY},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "steps"),
                ):
                    convention.with_user(user).write(vals)
            self.assertEqual(convention.state, "negotiation")

    def test_only_the_head_of_school_signs_for_the_lycee(self):
        for user, convention in self._staff():
            as_user = convention.with_user(user)
            as_user.date_signed_partner = DAY
            if user.has_group("bde_lycee.group_bde_manager"):
                as_user.date_signed_lycee = DAY
                with freeze_time(DAY):
                    as_user.action_sign()
                self.assertEqual(convention.state, "active")
                continue
            with self.assertRaisesRegex(AccessError, "head of school"):
                as_user.date_signed_lycee = DAY
            with self.assertRaisesRegex(AccessError, "head of school"):
                as_user.action_sign()
            self.assertFalse(convention.date_signed_lycee)

    def test_only_the_head_of_school_records_a_signed_convention(self):
        values = {
            "partner_id": self.company_partner.id,
            "date_start": DAY,
            "date_end": date(2028, 8, 31),
            "date_signed_partner": DAY,
            "partner_contact_id": self.signatory.id,
            "formation_ids": [self.formation.id],
            **CLAUSES,
        }
        as_officer = self.Convention.with_user(self.user_officer)
        for vals in ({"state": "active"}, {"date_signed_lycee": DAY}):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(AccessError, "head of school"),
            ):
                as_officer.create({**values, **vals})
        as_manager = self.Convention.with_user(self.user_manager)
        with self.assertRaises(ValidationError):
            as_manager.create({**values, "state": "active"})
        imported = as_manager.create(
            {**values, "state": "active", "date_signed_lycee": DAY}
        )
        self.assertEqual(imported.state, "active")
        draft = as_officer.create(values)
        self.assertEqual(draft.state, "draft")

    def test_signed_terms_no_longer_change(self):
        with freeze_time(DAY):
            self.convention.date_signed_partner = DAY
            self.convention.with_user(self.user_manager).date_signed_lycee = DAY
            self.convention.with_user(self.user_manager).action_sign()
        for user in (self.user_officer, self.user_manager):
            as_user = self.convention.with_user(user)
            for vals in (
                {"clause_object": "<p>Autre objet</p>"},
                {"date_end": date(2030, 8, 31)},
                {"partner_id": self.env["res.partner"].create({"name": "X"}).id},
                {"date_signed_partner": date(2025, 8, 1)},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesRegex(UserError, "no longer change"),
                ):
                    as_user.write(vals)
            # Notes and the responsible stay free.
            as_user.note = "<p>Bilan prévu en juin.</p>"
        self.assertEqual(self.convention.clause_object, CLAUSES["clause_object"])

    def test_parties_are_fixed_from_the_negotiation(self):
        with self.assertRaisesRegex(UserError, "no longer change"):
            self.convention.with_user(self.user_officer).partner_id = self.env[
                "res.partner"
            ].create({"name": "Autre", "is_company": True})
        self.convention.with_user(self.user_officer).clause_terms = "<p>Revu.</p>"

    def test_the_legitimate_paths_still_work(self):
        # Starts next year: once signed, it waits for its first day.
        convention = self._make_convention(
            self.lycee,
            state="draft",
            date_start=date(2030, 9, 1),
            date_end=date(2033, 8, 31),
        )
        as_officer = convention.with_user(self.user_officer)
        as_manager = convention.with_user(self.user_manager)
        with Form(as_officer) as form:
            form.clause_terms = "<p>Modalités revues.</p>"
        as_officer.action_to_negotiation()
        as_officer.date_signed_partner = DAY
        as_manager.date_signed_lycee = DAY
        as_manager.action_sign()
        self.assertEqual(convention.state, "signed")
        # A reset to draft reopens the terms; the head of school signs again.
        as_officer.action_reset_draft()
        as_officer.clause_terms = "<p>Modalités de nouveau revues.</p>"
        as_officer.action_to_negotiation()
        as_manager.action_sign()
        as_officer.action_terminate("Fermeture de l'entreprise")
        self.assertEqual(convention.state, "terminated")
        self.assertEqual(convention.termination_reason, "Fermeture de l'entreprise")
        # The daily cron expires the conventions that ended, as superuser.
        ended = self._make_convention(
            self.lycee,
            date_start=date(2020, 9, 1),
            date_end=date(2023, 8, 31),
            date_signed_lycee=date(2020, 8, 31),
            date_signed_partner=date(2020, 8, 31),
        )
        with freeze_time("2020-09-01"):
            ended.with_user(self.user_manager).action_sign()
        self.assertEqual(ended.state, "active")
        self.Convention._cron_expire_ended()
        self.assertEqual(ended.state, "expired")
