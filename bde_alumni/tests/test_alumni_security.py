from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni", "multi_company")
class TestAlumniSecurity(BdeAlumniCase):
    """Teachers read the alumni of their lycée, BDE managers follow them up,
    the network reader never reads a named alumni, and no lycée reads another
    lycée's alumni."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.situation = cls._make_situation()

    def test_teacher_reads_but_does_not_follow_up(self):
        alumni = self.alumni.with_user(self.user_teacher)
        self.assertEqual(alumni.bde_alumni_status, "employed")
        self.assertEqual(alumni.bde_alumni_situation_ids, self.situation)
        situations = self.env["bde.alumni.situation"].with_user(self.user_teacher)
        self.assertEqual(situations.search([]), self.situation)
        with self.assertRaises(AccessError):
            situations.create({"partner_id": self.alumni.id, "date": "2027-07-10"})
        with self.assertRaises(AccessError):
            self.situation.with_user(self.user_teacher).status = "seeking"
        with self.assertRaises(AccessError):
            alumni.action_bde_alumni_withdraw_consent()

    def test_officer_follows_up(self):
        situations = self.env["bde.alumni.situation"].with_user(self.user_officer)
        situation = situations.create(
            {"partner_id": self.alumni.id, "date": "2027-07-10", "status": "seeking"}
        )
        self.assertEqual(situation.company_id, self.lycee)
        self.assertEqual(situation.months_after_exit, 12)
        situation.status = "studies"
        self.situation.with_user(self.user_officer).unlink()
        self.assertEqual(self.alumni.bde_alumni_situation_ids, situation)

    def test_network_reader_reads_no_named_alumni(self):
        reader_env = self.env(user=self.user_reader)
        with self.assertRaises(AccessError):
            reader_env["bde.alumni.situation"].search([])
        partners = reader_env["res.partner"]
        self.assertFalse(partners.search([("id", "=", self.alumni.id)]))
        with self.assertRaises(AccessError):
            self.alumni.with_user(self.user_reader).read(["name"])
        # companies stay readable
        self.assertEqual(
            partners.search([("id", "=", self.company_partner.id)]),
            self.company_partner,
        )
        # the head of school is also a network reader, and reads them
        manager_partners = self.env["res.partner"].with_user(self.user_manager)
        self.assertEqual(
            manager_partners.search([("id", "=", self.alumni.id)]), self.alumni
        )

    def test_other_lycee_never_reads_alumni_or_situations(self):
        other_env = self.env(user=self.user_other_lycee)
        self.assertFalse(other_env["bde.alumni.situation"].search([]))
        with self.assertRaises(AccessError):
            self.situation.with_user(self.user_other_lycee).read(["status"])
        self.assertFalse(
            other_env["res.partner"].search([("bde_is_alumni", "=", True)])
        )
        with self.assertRaises(AccessError):
            other_env["bde.alumni.situation"].create(
                {"partner_id": self.alumni.id, "date": "2027-07-10"}
            )
