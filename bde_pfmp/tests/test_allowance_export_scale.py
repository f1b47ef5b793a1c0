import base64
import io

import openpyxl

from odoo.tests import tagged

from .common import BdePfmpCase

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# 1×: 500 students of the class with a placement in each of its 3 periods.
STUDENTS = 500


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceExportScale(BdePfmpCase):
    """The allowance export reads its rows in a few queries whatever their
    number, and writes what the ORM computes record by record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.periods = cls.period | cls.env["bde.pfmp.period"].create(
            [
                {
                    "name": name,
                    "class_id": cls.school_class.id,
                    "date_start": start,
                    "date_end": end,
                }
                for name, start, end in (
                    ("PFMP 2", "2026-02-02", "2026-02-27"),
                    ("PFMP 3", "2026-05-04", "2026-05-29"),
                )
            ]
        )

    def _add_students(self, count):
        """``count`` more students of the class, each placed in every period;
        every fourth an adult without mandate, every fifth without INE and
        every third without address: APLyPro's checks fail for them."""
        start = self.env["res.partner"].search_count(
            [("name", "=like", "Élève% Scale%")]
        )
        students = self.env["res.partner"].create(
            [
                {
                    "name": f"Élève{index} Scale{index:05d}",
                    "bde_is_student": True,
                    "bde_ine": f"{index:010d}S" if index % 5 else False,
                    "bde_birthdate": "2000-01-01" if index % 4 == 0 else "2009-06-01",
                    "street": f"{index} rue de l'École" if index % 3 else False,
                    "zip": "75011",
                    "city": "Paris",
                    "bde_class_id": self.school_class.id,
                    "company_id": self.lycee.id,
                }
                for index in range(start, start + count)
            ]
        )
        self.env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "period_id": period.id,
                    "partner_id": self.company_partner.id,
                    "tutor_id": self.tutor.id,
                    "state": "host_found",
                    "days_done": 10 + student.id % 10,
                }
                for student in students
                for period in self.periods
            ]
        )

    def _export(self):
        """Queries of the export of the class as its officer clicks it, and
        the rows of the file read back."""
        wizard = (
            self.env["bde.allowance.export"]
            .with_user(self.user_officer)
            .create({"class_ids": [self.school_class.id]})
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        wizard.action_export()
        self.env.flush_all()
        queries = self.cr.sql_log_count - before
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        rows = [
            list(row)
            for sheet in book
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[0] != "Total"
        ]
        return queries, rows

    def test_query_count_does_not_grow_with_rows(self):
        self._add_students(STUDENTS)
        # The first export fills the caches of the registry (rules, groups).
        self._export()
        queries, rows = self._export()
        self.assertEqual(len(rows), 3 * STUDENTS)
        self._add_students(4 * STUDENTS)
        queries_5x, rows_5x = self._export()
        self.assertEqual(len(rows_5x), 5 * 3 * STUDENTS)
        self.assertEqual(queries, queries_5x)

    def test_rows_read_back_are_the_orm_s_figures(self):
        self._add_students(40)
        _queries, rows = self._export()
        placements = self.env["bde.pfmp.placement"].search(
            [("class_id", "=", self.school_class.id)]
        )
        self.assertEqual(len(rows), len(placements))
        by_key = {(p.student_id.name, p.period_id.date_start): p for p in placements}
        cumulated = placements._allowance_cumulated()
        blocked = 0
        for row in rows:
            # Names read "First Last": the file gives the last name first.
            placement = by_key[f"{row[2]} {row[1]}", row[5].date()]
            student = placement.student_id
            self.assertEqual(row[0], student.bde_ine or None)
            self.assertEqual(
                row[10:14],
                [
                    placement.days_done,
                    placement.allowance_daily_rate,
                    placement.allowance_amount,
                    cumulated[placement.id][1],
                ],
            )
            issues = " ".join(student._bde_aplypro_issue_list()) or None
            self.assertEqual(row[14], issues)
            blocked += bool(issues)
        self.assertGreater(blocked, len(rows) // 3)
