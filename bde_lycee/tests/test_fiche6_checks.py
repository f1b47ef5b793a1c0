from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestFiche6Checks(BdeLyceeCase):
    """The checks of fiche 6 on the lycée's partners, each against a case
    built by hand with two lycées."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Convention = cls.env["bde.partnership.convention"]
        names = ("elsewhere", "covered", "prospect", "ended", "draft", "former")
        cls.partners = {
            name: cls.Partner.create({"name": f"Test {name}", "is_company": True})
            for name in names
        }
        for name, status in (
            ("elsewhere", "active"),
            ("covered", "active"),
            ("prospect", "prospect"),
            ("ended", "active"),
            ("draft", "active"),
            ("former", "former"),
        ):
            cls.partners[name].with_company(cls.lycee).bde_partner_status = status
        # Active in lycée 1, under a convention in force in lycée 2 only.
        cls._convention("elsewhere", cls.other_lycee, "active")
        cls._convention("covered", cls.lycee, "active")
        cls._convention("ended", cls.lycee, "expired")
        cls._convention("draft", cls.lycee, "draft")
        # An ended convention makes a former partner; the lycée still works
        # with this one, active again without a convention.
        cls.partners["ended"].with_company(cls.lycee).bde_partner_status = "active"
        cls.test_partners = cls.Partner.browse(
            [partner.id for partner in cls.partners.values()]
        )

    @classmethod
    def _convention(cls, name, lycee, state):
        convention = cls.Convention.create(
            {
                "partner_id": cls.partners[name].id,
                "company_id": lycee.id,
                "date_start": date(2025, 9, 1),
                "date_end": date(2028, 8, 31),
            }
        )
        if state != "draft":
            # The convention's steps are tested in test_partnership_convention;
            # here only the state matters.
            convention._write_trusted({"state": "active"})
        if state == "expired":
            convention._write_trusted({"state": "expired"})
        return convention

    def _found(self, lycee, domain, user=None):
        Partner = self.Partner.with_company(lycee)
        if user:
            Partner = Partner.with_user(user)
        return Partner.search([("id", "in", self.test_partners.ids), *domain])

    def _named(self, *names):
        return self.Partner.browse([self.partners[name].id for name in names])

    def test_without_convention_is_each_lycees_own(self):
        """Lycée 1's active partners whose convention ended, is a draft, or is
        lycée 2's; lycée 2 has its convention and no other active partner."""
        check = [("bde_without_convention", "=", True)]
        self.assertEqual(
            self._found(self.lycee, check), self._named("elsewhere", "ended", "draft")
        )
        self.assertFalse(self._found(self.other_lycee, check))

    def test_without_convention_read_as_searched(self):
        for lycee in (self.lycee, self.other_lycee):
            partners = self.test_partners.with_company(lycee)
            flagged = partners.filtered("bde_without_convention")
            self.assertEqual(
                flagged, self._found(lycee, [("bde_without_convention", "=", True)])
            )
        self.assertEqual(
            self._found(self.lycee, [("bde_without_convention", "=", False)]),
            self._named("covered", "prospect", "former"),
        )
        self.assertEqual(
            self._found(self.lycee, [("bde_without_convention", "!=", True)]),
            self._named("covered", "prospect", "former"),
        )

    def test_without_convention_follows_the_conventions(self):
        check = [("bde_without_convention", "=", True)]
        partner = self.partners["elsewhere"]
        convention = self._convention("elsewhere", self.lycee, "active")
        self.assertNotIn(partner, self._found(self.lycee, check))
        convention._write_trusted({"state": "terminated"})
        # The terminated convention made it a former partner of lycée 1.
        self.assertNotIn(partner, self._found(self.lycee, check))
        partner.with_company(self.lycee).bde_partner_status = "active"
        self.assertIn(partner, self._found(self.lycee, check))

    def test_each_role_of_the_lycee_sees_the_check(self):
        check = [("bde_without_convention", "=", True)]
        expected = self._named("elsewhere", "ended", "draft")
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            self.assertEqual(self._found(self.lycee, check, user), expected)
        self.assertFalse(self._found(self.other_lycee, check, self.user_other_lycee))

    def test_foreign_partners(self):
        countries = {
            "elsewhere": "base.it",
            "covered": "base.fr",
            # Overseas France is not abroad.
            "prospect": "base.re",
            "ended": "base.de",
        }
        for name, xmlid in countries.items():
            self.partners[name].country_id = self.env.ref(xmlid)
        foreign = self._named("elsewhere", "ended")
        self.assertEqual(
            self._found(self.lycee, [("bde_is_foreign", "=", True)]), foreign
        )
        self.assertEqual(self.test_partners.filtered("bde_is_foreign"), foreign)
        self.assertEqual(
            self._found(self.lycee, [("bde_is_foreign", "=", False)]),
            self.test_partners - foreign,
        )

    def test_under_framework_agreement(self):
        Agreement = self.env["bde.framework.agreement"]
        Agreement.create(
            [
                {
                    "name": "In force",
                    "date_start": date(2024, 1, 1),
                    "partner_ids": [Command.set(self._named("covered").ids)],
                },
                {
                    "name": "Ended",
                    "date_start": date(2020, 1, 1),
                    "date_end": date(2023, 12, 31),
                    "partner_ids": [Command.set(self._named("ended").ids)],
                },
                {
                    "name": "Archived",
                    "active": False,
                    "partner_ids": [Command.set(self._named("draft").ids)],
                },
            ]
        )
        check = [("bde_under_framework_agreement", "=", True)]
        self.assertEqual(self._found(self.lycee, check), self._named("covered"))
        self.assertEqual(
            self.test_partners.filtered("bde_under_framework_agreement"),
            self._named("covered"),
        )
        # On a day of 2022, the ended agreement was in force, not the other.
        past = self.Partner._bde_under_framework_agreement_domain(date(2022, 6, 1))
        self.assertEqual(self._found(self.lycee, past), self._named("ended"))
        self.assertEqual(
            self._found(self.lycee, check, self.user_teacher), self._named("covered")
        )

    def test_check_reads_in_constant_queries(self):
        """Reading a check on a list costs the same for 6 partners as for 30."""
        more = self.Partner.create(
            [{"name": f"More {i}", "is_company": True} for i in range(24)]
        )
        counts = []
        for records in (self.test_partners, self.test_partners | more):
            records = records.with_company(self.lycee)
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            records.mapped("bde_without_convention")
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[1], 2)
