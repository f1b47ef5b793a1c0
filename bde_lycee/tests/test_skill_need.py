import base64
import io
from datetime import date

from freezegun import freeze_time
from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestSkillNeed(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_formation = cls.env["bde.formation"].create(
            {"name": "CAP Cuisine test", "level": "cap", "diploma_code": "50022146"}
        )
        cls.skill_sales, cls.skill_cash = cls.env["bde.skill"].create(
            [{"name": "Vente conseil test"}, {"name": "Encaissement test"}]
        )
        cls.Need = cls.env["bde.skill.need"].with_company(cls.lycee)

    def _create_need(self, **values):
        return self.Need.create(
            {
                "partner_id": self.company_partner.id,
                "job_title": "Vendeur conseil",
                "formation_id": self.formation.id,
                **values,
            }
        )

    @freeze_time("2026-03-10")
    def test_defaults_and_sector_from_formation(self):
        need = self._create_need(headcount=3)
        self.assertEqual(need.date, date(2026, 3, 10))
        self.assertEqual(need.state, "new")
        self.assertEqual(need.company_id, self.lycee)
        self.assertEqual(need.sector_id, self.sector)
        need.action_consider()
        self.assertEqual(need.state, "considered")
        need.action_close()
        self.assertEqual(need.state, "closed")

    def test_sector_from_company_without_formation(self):
        other_sector = self.env["bde.sector"].create({"name": "Hôtellerie test"})
        self.company_partner.bde_sector_ids = other_sector
        need = self._create_need(formation_id=False)
        self.assertEqual(need.sector_id, other_sector)

    def test_headcount_must_be_positive(self):
        for headcount in (0, -2):
            with (
                self.subTest(headcount=headcount),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                self._create_need(headcount=headcount)

    def test_read_group_by_formation_sums_headcount(self):
        self._create_need(headcount=3)
        self._create_need(headcount=2, job_title="Caissier")
        self._create_need(headcount=4, formation_id=self.other_formation.id)
        groups = dict(
            self.Need._read_group(
                [("partner_id", "=", self.company_partner.id)],
                ["formation_id"],
                ["headcount:sum"],
            )
        )
        self.assertEqual(groups, {self.formation: 5, self.other_formation: 4})
        by_sector = dict(
            self.Need._read_group(
                [("partner_id", "=", self.company_partner.id)],
                ["sector_id"],
                ["headcount:sum"],
            )
        )
        self.assertEqual(by_sector[self.sector], 5)

    @freeze_time("2026-03-10")
    def test_xlsx_export_read_back(self):
        need = self._create_need(
            headcount=3,
            horizon="medium",
            skill_ids=[self.skill_sales.id, self.skill_cash.id],
        )
        wizard = (
            self.env["bde.skill.need.export"]
            .with_context(default_skill_need_ids=need.ids)
            .create({})
        )
        self.assertEqual(wizard.skill_need_count, 1)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"id={wizard.id}", action["url"])
        self.assertEqual(wizard.filename, "skill_needs_2026-03-10.xlsx")
        sheet = load_workbook(io.BytesIO(base64.b64decode(wizard.file))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2)
        self.assertEqual(
            rows[0],
            (
                "Lycée",
                "UAI",
                "Company",
                "SIRET",
                "Sector",
                "Formation",
                "Job",
                "Skills",
                "Headcount",
                "Horizon",
                "Recorded on",
            ),
        )
        self.assertEqual(
            rows[1][:10],
            (
                "LP Test Jaurès",
                "0750655E",
                "Boulangerie Test",
                "73282932000074",
                "Commerce test",
                "Bac pro MCV test",
                "Vendeur conseil",
                "Encaissement test, Vente conseil test",
                3,
                "1 to 3 years",
            ),
        )
        self.assertEqual(rows[1][10].date(), date(2026, 3, 10))

    def test_export_without_needs_refused(self):
        wizard = self.env["bde.skill.need.export"].create({})
        with self.assertRaises(UserError):
            wizard.action_export()
        self.assertFalse(wizard.file)

    def test_partner_smart_button_count(self):
        self._create_need()
        self._create_need(job_title="Caissier")
        self.assertEqual(self.company_partner.bde_skill_need_count, 2)
        action = self.company_partner.action_view_bde_skill_needs()
        self.assertEqual(
            self.Need.search(action["domain"]).partner_id, self.company_partner
        )

    def test_access_teacher_reads_only(self):
        need = self._create_need()
        need_as_teacher = need.with_user(self.user_teacher)
        self.assertEqual(need_as_teacher.job_title, "Vendeur conseil")
        with self.assertRaises(AccessError):
            need_as_teacher.write({"headcount": 5})
        with self.assertRaises(AccessError):
            self.Need.with_user(self.user_teacher).create(
                {"partner_id": self.company_partner.id, "job_title": "Commis"}
            )
        need.with_user(self.user_officer).write({"headcount": 5})
        self.assertEqual(need.headcount, 5)

    def test_other_lycee_cannot_read(self):
        need = self._create_need()
        Need = self.env["bde.skill.need"].with_user(self.user_other_lycee)
        self.assertFalse(Need.search([("id", "=", need.id)]))
        with self.assertRaises(AccessError):
            need.with_user(self.user_other_lycee).read(["job_title"])
