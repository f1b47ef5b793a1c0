import base64
import io
import re
from datetime import date, datetime

from lxml import html as lxml_html
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BdeLyceeCase

YEAR = "2025-2026"
LAST_YEAR = "2024-2025"
REPORT = "bde_lycee.action_report_bde_yearly"


def report_figures(html):
    """``{section: {label: text}}`` of the figures and facts the report
    prints, and the headings of its sections."""
    tree = lxml_html.fromstring(html)
    figures = {}
    for section in tree.xpath("//div[@data-section]"):
        rows = section.xpath(".//table[contains(@class, 'o_bde_figures')]//tr")
        figures[section.get("data-section")] = {
            row[0].text_content().strip(): row[1].text_content().strip() for row in rows
        }
    headings = [h.text_content().strip() for h in tree.xpath("//h4")]
    return figures, headings


class YearlyReportCase(BdeLyceeCase):
    """Two lycées, two school years: what lycée 1 did in 2025-2026 is
    counted; what it did in 2024-2025 and whatever lycée 2 did never are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.last_class = cls.env["bde.class"].create(
            {
                "name": "1 MCV test",
                "formation_id": cls.formation.id,
                "school_year": LAST_YEAR,
                "company_id": cls.lycee.id,
            }
        )
        cls.other_formation = cls.env["bde.formation"].create(
            {"name": "CAP other test", "level": "cap", "company_id": cls.other_lycee.id}
        )
        cls.other_class = cls.env["bde.class"].create(
            {
                "name": "T CAP test",
                "formation_id": cls.other_formation.id,
                "school_year": YEAR,
                "company_id": cls.other_lycee.id,
            }
        )

    @classmethod
    def _wizard(cls, user=None, lycee=None, school_year=YEAR):
        env = cls.env(user=user) if user else cls.env
        return env["bde.yearly.report.wizard"].create(
            {"company_id": (lycee or cls.lycee).id, "school_year": school_year}
        )


@tagged("post_install", "-at_install", "bde_lycee")
class TestYearlyReport(YearlyReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee.write(
            {
                "bde_manager_id": cls.user_officer.id,
                "bde_manager_time": 17.5,
                "bde_manager_status": "pacte",
                "bde_pacte_mission_count": 3,
                "bde_pooled_with": "CFA académique test",
                "bde_location": "Bâtiment A test",
                "bde_opening_hours": "Lundi 8h-12h test",
                "bde_head_of_school": "Mme Proviseure Test",
            }
        )
        cls.env["bde.network"].create(
            [
                {
                    "name": "Bassin test Lyon",
                    "network_type": "bassin",
                    "company_ids": [(6, 0, cls.lycee.ids)],
                },
                {
                    "name": "CMQ test other",
                    "network_type": "cmq",
                    "company_ids": [(6, 0, cls.other_lycee.ids)],
                },
            ]
        )
        cls._make_partners()
        cls._make_conventions()
        cls._make_skill_needs()
        cls._make_events()
        cls._make_tax()

    @classmethod
    def _make_partners(cls):
        Partner = cls.env["res.partner"]
        building = cls.env["bde.sector"].create({"name": "Bâtiment test"})

        def company(name, **values):
            return Partner.create({"name": name, "is_company": True, **values})

        cls.p_alpha = company(
            "Alpha Test", bde_sector_ids=[(6, 0, [cls.sector.id, building.id])]
        )
        cls.p_beta = company(
            "Beta Test",
            bde_partner_type="chamber",
            bde_sector_ids=[(6, 0, cls.sector.ids)],
        )
        cls.p_gamma = company(
            "Gamma Test",
            bde_partner_type="opco",
            country_id=cls.env.ref("base.be").id,
        )
        cls.p_delta = company("Delta Test")
        cls.p_epsilon = company("Epsilon Test")
        cls.p_zeta = company("Zeta Test")
        cls.p_eta = company("Eta Test", country_id=cls.env.ref("base.de").id)
        Relation = cls.env["bde.partner.relation"]
        for partner, lycee, status, since, status_date in (
            (cls.p_alpha, cls.lycee, "active", date(2025, 10, 1), date(2025, 10, 1)),
            (cls.p_beta, cls.lycee, "active", date(2024, 5, 1), date(2024, 5, 1)),
            (cls.p_gamma, cls.lycee, "active", date(2026, 3, 1), date(2026, 3, 1)),
            # Former since before the year ended: no longer active then.
            (cls.p_delta, cls.lycee, "former", date(2023, 1, 1), date(2025, 6, 1)),
            (cls.p_epsilon, cls.lycee, "active", date(2022, 9, 1), date(2022, 9, 1)),
            (cls.p_zeta, cls.lycee, "prospect", False, date(2025, 11, 1)),
            (
                cls.p_eta,
                cls.other_lycee,
                "active",
                date(2025, 10, 1),
                date(2025, 10, 1),
            ),
        ):
            Relation.create(
                {
                    "partner_id": partner.id,
                    "company_id": lycee.id,
                    "status": status,
                    "date_partner_since": since,
                    "date_status": status_date,
                }
            )

    @classmethod
    def _convention(cls, partner, start, end, signed, state, lycee=None, **values):
        return cls.env["bde.partnership.convention"].create(
            {
                "partner_id": partner.id,
                "company_id": (lycee or cls.lycee).id,
                "date_start": start,
                "date_end": end,
                "date_signed_lycee": signed,
                "date_signed_partner": signed,
                "state": state,
                **values,
            }
        )

    @classmethod
    def _make_conventions(cls):
        cls.agreement = cls.env["bde.framework.agreement"].create(
            {"name": "Accord-cadre test national", "scope": "national"}
        )
        # Signed and in force in the year, under a framework agreement.
        cls._convention(
            cls.p_alpha,
            date(2025, 9, 15),
            date(2028, 9, 14),
            date(2025, 9, 12),
            "active",
            framework_agreement_id=cls.agreement.id,
        )
        # Terminated last year: neither signed nor ended in the year.
        cls._convention(
            cls.p_alpha,
            date(2024, 1, 1),
            date(2026, 12, 31),
            date(2023, 12, 15),
            "terminated",
            date_terminated=date(2025, 6, 30),
        )
        # Ended in the year.
        cls._convention(
            cls.p_delta,
            date(2022, 9, 1),
            date(2026, 1, 31),
            date(2022, 8, 20),
            "expired",
        )
        # Renewed: the renewal signed in the year is in force.
        old = cls._convention(
            cls.p_epsilon,
            date(2022, 9, 1),
            date(2025, 8, 31),
            date(2022, 8, 20),
            "renewed",
        )
        cls._convention(
            cls.p_epsilon,
            date(2025, 9, 1),
            date(2028, 8, 31),
            date(2025, 9, 3),
            "active",
            renewed_from_id=old.id,
        )
        # Lycée 2's.
        cls._convention(
            cls.p_eta,
            date(2025, 10, 1),
            date(2028, 9, 30),
            date(2025, 9, 20),
            "active",
            lycee=cls.other_lycee,
            framework_agreement_id=cls.agreement.id,
        )

    @classmethod
    def _make_skill_needs(cls):
        def need(lycee, day, headcount, formation=None):
            return {
                "partner_id": cls.p_alpha.id,
                "company_id": lycee.id,
                "job_title": "Vendeur test",
                "date": day,
                "headcount": headcount,
                "formation_id": formation.id if formation else False,
            }

        cls.env["bde.skill.need"].create(
            [
                need(cls.lycee, date(2025, 12, 1), 3, cls.formation),
                need(cls.lycee, date(2026, 5, 1), 2),
                need(cls.lycee, date(2025, 6, 1), 5, cls.formation),
                need(cls.other_lycee, date(2025, 12, 1), 7),
            ]
        )

    @classmethod
    def _event(cls, xmlid, day, lycee=None, attended=0, others=0):
        event = cls.env["event.event"].create(
            {
                "name": f"Test event {xmlid} {day}",
                "event_type_id": cls.env.ref(f"bde_lycee.{xmlid}").id,
                "date_begin": datetime.combine(day, datetime.min.time()).replace(
                    hour=8
                ),
                "date_end": datetime.combine(day, datetime.min.time()).replace(hour=16),
                "company_id": (lycee or cls.lycee).id,
            }
        )
        cls.env["event.registration"].create(
            [
                {"event_id": event.id, "name": f"Visitor {n}", "state": state}
                for n, state in enumerate(["done"] * attended + ["open"] * others)
            ]
        )
        return event

    @classmethod
    def _make_events(cls):
        forum = cls._event(
            "event_type_job_forum", date(2025, 11, 20), attended=3, others=1
        )
        talk = cls._event(
            "event_type_class_intervention", date(2026, 3, 10), attended=2
        )
        last = cls._event("event_type_job_forum", date(2025, 5, 15), attended=4)
        other = cls._event(
            "event_type_job_forum",
            date(2025, 11, 20),
            lycee=cls.other_lycee,
            attended=6,
        )
        cls.env["bde.event.participation"].create(
            [
                {
                    "event_id": event.id,
                    "partner_id": partner.id,
                    "role": role,
                    "state": state,
                }
                for event, partner, role, state in (
                    (forum, cls.p_alpha, "stand", "attended"),
                    (forum, cls.p_beta, "speaker", "attended"),
                    (forum, cls.p_gamma, "stand", "confirmed"),
                    (talk, cls.p_epsilon, "speaker", "attended"),
                    (last, cls.p_alpha, "speaker", "attended"),
                    (other, cls.p_eta, "speaker", "attended"),
                )
            ]
        )

    @classmethod
    def _make_tax(cls):
        Campaign = cls.env["bde.tax.campaign"]
        for lycee, year, amounts in (
            (cls.lycee, 2026, [(1000, 800), (500, 0)]),
            (cls.lycee, 2025, [(300, 300)]),
            (cls.other_lycee, 2026, [(9999, 9999)]),
        ):
            campaign = Campaign.create({"company_id": lycee.id, "year": year})
            cls.env["bde.tax.pledge"].create(
                [
                    {
                        "campaign_id": campaign.id,
                        "partner_id": partner.id,
                        "amount_promised": promised,
                        "amount_received": received,
                    }
                    for partner, (promised, received) in zip(
                        (cls.p_alpha, cls.p_beta), amounts, strict=False
                    )
                ]
            )

    # ------------------------------------------------------------

    def _figures(self, section, wizard=None):
        section = (wizard or self._wizard())._get_yearly_figures()[section]
        return dict(section["facts"] + section["figures"]), section

    def assertTotals(self, table):
        """Every total of a table is the sum of its rows."""
        for index in range(1, len(table["columns"])):
            self.assertEqual(
                table["total"][index], sum(row[index] for row in table["rows"])
            )

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
        with self.assertRaises(AccessError):
            self._wizard(user=self.user_teacher)
        wizard = self._wizard(user=self.user_officer)
        with self.assertRaises(AccessError):
            self.env(user=self.user_teacher)["ir.actions.report"]._render_qweb_html(
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
