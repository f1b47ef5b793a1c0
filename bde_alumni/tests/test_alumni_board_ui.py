from odoo.tests import HttpCase, tagged

from .test_insertion_report import InsertionReportCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniBoardUi(HttpCase, InsertionReportCase):
    def test_dashboard_tour(self):
        self.env["bde.alumni.survey.campaign"].create(
            {"company_id": self.lycee.id, "exit_year": 2025}
        )
        self.start_tour(
            "/odoo/bde-alumni-dashboard",
            "bde_alumni_dashboard_tour",
            login=self.user_officer.login,
        )

    def test_dashboard_reader_tour(self):
        self.start_tour(
            "/odoo/bde-alumni-dashboard",
            "bde_alumni_dashboard_reader_tour",
            login=self.user_reader.login,
        )
