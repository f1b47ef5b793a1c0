from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdeLyceeCase

ORGANISATION = {
    "bde_manager_status": "teacher_discharge",
    "bde_manager_time": 6.5,
    "bde_pacte_mission_count": 2,
    "bde_pooled_with": "CFA académique test",
    "bde_location": "Bâtiment B, salle 112",
}


@tagged("post_install", "-at_install", "bde_lycee", "multi_company")
class TestBdeOrganisation(BdeLyceeCase):
    """The BDE's organisation and resources are set on the lycée by the
    database's administrator and read by the lycée's staff and the network
    reader, for the yearly report (circular, section 5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.write(ORGANISATION)
        cls.admin_lycee = new_test_user(
            cls.env,
            login="bde_erp_manager",
            groups="base.group_user,base.group_erp_manager",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )

    def test_staff_and_reader_read_the_organisation(self):
        for user in (
            self.user_teacher,
            self.user_officer,
            self.user_manager,
            self.user_reader,
        ):
            lycee = self.lycee.with_user(user)
            values = lycee.read(list(ORGANISATION))[0]
            self.assertEqual(
                {key: values[key] for key in ORGANISATION}, ORGANISATION, user.login
            )

    def test_only_the_administrator_writes_it(self):
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            with self.assertRaises(AccessError):
                self.lycee.with_user(user).bde_pacte_mission_count = 5
        self.lycee.with_user(self.admin_lycee).bde_pacte_mission_count = 5
        self.assertEqual(self.lycee.bde_pacte_mission_count, 5)

    def test_another_lycee_keeps_its_own(self):
        self.assertFalse(self.other_lycee.bde_manager_status)
        self.assertEqual(self.other_lycee.bde_pacte_mission_count, 0)
