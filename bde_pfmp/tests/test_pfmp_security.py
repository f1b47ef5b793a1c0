from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BdePfmpCase


@tagged("post_install", "-at_install", "bde_pfmp", "multi_company")
class TestPfmpSecurity(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_teacher2 = cls._make_user("bde_teacher2", "bde_lycee.group_bde_user")
        cls.other_class = cls.env["bde.class"].create(
            {
                "name": "1 MCV test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "company_id": cls.lycee.id,
            }
        )
        cls.other_student = cls.env["res.partner"].create(
            {
                "name": "Jade Petit",
                "bde_is_student": True,
                "bde_birthdate": "2009-04-02",
                "bde_class_id": cls.other_class.id,
                "company_id": cls.lycee.id,
            }
        )
        cls.placement = cls._make_placement()
        # Referent of a student of a class the teacher is not main teacher of.
        cls.placement_referent = cls._make_placement(
            student=cls.other_student,
            period_id=False,
            class_id=cls.other_class.id,
            date_start="2025-11-03",
            date_end="2025-11-28",
            teacher_id=cls.user_teacher2.id,
        )

    def test_teacher_sees_own_class_and_referent_placements(self):
        placements = self.env["bde.pfmp.placement"]
        self.assertEqual(
            placements.with_user(self.user_teacher).search([]), self.placement
        )
        self.assertEqual(
            placements.with_user(self.user_teacher2).search([]),
            self.placement_referent,
        )
        with self.assertRaises(AccessError):
            self.placement_referent.with_user(self.user_teacher).read(["state"])
        with self.assertRaises(AccessError):
            placements.with_user(self.user_teacher).create(
                {"student_id": self.student_adult.id, "period_id": self.period.id}
            )

    def test_teacher_follows_own_placement(self):
        placement = self.placement.with_user(self.user_teacher)
        placement.days_done = 5
        visit = (
            self.env["bde.pfmp.visit"]
            .with_user(self.user_teacher)
            .create({"placement_id": placement.id, "date": "2025-11-12"})
        )
        self.assertEqual(visit.user_id, self.user_teacher)
        self.assertFalse(
            self.env["bde.pfmp.visit"].with_user(self.user_teacher2).search([])
        )
        with self.assertRaises(AccessError):
            self.env["bde.pfmp.visit"].with_user(self.user_teacher2).create(
                {"placement_id": self.placement.id, "date": "2025-11-12"}
            )
        with self.assertRaises(AccessError):
            self.env["bde.allowance.rate"].with_user(self.user_teacher).create(
                {
                    "school_year": "2030-2031",
                    "mef_stat4": "2383",
                    "daily_rate": 1,
                    "yearly_cap": 1,
                }
            )

    def test_only_bde_team_records_signature(self):
        self.placement.action_to_sign()
        self._sign_by_all(self.placement)
        with self.assertRaises(AccessError):
            self.placement.with_user(self.user_teacher).action_sign()
        self.placement.with_user(self.user_officer).action_sign()
        self.assertEqual(self.placement.state, "signed")

    def test_officer_sees_all_of_lycee(self):
        placements = self.env["bde.pfmp.placement"].with_user(self.user_officer)
        self.assertEqual(
            placements.search([]).filtered(
                lambda p: p.company_id == self.lycee and p.period_id == self.period
            ),
            self.placement,
        )
        self.assertIn(self.placement_referent, placements.search([]))
        self.period.with_user(self.user_officer).action_create_placements()
        self.assertIn(self.student_adult, self.period.placement_ids.student_id)

    def test_other_lycee_reads_nothing(self):
        env = self.env(user=self.user_other_lycee)
        self.assertFalse(
            env["bde.pfmp.placement"].search(
                [("id", "in", (self.placement | self.placement_referent).ids)]
            )
        )
        self.assertFalse(env["bde.pfmp.period"].search([("id", "=", self.period.id)]))
        with self.assertRaises(AccessError):
            self.placement.with_user(self.user_other_lycee).read(["state"])
        # The shared national table is readable by every lycée.
        self.assertTrue(env["bde.allowance.rate"].search_count([]))

    def test_network_reader_reads_no_placement(self):
        with self.assertRaises(AccessError):
            self.env["bde.pfmp.placement"].with_user(self.user_reader).search([])

    def test_student_of_another_lycee_refused(self):
        other_class = self.env["bde.class"].create(
            {
                "name": "T MCV Lumière",
                "formation_id": self.formation.id,
                "school_year": "2025-2026",
                "company_id": self.other_lycee.id,
            }
        )
        other_student = self.env["res.partner"].create(
            {
                "name": "Noé Lumière",
                "bde_is_student": True,
                "bde_class_id": other_class.id,
                "company_id": self.other_lycee.id,
            }
        )
        with self.assertRaises(UserError):
            self._make_placement(student=other_student)

    def test_partner_counts_follow_access(self):
        self.assertEqual(self.company_partner.bde_placement_count, 2)
        self.assertEqual(self.student.bde_placement_count, 1)
        self.env.invalidate_all()
        host = self.company_partner.with_user(self.user_teacher)
        self.assertEqual(host.bde_placement_count, 1)
        action = self.student.action_bde_view_placements()
        self.assertEqual(
            self.env["bde.pfmp.placement"].search(action["domain"]), self.placement
        )
