from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.bde_lycee.school_year import (
    is_school_year,
    school_year_bounds,
    school_year_of,
)

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestSchoolStructure(BdeLyceeCase):
    def test_school_year_helpers(self):
        self.assertEqual(school_year_of(date(2025, 9, 1)), "2025-2026")
        self.assertEqual(school_year_of(date(2026, 8, 31)), "2025-2026")
        self.assertTrue(is_school_year("2025-2026"))
        self.assertFalse(is_school_year("2025-2027"))
        self.assertEqual(
            school_year_bounds("2025-2026"), (date(2025, 9, 1), date(2026, 8, 31))
        )

    def test_uai_check_letter(self):
        self.lycee.bde_uai = "0690026d"
        self.assertEqual(self.lycee.bde_uai, "0690026D")
        with self.assertRaisesRegex(ValidationError, "0750655F"):
            self.lycee.bde_uai = "0750655F"
        with self.assertRaises(ValidationError):
            self.lycee.bde_uai = "750655E"

    def test_siret_luhn_and_la_poste(self):
        partner = self.company_partner
        partner.siret = "732 829 320 00074"
        self.assertEqual(partner.siret, "73282932000074")
        # La Poste: Luhn fails but the digit sum is a multiple of 5.
        partner.siret = "35600000000048"
        with self.assertRaisesRegex(ValidationError, "73282932000075"):
            partner.siret = "73282932000075"

    def test_naf_code_normalised(self):
        self.company_partner.bde_naf_code = "1071c"
        self.assertEqual(self.company_partner.bde_naf_code, "10.71C")
        with self.assertRaises(ValidationError):
            self.company_partner.bde_naf_code = "107C"

    def test_ine_format_and_uniqueness_per_lycee(self):
        with self.assertRaises(ValidationError):
            self.student.bde_ine = "12345"
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["res.partner"].create(
                    {
                        "name": "Doublon",
                        "bde_is_student": True,
                        "bde_ine": "1234567890a",
                        "company_id": self.lycee.id,
                    }
                )
        # The same INE in another lycée of the network is allowed.
        other = self.env["res.partner"].create(
            {
                "name": "Léa Martin",
                "bde_is_student": True,
                "bde_ine": "1234567890A",
                "company_id": self.other_lycee.id,
            }
        )
        self.assertEqual(other.bde_ine, "1234567890A")

    def test_class_mef_and_year_of_study(self):
        self.assertEqual(self.school_class.year_of_study, 3)
        self.assertTrue(self.school_class.is_final_year)
        self.assertEqual(self.school_class.student_count, 1)
        self.assertEqual(self.formation.class_count, 1)
        with self.assertRaises(ValidationError):
            self.school_class.mef_code = "24731213"
        with self.assertRaises(ValidationError):
            self.school_class.school_year = "2025/2026"

    def test_student_age(self):
        # A student turning 18 stays a minor until the birthday itself.
        self.assertEqual(self.student.bde_age_on(date(2026, 3, 14)), 17)
        self.assertEqual(self.student.bde_age_on(date(2026, 3, 15)), 18)
