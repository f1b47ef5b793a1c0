from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestFrameworkAgreement(BdeLyceeCase):
    """Framework agreements are the network's: every lycée reads them, the
    BDE managers keep them; a convention names the one its partner is under."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.Agreement = cls.env["bde.framework.agreement"]
        cls.Convention = cls.env["bde.partnership.convention"]
        cls.covered = Partner.create({"name": "Hyper Test", "is_company": True})
        cls.twice_covered = Partner.create(
            {"name": "Électricité Test", "is_company": True}
        )
        cls.national = cls.Agreement.create(
            {
                "name": "Convention-cadre nationale test",
                "scope": "national",
                "date_start": date(2024, 1, 15),
                "partner_ids": [Command.set((cls.covered | cls.twice_covered).ids)],
            }
        )
        cls.academic = cls.Agreement.create(
            {
                "name": "Convention-cadre académique test",
                "scope": "academic",
                "partner_ids": [Command.set(cls.twice_covered.ids)],
            }
        )

    def _convention(self, partner, **vals):
        return self.Convention.create(
            {"partner_id": partner.id, "company_id": self.lycee.id, **vals}
        )

    def test_convention_named_after_the_only_agreement_of_its_partner(self):
        self.assertEqual(
            self._convention(self.covered).framework_agreement_id, self.national
        )
        self.assertFalse(self._convention(self.twice_covered).framework_agreement_id)
        self.assertFalse(self._convention(self.company_partner).framework_agreement_id)

    def test_given_agreement_is_kept(self):
        convention = self._convention(
            self.twice_covered, framework_agreement_id=self.academic.id
        )
        self.assertEqual(convention.framework_agreement_id, self.academic)

    def test_archived_agreement_is_no_default(self):
        self.national.active = False
        self.assertFalse(self._convention(self.covered).framework_agreement_id)

    def test_form_follows_the_partner(self):
        form = Form(self.Convention.with_company(self.lycee))
        form.partner_id = self.covered
        self.assertEqual(form.framework_agreement_id, self.national)
        form.partner_id = self.company_partner
        self.assertFalse(form.framework_agreement_id)

    def test_partner_lists_its_agreements(self):
        self.assertEqual(
            self.twice_covered.bde_framework_agreement_ids,
            self.national | self.academic,
        )

    def test_found_by_its_reference(self):
        self.national.reference = "BO TEST-7781"
        found = self.Agreement.name_search("TEST-7781")
        self.assertEqual(
            [agreement_id for agreement_id, _name in found], [self.national.id]
        )

    def test_dates_in_order(self):
        with self.assertRaises(ValidationError):
            self.Agreement.create(
                {
                    "name": "Backwards",
                    "date_start": date(2025, 9, 1),
                    "date_end": date(2025, 8, 31),
                }
            )

    def test_every_lycee_reads_agreements(self):
        users = (
            self.user_teacher,
            self.user_officer,
            self.user_manager,
            self.user_reader,
            self.user_other_lycee,
        )
        for user in users:
            agreements = self.Agreement.with_user(user).search(
                [("id", "in", (self.national | self.academic).ids)]
            )
            self.assertEqual(agreements, self.national | self.academic, user.login)
            self.assertEqual(
                self.national.with_user(user).name, "Convention-cadre nationale test"
            )

    def test_bde_managers_keep_agreements(self):
        for user in (self.user_officer, self.user_other_lycee, self.user_manager):
            Agreement = self.Agreement.with_user(user)
            agreement = Agreement.create({"name": f"Agreement of {user.login}"})
            agreement.write({"scope": "regional"})
            agreement.unlink()
        self.national.with_user(self.user_officer).note = "<p>Renewed in 2026.</p>"

    def test_teacher_and_reader_only_read(self):
        for user in (self.user_teacher, self.user_reader):
            with self.assertRaises(AccessError):
                self.Agreement.with_user(user).create({"name": "Not mine"})
            with self.assertRaises(AccessError):
                self.national.with_user(user).write({"scope": "regional"})
            with self.assertRaises(AccessError):
                self.national.with_user(user).unlink()

    def test_portal_user_reads_no_agreement(self):
        portal = new_test_user(
            self.env, login="bde_portal_agreement", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Agreement.with_user(portal).search([])
