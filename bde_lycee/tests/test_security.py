from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestCoreSecurity(BdeLyceeCase):
    """Each BDE role gets what its job needs, and a lycée never reads another
    lycée's classes or students in a shared database."""

    def test_teacher_reads_but_does_not_change_school_structure(self):
        school_class = self.school_class.with_user(self.user_teacher)
        self.assertEqual(school_class.student_count, 1)
        with self.assertRaises(AccessError):
            school_class.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["bde.formation"].with_user(self.user_teacher).create(
                {"name": "CAP test", "level": "cap"}
            )

    def test_officer_manages_classes_manager_configures_networks(self):
        new_class = (
            self.env["bde.class"]
            .with_user(self.user_officer)
            .create(
                {
                    "name": "1 MCV test",
                    "formation_id": self.formation.id,
                    "school_year": "2025-2026",
                }
            )
        )
        self.assertEqual(new_class.company_id, self.lycee)
        with self.assertRaises(AccessError):
            self.env["bde.network"].with_user(self.user_officer).create(
                {"name": "Bassin test"}
            )
        network = (
            self.env["bde.network"]
            .with_user(self.user_manager)
            .create({"name": "Bassin test", "company_ids": [self.lycee.id]})
        )
        self.assertEqual(network.lycee_count, 1)

    def test_other_lycee_never_reads_classes_or_students(self):
        classes = self.env["bde.class"].with_user(self.user_other_lycee)
        self.assertFalse(classes.search([("id", "=", self.school_class.id)]))
        with self.assertRaises(AccessError):
            self.school_class.with_user(self.user_other_lycee).read(["name"])
        partners = self.env["res.partner"].with_user(self.user_other_lycee)
        self.assertFalse(partners.search([("id", "=", self.student.id)]))
        # Companies (firms) are shared by the lycées of the network.
        self.assertEqual(
            partners.search([("id", "=", self.company_partner.id)]),
            self.company_partner,
        )

    def test_network_reader_reads_no_nominative_data(self):
        reader_env = self.env(user=self.user_reader)
        self.assertTrue(reader_env["bde.formation"].search_count([]))
        self.assertTrue(reader_env["bde.network"].has_access("read"))
        with self.assertRaises(AccessError):
            reader_env["bde.class"].search([])
