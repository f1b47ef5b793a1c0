import base64
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_indicator import BdeAlumniIndicatorCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniIndicatorExport(BdeAlumniIndicatorCase):
    def _export(self, user, **vals):
        wizard = self.env["bde.alumni.indicator.export"].with_user(user).create(vals)
        action = wizard.action_export()
        self.assertIn(f"id={wizard.id}", action["url"])
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file))).active
        rows = list(sheet.iter_rows(values_only=True))
        by_key = {(row[1], row[5], row[6]): row for row in rows[1:]}
        return rows[0], by_key

    def test_export_published_rates(self):
        headers, rows = self._export(
            self.user_reader,
            company_ids=[(6, 0, (self.lycee | self.other_lycee).ids)],
            formation_ids=[(6, 0, self.formation.ids)],
            exit_year_from=2024,
            exit_year_to=2025,
        )
        self.assertEqual(headers[7], "Cohort size")
        # the two lycées' cohorts (one for the other lycée), each at the points
        # already reached: all four for the 2024 cohort
        self.assertEqual(
            {key[:2] for key in rows},
            {
                (self.lycee.name, 2024),
                (self.lycee.name, 2025),
                (self.other_lycee.name, 2025),
            },
        )
        self.assertEqual({key[2] for key in rows if key[1] == 2024}, {6, 12, 18, 24})
        row = rows[(self.lycee.name, 2025, 6)]
        self.assertEqual(row[4], self.formation.display_name)
        self.assertEqual(row[7], 25)
        # studies, salaried, other, seeking, unknown, leavers
        self.assertEqual(row[8:14], (5, 12, 2, 3, 3, 20))
        rates = (0.2, 0.6, 0.1, 0.15, 0.15)
        for value, expected in zip(row[14:19], rates, strict=True):
            self.assertAlmostEqual(value, expected)
        self.assertIsNone(row[19])

    def test_export_hides_rates_under_20(self):
        _headers, rows = self._export(
            self.user_teacher, exit_year_from=2024, exit_year_to=2024
        )
        self.assertEqual(len(rows), 4)
        row = rows[(self.lycee.name, 2024, 6)]
        self.assertEqual(row[7], 19)
        self.assertEqual(row[8:19], (None,) * 11)
        self.assertTrue(row[19].startswith("< 20"))
        other = rows[(self.lycee.name, 2024, 12)]
        self.assertEqual(other[7], 19)
        self.assertTrue(other[19].startswith("< 20"))

    def test_export_of_other_lycee_is_not_readable(self):
        _headers, rows = self._export(
            self.user_teacher,
            company_ids=[(5, 0, 0)],
            exit_year_from=2025,
            exit_year_to=2025,
        )
        self.assertIn((self.lycee.name, 2025, 6), rows)
        self.assertEqual({key[0] for key in rows}, {self.lycee.name})

    def test_export_bad_input(self):
        with self.assertRaises(ValidationError):
            self.env["bde.alumni.indicator.export"].create(
                {"exit_year_from": 2026, "exit_year_to": 2024}
            )
        wizard = self.env["bde.alumni.indicator.export"].create(
            {"exit_year_from": 2040}
        )
        with self.assertRaises(UserError):
            wizard.action_export()
        self.assertFalse(wizard.file)
