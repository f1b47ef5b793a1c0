import base64
import io

from openpyxl import load_workbook

from odoo.tests import tagged

from odoo.addons.bde_lycee.tests.yearly_report_case import (
    REPORT,
    YEAR,
    report_figures,
)

from .common import BdeAlumniCase

EXIT_DATE = "2025-07-04"
SIX_MONTHS = "2026-01-10"


@tagged("post_install", "-at_install", "bde_alumni")
class TestYearlyReportAlumni(BdeAlumniCase):
    """Expectations 7 and 8 of the 2025-2026 report against a case counted by
    hand: the cohort that left lycée 1 in July 2025 (20 alumni, followed at 6
    and 12 months within 2025-2026), the 2026 cohort (the test alumni) and
    five alumni of 2024; lycée 2's cohort of 2025 and last year's ceremony
    and survey never count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cohort = cls._cohort(cls.lycee, 2025, 20)
        cls._cohort(cls.lycee, 2024, 5)
        cls._cohort(cls.other_lycee, 2025, 20)
        # At 6 months: 5 in further studies, 12 employed, 3 unknown.
        for index, alumni in enumerate(cls.cohort[:17]):
            cls._make_situation(
                alumni,
                date=SIX_MONTHS,
                status="studies" if index < 5 else "employed",
                contract_type=False if index < 5 else "permanent",
                # The first employed one works for a host of placements.
                employer_id=cls.company_partner.id if index == 5 else False,
            )
        for alumni in cls.cohort[:3]:
            alumni._bde_alumni_give_consent(
                network=True, contact=True, source="graduation"
            )
        cls._make_tutor(cls.cohort[19])
        cls._ceremony(cls.lycee, "2026-07-03", 4)
        cls._ceremony(cls.lycee, "2025-07-03", 9)
        cls._ceremony(cls.other_lycee, "2026-07-03", 6)
        cls._campaign(cls.lycee, 2025, sent=4, answered=3)
        cls._campaign(cls.lycee, 2024, sent=2, answered=2)
        cls._campaign(cls.other_lycee, 2025, sent=1, answered=1)

    @classmethod
    def _cohort(cls, lycee, year, size):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Ancien {lycee.bde_uai} {year} {index}",
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": cls.formation.id,
                    "bde_exit_year": year,
                    "bde_exit_date": f"{year}-07-04",
                    "company_id": lycee.id,
                }
                for index in range(size)
            ]
        )

    @classmethod
    def _make_tutor(cls, alumni):
        """The alumni tutors a placement, as a contact of the host with the
        same e-mail."""
        alumni.email = "ancien.tuteur@example.com"
        tutor = cls.env["res.partner"].create(
            {
                "name": "Contact tuteur",
                "parent_id": cls.company_partner.id,
                "email": "ancien.tuteur@example.com",
                "bde_is_tutor": True,
            }
        )
        student = cls.env["res.partner"].create(
            {
                "name": "Élève placé",
                "bde_is_student": True,
                "bde_birthdate": "2004-01-10",
                "bde_class_id": cls.school_class.id,
                "company_id": cls.lycee.id,
            }
        )
        period = cls.env["bde.pfmp.period"].create(
            {
                "name": "PFMP test",
                "class_id": cls.school_class.id,
                "date_start": "2025-11-03",
                "date_end": "2025-11-28",
            }
        )
        cls.env["bde.pfmp.placement"].create(
            {
                "student_id": student.id,
                "period_id": period.id,
                "partner_id": cls.company_partner.id,
                "tutor_id": tutor.id,
                "state": "host_found",
            }
        )

    @classmethod
    def _ceremony(cls, lycee, day, attended):
        event = cls.env["event.event"].create(
            {
                "name": f"Remise des diplômes {day}",
                "event_type_id": cls.env.ref(
                    "bde_lycee.event_type_diploma_ceremony"
                ).id,
                "date_begin": f"{day} 16:00:00",
                "date_end": f"{day} 19:00:00",
                "company_id": lycee.id,
            }
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Invité {n}", "state": "done"}
                for n in range(attended)
            ]
        )

    @classmethod
    def _campaign(cls, lycee, exit_year, sent, answered):
        campaign = cls.env["bde.alumni.survey.campaign"].create(
            {"company_id": lycee.id, "exit_year": exit_year, "months_after_exit": 6}
        )
        cls.env["survey.user_input"].create(
            [
                {
                    "survey_id": campaign.survey_id.id,
                    "bde_alumni_campaign_id": campaign.id,
                    "state": "done" if n < answered else "new",
                }
                for n in range(sent)
            ]
        )

    def _wizard(self):
        return (
            self.env["bde.yearly.report.wizard"]
            .with_user(self.user_officer)
            .create({"company_id": self.lycee.id, "school_year": YEAR})
        )

    def test_belonging(self):
        figures = dict(self._wizard()._get_yearly_figures()["belonging"]["figures"])
        self.assertEqual(
            figures,
            {
                # 20 of 2025, 5 of 2024 and the test alumni of 2026
                "Alumni of the lycée": 26,
                # three of the cohort and the test alumni
                "Alumni in the alumni network": 4,
                "Alumni who tutor PFMP students": 1,
                "Alumni working in a partner company": 1,
                "Diploma ceremonies held": 1,
                "Attendance at the ceremonies": 4,
            },
        )

    def test_insertion(self):
        section = self._wizard()._get_yearly_figures()["insertion"]
        figures = dict(section["figures"])
        self.assertEqual(figures["Alumni of last year"], 20)
        self.assertEqual(figures["Follow-up surveys sent"], 4)
        self.assertEqual(figures["Answers"], 3)
        self.assertEqual(figures["Response rate (%)"], 75.0)
        # 5 in studies of 20; 12 employed of the 15 leavers.
        self.assertEqual(figures["Further studies at 6 months (%)"], 25.0)
        self.assertEqual(figures["Employment at 6 months (%)"], 80.0)
        [table] = section["tables"]
        self.assertIsNone(table["total"])
        self.assertIn(["Bac pro MCV test", 6, 20, 25.0, 80.0], table["rows"])

    def test_small_cohort_not_published(self):
        self.cohort[:2].bde_exit_year = 2023
        section = self._wizard()._get_yearly_figures()["insertion"]
        figures = dict(section["figures"])
        self.assertEqual(figures["Alumni of last year"], 18)
        self.assertNotIn("Employment at 6 months (%)", figures)
        self.assertEqual(
            dict(section["facts"])["Rates at 6 months"],
            "Not published: fewer than 20 alumni counted.",
        )
        self.assertEqual(section["tables"][0]["rows"], [])

    def test_html_expectations_7_and_8(self):
        wizard = self._wizard()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            ._render_qweb_html(REPORT, wizard.ids)[0]
            .decode()
        )
        printed, headings = report_figures(html)
        self.assertIn(wizard._get_yearly_figures()["belonging"]["title"], headings)
        self.assertIn(wizard._get_yearly_figures()["insertion"]["title"], headings)
        self.assertNotIn("Alumni are not followed in this database.", html)
        self.assertEqual(printed["belonging"]["Alumni of the lycée"], "26")
        self.assertEqual(printed["insertion"]["Employment at 6 months (%)"], "80.00")
        self.assertEqual(printed["insertion"]["Response rate (%)"], "75.00")
        # No alumni is named.
        self.assertNotIn("Ancien", html)
        self.assertNotIn(self.alumni.name, html)

    def test_xlsx_expectations_7_and_8(self):
        wizard = self._wizard()
        wizard.action_download_xlsx()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        sheets = {sheet.title[:2]: sheet for sheet in book.worksheets}
        belonging = [tuple(r[:2]) for r in sheets["7."].iter_rows(values_only=True)]
        insertion = [tuple(r[:2]) for r in sheets["8."].iter_rows(values_only=True)]
        for rows in (belonging, insertion):
            self.assertIn(("UAI", "0750655E"), rows)
        self.assertIn(("Alumni of the lycée", 26), belonging)
        self.assertIn(("Alumni of last year", 20), insertion)
