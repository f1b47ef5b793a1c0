from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestMefNomenclature(BdeLyceeCase):
    """The national MEF nomenclature shipped as data, and who may change it."""

    def _local_mef(self, user, code="9990000011"):
        return (
            self.env["bde.mef"]
            .with_user(user)
            .create(
                {
                    "code": code,
                    "name": "1re année de la formation locale",
                    "diploma_code": "40099999",
                    "level": "bac_pro",
                }
            )
        )

    def test_shipped_bac_pro_mef(self):
        mef = self.env["bde.mef"].search([("code", "=", "2473121333")])
        self.assertEqual(mef, self.env.ref("bde_lycee.mef_2473121333"))
        self.assertEqual(mef.diploma_code, "40031213")
        self.assertEqual(mef.mef_stat_4, "2383")
        self.assertEqual(mef.mef_stat_11, "23830031213")
        self.assertEqual(mef.level, "bac_pro")
        self.assertEqual((mef.duration, mef.year_of_training), (3, 3))
        self.assertTrue(mef.is_national)
        self.assertEqual(
            mef._formation_values()["name"],
            "Bac pro Met. commerce vente opt.A animat. gestion espace commercial",
        )

    def test_class_shows_its_mef(self):
        self.assertEqual(
            self.school_class.with_user(self.user_teacher).mef_id.name,
            "Tle pro met. commerce vente opt.A animat. gestion espace commercial",
        )
        self.school_class.mef_code = "9999999999"
        self.assertFalse(self.school_class.mef_id, "not in the nomenclature")

    def test_formation_lists_the_mefs_of_its_diploma(self):
        mefs = self.formation.with_user(self.user_teacher).mef_ids
        self.assertIn("2473121333", mefs.mapped("code"))
        self.assertEqual(set(mefs.mapped("diploma_code")), {"40031213"})
        self.assertEqual(set(mefs.mapped("year_of_training")), {1, 2, 3})

    def test_shipped_levels(self):
        """CAP, MC (its diploma code's lost leading zero restored), CS; the
        vocational track only."""
        mefs = self.env["bde.mef"].search(
            [("code", "in", ("2412214621", "2532200111", "2583340411"))]
        )
        self.assertEqual(
            {(m.code, m.level, m.diploma_code) for m in mefs},
            {
                ("2412214621", "cap", "50022146"),
                ("2532200111", "mc", "01022001"),
                ("2583340411", "cs", "46133404"),
            },
        )
        self.assertGreater(self.env["bde.mef"].search_count([]), 1500)
        self.assertFalse(
            self.env["bde.mef"].search_count([("level", "in", ("bts", "bp"))]),
            "no MEF of higher education in the vocational track's table",
        )

    def test_codes_checked(self):
        with self.assertRaises(ValidationError):
            self._local_mef(self.env.user, code="247312133")
        with self.assertRaises(ValidationError):
            self._local_mef(self.env.user).diploma_code = "4003121"
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._local_mef(self.env.user, code="2473121333")

    def test_staff_read_teacher_cannot_write(self):
        mef = self.env.ref("bde_lycee.mef_2473121333")
        for user in (self.user_teacher, self.user_reader, self.user_other_lycee):
            self.assertEqual(mef.with_user(user).code, "2473121333")
        with self.assertRaises(AccessError):
            mef.with_user(self.user_teacher).name = "Changed"
        with self.assertRaises(AccessError):
            self._local_mef(self.user_teacher)

    def test_bde_manager_keeps_to_local_mefs(self):
        local = self._local_mef(self.user_officer)
        local.name = "1re année, renamed"
        national = self.env.ref("bde_lycee.mef_2473121333")
        for user in (self.user_officer, self.user_manager):
            with self.assertRaises(AccessError):
                national.with_user(user).name = "Changed"
            with self.assertRaises(AccessError):
                national.with_user(user).unlink()
        with self.assertRaises(AccessError):
            local.is_national = True
        with self.assertRaises(AccessError):
            self.env["bde.mef"].with_user(self.user_officer).create(
                {
                    "code": "9990000012",
                    "name": "Posing as national",
                    "diploma_code": "40099999",
                    "is_national": True,
                }
            )
        local.unlink()
        self.assertEqual(national.name[:7], "Tle pro")
