from odoo.tests import TransactionCase, new_test_user


class BdeLyceeCase(TransactionCase):
    """Two lycées, a formation, a class and one user per BDE role, built once.

    Tests must not rely on demo data: everything they read is made here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Test Jaurès", "bde_uai": "0750655E"}
        )
        cls.other_lycee = cls.env["res.company"].create(
            {"name": "LP Test Lumière", "bde_uai": "0690026D"}
        )
        cls.user_teacher = cls._make_user("bde_teacher", "bde_lycee.group_bde_user")
        cls.user_officer = cls._make_user("bde_officer", "bde_lycee.group_bde_officer")
        cls.user_manager = cls._make_user("bde_manager", "bde_lycee.group_bde_manager")
        cls.user_reader = cls._make_user(
            "bde_reader", "base.group_user,bde_lycee.group_bde_network_reader"
        )
        cls.user_other_lycee = new_test_user(
            cls.env,
            login="bde_other_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.sector = cls.env["bde.sector"].create({"name": "Commerce test"})
        cls.formation = cls.env["bde.formation"].create(
            {
                "name": "Bac pro MCV test",
                "level": "bac_pro",
                "diploma_code": "40031213",
                "sector_id": cls.sector.id,
                "duration_years": 3,
            }
        )
        cls.school_class = cls.env["bde.class"].create(
            {
                "name": "T MCV test",
                "formation_id": cls.formation.id,
                "school_year": "2025-2026",
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "company_id": cls.lycee.id,
            }
        )
        cls.student = cls.env["res.partner"].create(
            {
                "name": "Léa Martin",
                "bde_is_student": True,
                "bde_ine": "1234567890A",
                "bde_birthdate": "2008-03-15",
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )
        cls.company_partner = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Test",
                "is_company": True,
                "siret": "73282932000074",
                "bde_naf_code": "10.71C",
                "bde_partner_status": "active",
            }
        )

    @classmethod
    def _make_user(cls, login, groups):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{groups}",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
