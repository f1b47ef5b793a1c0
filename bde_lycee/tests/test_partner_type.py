from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestPartnerType(BdeLyceeCase):
    """A company is a company unless the BDE says it is a chamber, an OPCO,
    France Travail...; a person has no partner type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]

    def test_company_defaults_to_company_person_to_nothing(self):
        company = self.Partner.create({"name": "Garage Test", "is_company": True})
        person = self.Partner.create({"name": "Jean Dupont"})
        self.assertEqual(company.bde_partner_type, "company")
        self.assertFalse(person.bde_partner_type)
        self.assertFalse(self.student.bde_partner_type)

    def test_given_type_is_kept(self):
        opco = self.Partner.create(
            {"name": "OPCO Test", "is_company": True, "bde_partner_type": "opco"}
        )
        self.assertEqual(opco.bde_partner_type, "opco")
        opco.write({"city": "Lyon", "is_company": True})
        self.assertEqual(opco.bde_partner_type, "opco")

    def test_type_follows_company_or_person(self):
        partner = self.Partner.create({"name": "Auto-entrepreneur Test"})
        partner.is_company = True
        self.assertEqual(partner.bde_partner_type, "company")
        partner.bde_partner_type = "association"
        partner.is_company = False
        self.assertFalse(partner.bde_partner_type)

    def test_every_company_of_the_database_has_a_type(self):
        """Companies created before the module (base's, the lycées' own) got
        the default when the column was added."""
        self.assertFalse(
            self.Partner.with_context(active_test=False).search_count(
                [("is_company", "=", True), ("bde_partner_type", "=", False)]
            )
        )

    def test_search_and_group_by_type(self):
        types = ("chamber", "opco", "france_travail", "mission_locale", "chamber")
        partners = self.Partner.create(
            [
                {"name": f"Test {kind}", "is_company": True, "bde_partner_type": kind}
                for kind in types
            ]
        )
        domain = [("id", "in", partners.ids)]
        self.assertEqual(
            self.Partner.search(domain + [("bde_partner_type", "=", "chamber")]),
            partners[0] | partners[4],
        )
        groups = self.Partner._read_group(domain, ["bde_partner_type"], ["__count"])
        counts = dict(groups)
        self.assertEqual(
            counts, {"chamber": 2, "opco": 1, "france_travail": 1, "mission_locale": 1}
        )
        self.assertEqual(sum(counts.values()), len(partners))

    def test_who_sets_the_type(self):
        """The BDE manager types the partners; a teacher reads the type only;
        the network reader reads it on a company."""
        partner = self.company_partner.with_user(self.user_officer)
        partner.bde_partner_type = "association"
        self.assertEqual(
            self.company_partner.with_user(self.user_teacher).bde_partner_type,
            "association",
        )
        self.assertEqual(
            self.company_partner.with_user(self.user_reader).bde_partner_type,
            "association",
        )
        with self.assertRaises(AccessError):
            self.company_partner.with_user(self.user_teacher).bde_partner_type = "opco"
        with self.assertRaises(AccessError):
            self.company_partner.with_user(self.user_reader).bde_partner_type = "opco"
