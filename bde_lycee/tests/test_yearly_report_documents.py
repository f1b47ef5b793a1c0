import base64
import io
import re

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .yearly_report_case import REPORT, YEAR, YearlyReportCase, report_figures


@tagged("post_install", "-at_install", "bde_lycee")
class TestYearlyReportDocuments(YearlyReportCase):
    """The PDF, its HTML section by section and the XLSX read back; who
    prints them."""

    # ------------------------------------------------------------
    # The documents
    # ------------------------------------------------------------

    def test_html_section_by_section(self):
        wizard = self._wizard(user=self.user_officer)
        html = (
            self.env(user=self.user_officer)["ir.actions.report"]
            ._render_qweb_html(REPORT, wizard.ids)[0]
            .decode()
        )
        self.assertIn("Yearly report of the Bureau des entreprises", html)
        self.assertIn("0750655E", html)
        self.assertIn(YEAR, html)
        printed, headings = report_figures(html)
        # The annex's 8 expectations, in order.
        numbers = [int(m[1]) for h in headings if (m := re.match(r"(\d)\. ", h))]
        self.assertEqual(numbers, list(range(1, 9)))
        for key, section in wizard._get_yearly_figures().items():
            self.assertIn(section["title"], headings)
            if key not in printed:
                continue
            for label, value in section["figures"]:
                self.assertEqual(printed[key][label], wizard._format_figure(value))
        self.assertEqual(printed["entry_point"]["Active partners"], "4")
        self.assertEqual(printed["tax"]["Tax promised (€)"], "1,500.00")
        self.assertEqual(
            printed["organisation"]["Head of school"], "Mme Proviseure Test"
        )
        for name in ("Beta Test", "Gamma Test (Belgium)", "Bassin test Lyon"):
            self.assertIn(name, html)
        # No student, and lycée 2's records stay out.
        self.assertNotIn(self.student.name, html)
        self.assertNotIn("Eta Test", html)

    def test_pdf(self):
        wizard = self._wizard(user=self.user_officer)
        pdf, kind = (
            self.env(user=self.user_officer)["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_xlsx_read_back(self):
        wizard = self._wizard(user=self.user_officer)
        action = wizard.action_download_xlsx()
        self.assertIn(f"id={wizard.id}", action["url"])
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        sections = wizard._get_sections()
        self.assertEqual(len(book.worksheets), len(sections))
        for sheet, section in zip(book.worksheets, sections, strict=True):
            rows = [
                [cell for cell in row if cell is not None]
                for row in sheet.iter_rows(values_only=True)
            ]
            self.assertEqual(rows[1], ["UAI", "0750655E"])
            self.assertEqual(rows[2], ["School year", YEAR])
            self.assertIn([section["title"]], rows)
            for label, value in section["figures"]:
                self.assertIn([label, value], rows)
            for table in section["tables"]:
                self.assertIn(table["columns"], rows)
                if table["total"]:
                    self.assertIn(table["total"], rows)
        entry_point = book.worksheets[2]
        self.assertIn(
            ("Active partners", 4),
            [tuple(r[:2]) for r in entry_point.iter_rows(values_only=True)],
        )

    # ------------------------------------------------------------
    # Who prints it
    # ------------------------------------------------------------

    def test_teacher_cannot_print(self):
        # Nor the academic correspondent, who reads the lycées' figures only.
        wizard = self._wizard(user=self.user_officer)
        for user in (self.user_teacher, self.user_reader):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._wizard(user=user)
                with self.assertRaises(AccessError):
                    self.env(user=user)["ir.actions.report"]._render_qweb_html(
                        REPORT, wizard.ids
                    )

    def test_officer_of_lycee_1_cannot_print_lycee_2(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.user_officer, lycee=self.other_lycee)
        # Nor print the report of another's wizard on lycée 2.
        theirs = self._wizard(user=self.user_other_lycee, lycee=self.other_lycee)
        with self.assertRaises(AccessError):
            self.env(user=self.user_officer)["ir.actions.report"]._render_qweb_html(
                REPORT, theirs.ids
            )
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_officer).action_download_xlsx()

    def test_xlsx_is_its_creator_alone(self):
        """A colleague of the same lycée neither reads the wizard nor
        downloads its file (/web/content reads through ir.binary)."""
        colleague = self._make_user(
            "bde_officer_colleague", "bde_lycee.group_bde_officer"
        )
        wizard = self._wizard(user=self.user_officer)
        wizard.action_download_xlsx()
        self.assertFalse(wizard.with_user(colleague).search([("id", "=", wizard.id)]))
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).read(["file"])
        with self.assertRaises(AccessError):
            self.env["ir.binary"].with_user(colleague)._find_record(
                res_model=wizard._name, res_id=wizard.id, field="file"
            )

    def test_head_of_school_prints_from_the_lycee_form(self):
        action = self.env.ref("bde_lycee.bde_yearly_report_wizard_action")
        self.assertIn(self.env.ref("bde_lycee.group_bde_officer"), action.groups_id)
        wizard = self._wizard(user=self.user_manager)
        self.assertEqual(
            wizard.action_print_pdf()["report_name"], "bde_lycee.report_bde_yearly"
        )
