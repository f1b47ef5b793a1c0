from datetime import date

from odoo.tests import tagged

from .yearly_report_case import LAST_YEAR, YearlyReportCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestYearlyReport(YearlyReportCase):
    """Each section's figures against the case counted by hand, every total
    the sum of its rows, and as many queries for 5 times the year."""

    def test_default_school_year(self):
        wizard = self.env["bde.yearly.report.wizard"]
        cases = {
            date(2026, 9, 10): "2025-2026",
            date(2026, 10, 31): "2025-2026",
            date(2026, 11, 1): "2026-2027",
            date(2027, 3, 1): "2026-2027",
        }
        for today, expected in cases.items():
            with self.subTest(today=today):
                self.assertEqual(wizard._default_school_year_on(today), expected)

    def test_organisation(self):
        figures, _section = self._figures("organisation")
        self.assertEqual(figures["BDE manager"], self.user_officer.name)
        self.assertEqual(figures["Status of the BDE manager"], "Pacte mission")
        self.assertEqual(figures["BDE manager's time (hours a week)"], 17.5)
        self.assertEqual(figures["Pacte missions 'school-company link'"], 3)
        self.assertEqual(figures["Pooled with"], "CFA académique test")
        self.assertEqual(figures["Where the BDE is"], "Bâtiment A test")
        self.assertEqual(figures["Head of school"], "Mme Proviseure Test")

    def test_entry_point(self):
        figures, section = self._figures("entry_point")
        expected = {
            "Active partners": 4,
            "New partners in the year": 2,
            "Prospects": 1,
            "Conventions signed in the year": 2,
            "of which renewals of a convention": 1,
            "Conventions ended in the year": 1,
            "Conventions in force": 2,
        }
        self.assertEqual({k: figures[k] for k in expected}, expected)
        by_type, by_sector = section["tables"]
        self.assertEqual(
            by_type["rows"],
            [
                ["Company", 2],
                ["Consular chamber (CCI, CMA, chamber of agriculture)", 1],
                ["OPCO", 1],
            ],
        )
        # A company of two sectors counts once, under the first by name.
        self.assertEqual(
            by_sector["rows"],
            [["Bâtiment test", 1], ["Commerce test", 1], ["No sector", 2]],
        )
        for table in (by_type, by_sector):
            self.assertTotals(table)
            self.assertEqual(table["total"][1], figures["Active partners"])

    def test_last_year_is_its_own(self):
        figures, _section = self._figures(
            "entry_point", self._wizard(school_year=LAST_YEAR)
        )
        # On 31 August 2025: Beta and Epsilon were active, Delta was former.
        self.assertEqual(figures["Active partners"], 2)
        self.assertEqual(figures["Conventions ended in the year"], 1)
        self.assertEqual(figures["Conventions in force"], 2)

    def test_teachers(self):
        figures, section = self._figures("teachers")
        self.assertEqual(figures["Skill needs recorded"], 2)
        self.assertEqual(figures["People wanted"], 5)
        self.assertEqual(figures["Professionals who spoke at events"], 2)
        [table] = section["tables"]
        self.assertEqual(
            table["rows"], [["Bac pro MCV test", 1, 3], ["No formation", 1, 2]]
        )
        self.assertTotals(table)
        self.assertEqual(table["total"][1:], [2, 5])

    def test_joint_actions(self):
        figures, section = self._figures("joint_actions")
        self.assertEqual(figures["Events held"], 2)
        self.assertEqual(figures["Attendance"], 5)
        self.assertEqual(figures["Partners taking part"], 3)
        [table] = section["tables"]
        self.assertEqual(
            table["rows"],
            [["Intervention in a class", 1, 2, 1], ["Job forum", 1, 3, 2]],
        )
        self.assertTotals(table)
        self.assertEqual(table["total"][1:], [2, 5, 3])
        self.assertEqual(len(section["lists"][0]["items"]), 2)

    def test_territory(self):
        figures, section = self._figures("territory")
        self.assertEqual(figures["Networks of the lycée"], 1)
        self.assertEqual(figures["Framework agreements the conventions rest on"], 1)
        networks, agreements = section["lists"]
        self.assertEqual(
            networks["items"],
            ["Bassin test Lyon (Bassin (employment and training area))"],
        )
        self.assertEqual(agreements["items"], ["Accord-cadre test national"])

    def test_label_checks(self):
        figures, section = self._figures("label")
        self.assertEqual(figures["Conventions in force"], 2)
        # The partners without a convention are read against the same
        # conventions in force as the lycée's figures count.
        conventions = self.env["bde.partnership.convention"].search(
            self._wizard()._get_convention_in_force_domain()
        )
        self.assertEqual(len(conventions), figures["Conventions in force"])
        self.assertEqual(figures["Active partners without a convention"], 2)
        self.assertEqual(figures["Foreign partners"], 1)
        self.assertEqual(figures["Conventions under a framework agreement"], 1)
        without, foreign = section["lists"]
        # Companies are named, never a person.
        self.assertEqual(without["items"], ["Beta Test", "Gamma Test"])
        self.assertEqual(foreign["items"], ["Gamma Test (Belgium)"])

    def test_tax(self):
        figures, section = self._figures("tax")
        self.assertEqual(section["title"], "Apprenticeship tax, campaign 2026")
        self.assertEqual(figures["Companies asked"], 2)
        self.assertEqual(figures["Companies that allocated"], 1)
        self.assertEqual(figures["Tax promised (€)"], 1500.0)
        self.assertEqual(figures["Tax received (€)"], 800.0)

    def _count_report_queries(self):
        wizard = self._wizard()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        wizard._get_yearly_figures()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_year(self):
        """5 times the partners, events and skill needs of the year: the
        report reads them in as many queries."""
        # The first run fills the caches (xmlids, translations).
        self._count_report_queries()
        once = self._count_report_queries()
        sector = self.env["bde.sector"].create({"name": "Hôtellerie test"})
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Company {n} test",
                    "is_company": True,
                    "bde_sector_ids": [(6, 0, sector.ids)],
                    "country_id": self.env.ref("base.it").id,
                }
                for n in range(16)
            ]
        )
        self.env["bde.partner.relation"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.lycee.id,
                    "status": "active",
                    "date_partner_since": date(2025, 10, 1),
                }
                for partner in partners
            ]
        )
        for n in range(8):
            event = self._event(
                "event_type_company_visit", date(2026, 1, n + 5), attended=1
            )
            self.env["bde.event.participation"].create(
                {
                    "event_id": event.id,
                    "partner_id": partners[n].id,
                    "state": "attended",
                }
            )
            self.env["bde.skill.need"].create(
                {
                    "partner_id": partners[n].id,
                    "company_id": self.lycee.id,
                    "job_title": "Serveur test",
                    "date": date(2026, 1, n + 5),
                    "formation_id": self.formation.id,
                }
            )
        self.assertEqual(self._figures("entry_point")[0]["Active partners"], 20)
        self.assertEqual(self._count_report_queries(), once)
