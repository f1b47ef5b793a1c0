import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdePfmpCase

YEAR = "2032-2033"
TABLE = (
    b"MEF,MEF_STAT_11,MEF_STAT_4,DISPOSITIF_FORMATION,LIBELLE_LONG,BOP,"
    b"FORFAIT JOURNALIER,PLAFOND MAX\n"
    b"2473121333,23830031213,2383,247,TLEPRO TEST,MENJ,25,1000\n"
)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceRateAdmin(BdePfmpCase):
    """The national allowance table is shared by every lycée of the database:
    only an administrator of the database changes it, and the allowances of
    every lycée follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head_other = new_test_user(
            cls.env,
            login="bde_head_other",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.rate = cls.env["bde.allowance.rate"].create(
            {
                "school_year": YEAR,
                "mef_code": "2473121333",
                "mef_stat4": "2383",
                "daily_rate": 20,
                "yearly_cap": 1000,
            }
        )
        cls.school_class.school_year = YEAR
        cls.period.write({"date_start": "2032-11-08", "date_end": "2032-12-03"})
        cls.placement = cls._make_placement(days_done=10)
        other_class = cls.school_class.copy(
            {"name": "T MCV autre", "company_id": cls.other_lycee.id}
        )
        other_student = cls.env["res.partner"].create(
            {
                "name": "Zoé Autre",
                "bde_is_student": True,
                "bde_ine": "1234567892C",
                "bde_birthdate": "2015-01-01",
                "bde_class_id": other_class.id,
                "company_id": cls.other_lycee.id,
            }
        )
        other_period = cls.period.copy({"class_id": other_class.id})
        cls.other_placement = cls._make_placement(
            student=other_student, period_id=other_period.id, days_done=10
        )

    def test_amounts_before(self):
        self.assertEqual(self.placement.allowance_amount, 200)
        self.assertEqual(self.other_placement.allowance_amount, 200)

    def test_head_of_school_cannot_change_the_table(self):
        for user in (self.head_other, self.user_manager, self.user_officer):
            rates = self.env["bde.allowance.rate"].with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(rates.browse(self.rate.id).daily_rate, 20)
                with self.assertRaises(AccessError):
                    rates.browse(self.rate.id).write({"daily_rate": 50})
                with self.assertRaises(AccessError):
                    rates.create(
                        {
                            "school_year": YEAR,
                            "mef_stat4": "2383",
                            "daily_rate": 50,
                            "yearly_cap": 1000,
                        }
                    )
                with self.assertRaises(AccessError):
                    rates.browse(self.rate.id).unlink()
        self.assertEqual(self.rate.daily_rate, 20)

    def test_head_of_school_cannot_import_the_table(self):
        with self.assertRaises(AccessError):
            self.env["bde.allowance.rate.import"].with_user(self.head_other).create(
                {"file": base64.b64encode(TABLE), "school_year": YEAR}
            )
        # Even with a wizard in hand, the apply refuses a non-administrator.
        wizard = self.env["bde.allowance.rate.import"].create(
            {"file": base64.b64encode(TABLE), "school_year": YEAR}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.head_other).sudo().action_apply()
        with self.assertRaises(AccessError):
            wizard.with_user(self.head_other).sudo().action_preview()
        self.assertEqual(self.rate.daily_rate, 20)
        self.assertEqual(self.other_placement.allowance_amount, 200)

    def test_administrator_imports_for_every_lycee(self):
        wizard = (
            self.env["bde.allowance.rate.import"]
            .with_user(self.admin)
            .create({"file": base64.b64encode(TABLE), "school_year": YEAR})
        )
        wizard.action_apply()
        self.assertEqual(wizard.state, "done", wizard.result)
        self.assertEqual(wizard.recomputed_count, 2)
        self.assertEqual(self.rate.daily_rate, 25)
        self.assertEqual(self.placement.allowance_amount, 250)
        self.assertEqual(self.other_placement.allowance_amount, 250)

    def test_administrator_edits_the_table(self):
        self.rate.with_user(self.admin).write({"daily_rate": 30})
        self.assertEqual(self.placement.allowance_amount, 300)
        self.assertEqual(self.other_placement.allowance_amount, 300)
