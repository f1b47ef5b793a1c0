import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import BdePfmpCase

REPORT = "bde_pfmp.report_bde_allowance_statement"
YEAR = "2030-2031"


class AllowanceStatementCase(BdePfmpCase):
    """Léa's two placements of a made-up school year: 18 then 20 days at
    20 € a day within a yearly cap of 500 €."""

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
        cls.first = cls._make_placement(days_done=18)
        cls.second = cls._make_placement(
            period_id=False,
            date_start="2031-03-03",
            date_end="2031-03-28",
            days_done=20,
        )


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceStatement(AllowanceStatementCase):
    def _render(self, partners, user=None):
        report = self.env["ir.actions.report"].with_user(user or self.env.user)
        return report._render_qweb_html(REPORT, partners.ids)[0].decode()

    def test_sections_cumulate_against_the_cap(self):
        values = self.env[f"report.{REPORT}"]._get_report_values(self.student.ids)
        (section,) = values["sections"][self.student.id]
        self.assertEqual(
            (section["school_year"], section["mef"], section["yearly_cap"]),
            (YEAR, "2473121333", 500),
        )
        self.assertEqual(
            section["lines"], [(self.first, 360, 140), (self.second, 500, 0)]
        )
        self.assertEqual(section["total"], 500)

    def test_statement_content(self):
        html = self._render(self.student)
        for text in (
            "Statement of PFMP allowances",
            "LP Test Jaurès",
            "0750655E",
            "Léa Martin",
            "1234567890A",
            "<span>2030-2031</span>",
            "2473121333",
            "Boulangerie Test",
            "360.00",
            "140.00",
            "500.00",
        ):
            self.assertIn(text, html)

    def test_cancelled_placement_is_left_out(self):
        self.second._action_stop("cancel", "No host.")
        (section,) = self.env[f"report.{REPORT}"]._get_report_values(self.student.ids)[
            "sections"
        ][self.student.id]
        self.assertEqual(section["lines"], [(self.first, 360, 140)])

    def test_student_without_placement(self):
        self.assertIn("No PFMP placement.", self._render(self.student_adult))

    def test_students_only(self):
        with self.assertRaisesRegex(UserError, "students only"):
            self._render(self.company_partner)

    def test_access(self):
        self.assertIn("Léa Martin", self._render(self.student, self.user_teacher))
        with self.assertRaises(AccessError):
            self._render(self.student, self.user_other_lycee)


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceStatementPdf(HttpCase, AllowanceStatementCase):
    def test_pdf_rendering(self):
        # wkhtmltopdf here (unpatched Qt) draws no extractable text: the content
        # is checked on the HTML rendering above.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.student.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
