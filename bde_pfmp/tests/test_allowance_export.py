import base64
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import BdePfmpCase

YEAR = "2030-2031"


class AllowanceExportCase(BdePfmpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_class.school_year = YEAR
        cls.period.write({"date_start": "2030-11-04", "date_end": "2030-11-29"})
        cls.env["bde.allowance.rate"].create(
            {
                "school_year": YEAR,
                "mef_stat4": "2383",
                "daily_rate": 20,
                "yearly_cap": 500,
            }
        )
        # Both students are adults in 2030: Léa gave a mandate, Hugo nothing.
        cls.student.write(
            {
                "street": "1 rue Haute",
                "zip": "75001",
                "city": "Paris",
                "bde_aplypro_mandate": True,
            }
        )
        cls.student_adult.write(
            {"street": "2 rue Basse", "zip": "75002", "city": "Paris"}
        )
        cls.placement = cls._make_placement(days_done=18)
        cls.placement_adult = cls._make_placement(
            student=cls.student_adult, days_done=20
        )
        cls.period_2 = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP 2",
                "class_id": cls.school_class.id,
                "date_start": "2031-03-03",
                "date_end": "2031-03-28",
            }
        )
        cls.later = cls._make_placement(period_id=cls.period_2.id, days_done=20)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceExport(AllowanceExportCase):
    """The spreadsheet to enter the allowances in APLyPro: one sheet per class
    and period, exact cells read back with openpyxl."""

    def _export(self, user=None, **vals):
        wizard = (
            self.env["bde.allowance.export"]
            .with_user(user or self.env.user)
            .create(vals)
        )
        action = wizard.action_export()
        self.assertIn(f"id={wizard.id}", action["url"])
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    def _rows(self, sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_export_of_a_period(self):
        book = self._export(period_ids=[self.period.id])
        self.assertEqual(book.sheetnames, ["T MCV test PFMP 1"])
        rows = self._rows(book.active)
        self.assertEqual(
            rows[0],
            [
                "INE",
                "Last name",
                "First name",
                "Birth date",
                "MEF",
                "Period start",
                "Period end",
                "Placement start",
                "Placement end",
                "Host",
                "Days done",
                "Daily rate",
                "Amount",
                "Cap left",
                "Blocking issue",
            ],
        )
        nov_4, nov_29 = datetime(2030, 11, 4), datetime(2030, 11, 29)
        # Hugo Bernard has neither an account in his name nor a mandate.
        self.assertEqual(
            rows[1][:14],
            [
                "1234567891B",
                "Bernard",
                "Hugo",
                datetime(2006, 1, 10),
                "2473121333",
                nov_4,
                nov_29,
                nov_4,
                nov_29,
                "Boulangerie Test",
                20,
                20,
                400,
                100,
            ],
        )
        self.assertIn("Adult at the start of the placement", rows[1][14])
        self.assertEqual(
            rows[2],
            [
                "1234567890A",
                "Martin",
                "Léa",
                datetime(2008, 3, 15),
                "2473121333",
                nov_4,
                nov_29,
                nov_4,
                nov_29,
                "Boulangerie Test",
                18,
                20,
                360,
                140,
                None,
            ],
        )
        self.assertEqual(rows[3][0], "Total")
        self.assertEqual((rows[3][10], rows[3][12]), (38, 760))
        self.assertEqual(len(rows), 4)

    def test_export_of_a_class_has_one_sheet_per_period(self):
        book = self._export(class_ids=[self.school_class.id])
        self.assertEqual(book.sheetnames, ["T MCV test PFMP 1", "T MCV test PFMP 2"])
        rows = self._rows(book["T MCV test PFMP 2"])
        # The later placement gets what is left of Léa's cap: 500 - 360.
        self.assertEqual(rows[1][1], "Martin")
        self.assertEqual(rows[1][10:14], [20, 20, 140, 0])
        self.assertEqual(rows[2][12], 140)

    def test_export_from_the_placements_list(self):
        self.later._action_stop("cancel", "No host.")
        placements = self.placement | self.later
        book = self._export(placement_ids=placements.ids)
        # The cancelled placement is left out.
        self.assertEqual(book.sheetnames, ["T MCV test PFMP 1"])
        self.assertEqual(len(self._rows(book.active)), 3)

    def test_teacher_exports_only_their_students(self):
        other_class = self.school_class.copy(
            {"name": "2 MCV autre", "teacher_id": False}
        )
        period = self.env["bde.pfmp.period"].create(
            {
                "name": "PFMP X",
                "class_id": other_class.id,
                "date_start": "2030-12-02",
                "date_end": "2030-12-20",
            }
        )
        self._make_placement(period_id=period.id, class_id=other_class.id)
        book = self._export(user=self.user_teacher, class_ids=[self.school_class.id])
        self.assertEqual(len(book.sheetnames), 2)
        with self.assertRaises(UserError):
            self._export(user=self.user_teacher, period_ids=[period.id])

    def test_other_lycee_exports_nothing(self):
        with self.assertRaises(AccessError):
            self._export(user=self.user_other_lycee, period_ids=[self.period.id])

    def test_nothing_chosen(self):
        with self.assertRaisesRegex(UserError, "No placement to export"):
            self._export()

    def test_sheet_names_are_valid_and_unique(self):
        wizard = self.env["bde.allowance.export"].create({})
        names = set()
        school_class = self.school_class.copy({"name": "T/MCV [A]: commerce et vente"})
        first = wizard._sheet_name(school_class, self.period, names)
        second = wizard._sheet_name(school_class, self.period, names)
        self.assertEqual(first, "T-MCV -A-- commerce et vente PF")
        self.assertEqual(second, "T-MCV -A-- commerce et vent (2)")
        self.assertEqual(len(second), 31)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceExportDownload(HttpCase, AllowanceExportCase):
    def test_download(self):
        wizard = (
            self.env["bde.allowance.export"]
            .with_user(self.user_officer)
            .create({"period_ids": [self.period.id]})
        )
        action = wizard.action_export()
        self.authenticate("bde_officer", "bde_officer")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["T MCV test PFMP 1"])
