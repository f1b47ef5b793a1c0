import base64
import io

from openpyxl import load_workbook

from odoo.tests import tagged

from odoo.addons.bde_lycee.tests.yearly_report_case import (
    LAST_YEAR,
    REPORT,
    YEAR,
    report_figures,
)

from .common import BdePfmpCase

SIGNATURES = (
    "date_signed_school",
    "date_signed_host",
    "date_signed_tutor",
    "date_signed_teacher",
    "date_signed_student",
)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestYearlyReportPfmp(BdePfmpCase):
    """Expectation 5 of the yearly report against a case counted by hand.

    Lycée 1 in 2025-2026: a placement done (signed, visited, rated 4), a
    signed one, one whose host is found (unsigned) and a cancelled one. Last
    year's placement (signed, visited, rated 1) and lycée 2's never count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        students = cls._adults(cls.school_class, 4)
        cls.p_done = cls._place(students[0], cls.period, "done", signed=True)
        cls._place(students[1], cls.period, "signed", signed=True)
        cls._place(students[2], cls.period, "host_found")
        cls._place(students[3], cls.period, "cancelled")
        cls._visit_and_rate(cls.p_done, 4)
        last_class = cls.env["bde.class"].create(
            {
                "name": "1 MCV last year test",
                "formation_id": cls.formation.id,
                "school_year": LAST_YEAR,
                "company_id": cls.lycee.id,
            }
        )
        last_period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP last year",
                "class_id": last_class.id,
                "date_start": "2024-11-04",
                "date_end": "2024-11-29",
            }
        )
        [last_student] = cls._adults(last_class, 1)
        last = cls._place(last_student, last_period, "done", signed=True)
        cls._visit_and_rate(last, 1)
        cls._make_other_lycee_placement(state="host_found", tutor_id=cls.tutor.id)

    @classmethod
    def _adults(cls, school_class, count):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Élève majeur {school_class.school_year} {index}",
                    "bde_is_student": True,
                    "bde_birthdate": "2004-01-10",
                    "bde_class_id": school_class.id,
                    "company_id": school_class.company_id.id,
                }
                for index in range(count)
            ]
        )

    @classmethod
    def _place(cls, student, period, state, signed=False):
        values = {
            "student_id": student.id,
            "period_id": period.id,
            "state": state,
            "partner_id": cls.company_partner.id,
            "tutor_id": cls.tutor.id,
        }
        if signed:
            values.update(dict.fromkeys(SIGNATURES, period.date_start))
        return cls.env["bde.pfmp.placement"].create(values)

    @classmethod
    def _visit_and_rate(cls, placement, score):
        cls.env["bde.pfmp.visit"].create(
            {
                "placement_id": placement.id,
                "date": placement.date_end,
                "date_done": placement.date_end,
            }
        )
        cls.env["bde.host.rating"].create(
            {"placement_id": placement.id, "rater_type": "teacher", "score": score}
        )

    def _wizard(self, school_year=YEAR):
        return (
            self.env["bde.yearly.report.wizard"]
            .with_user(self.user_officer)
            .create({"company_id": self.lycee.id, "school_year": school_year})
        )

    def test_pfmp_figures(self):
        section = self._wizard()._get_yearly_figures()["pfmp"]
        figures = dict(section["figures"])
        self.assertEqual(figures["Placements"], 3)
        self.assertEqual(figures["Placements fully signed"], 2)
        self.assertEqual(figures["Signature rate (%)"], 66.7)
        self.assertEqual(figures["Visits done"], 1)
        # Last year's rating of 1 does not weigh on this year's average.
        self.assertEqual(figures["Host ratings"], 1)
        self.assertEqual(figures["Average host rating (1 to 5)"], 4.0)
        [by_state] = section["tables"]
        self.assertEqual(
            by_state["rows"], [["Host found", 1], ["Signed", 1], ["Done", 1]]
        )
        self.assertEqual(by_state["total"], ["Total", figures["Placements"]])

    def test_last_year_pfmp_figures(self):
        figures = dict(self._wizard(LAST_YEAR)._get_yearly_figures()["pfmp"]["figures"])
        self.assertEqual(figures["Placements"], 1)
        self.assertEqual(figures["Average host rating (1 to 5)"], 1.0)

    def test_html_expectation_5(self):
        wizard = self._wizard()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            ._render_qweb_html(REPORT, wizard.ids)[0]
            .decode()
        )
        printed, headings = report_figures(html)
        self.assertIn(
            "5. A commitment to quality internships, work placements and "
            "apprenticeships",
            headings,
        )
        self.assertNotIn("Work placements are not followed in this database.", html)
        self.assertEqual(printed["pfmp"]["Placements"], "3")
        self.assertEqual(printed["pfmp"]["Placements fully signed"], "2")
        self.assertEqual(printed["pfmp"]["Signature rate (%)"], "66.70")
        self.assertEqual(printed["pfmp"]["Average host rating (1 to 5)"], "4.00")
        # No student is named.
        self.assertNotIn("Élève majeur", html)

    def test_xlsx_expectation_5(self):
        wizard = self._wizard()
        wizard.action_download_xlsx()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        [sheet] = [s for s in book.worksheets if s.title.startswith("5. ")]
        rows = [tuple(row[:2]) for row in sheet.iter_rows(values_only=True)]
        self.assertIn(("UAI", "0750655E"), rows)
        self.assertIn(("Placements", 3), rows)
        self.assertIn(("Total", 3), rows)
