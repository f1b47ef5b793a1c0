import base64
import io

import openpyxl

from odoo.tests import tagged

from odoo.addons.bde_lycee.school_year import lycee_today, school_year_of

from .common import BdeAlumniCase


@tagged("post_install", "-at_install", "bde_alumni")
class TestLyceeReportAlumni(BdeAlumniCase):
    """The insertion figures of bde.lycee.report against cohorts counted by
    hand. A school year's row shows the cohort that left the school year
    before (the exit year E counts in the row E-(E+1)), all formations
    together; the view counts from the database's today, so cohorts are
    dated from today's school year (E its first year).

    Lycée 1, cohort of E-1 in last year's row (20 alumni in two formations,
    both points reached): at 6 months 3 in studies and 1 apprentice (4/20 = 20 %), 10
    salaried, 2 self-employed, 2 seeking, 2 unknown: employment 10 over 16
    leavers = 62.5 %; at 12 months 5 in studies (25 %), 12 salaried over 15
    leavers = 80 %. Lycée 1, cohort of E in this year's row: 3 alumni, rates
    not published. Lycée 2, cohort of E-1: 19 alumni all salaried, rates not
    published."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The base case's alumni left in 2026: out of the counted cohorts.
        cls.alumni.bde_exit_formation_id = False
        cls.first_year = int(school_year_of(lycee_today())[:4])
        cls.year = f"{cls.first_year}-{cls.first_year + 1}"
        cls.last_year = f"{cls.first_year - 1}-{cls.first_year}"
        cls.school_class.school_year = cls.last_year
        cls.school_class.copy({"company_id": cls.other_lycee.id})
        cls.other_formation = cls.formation.copy({"name": "CAP EPC test"})
        cls.cohort = cls._cohort(cls.lycee, cls.first_year - 1, 20)
        cls.cohort[12:].bde_exit_formation_id = cls.other_formation
        cls._make_last_year_situations(cls.cohort)
        # Archived, the alumni still counts in the cohort.
        cls.cohort[-1].active = False
        cls.this_cohort = cls._cohort(cls.lycee, cls.first_year, 3)
        cls.small_cohort = cls._cohort(cls.other_lycee, cls.first_year - 1, 19)
        for alumni in cls.small_cohort:
            cls._at(alumni, 6, "employed", "permanent")
            cls._at(alumni, 12, "employed", "permanent")
        cls.user_reader.company_ids = cls.lycee | cls.other_lycee

    @classmethod
    def _cohort(cls, lycee, year, size):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Alumni {lycee.name} {year} n°{index}",
                    "company_id": lycee.id,
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": cls.formation.id,
                    "bde_exit_year": year,
                    "bde_exit_date": f"{year}-07-04",
                }
                for index in range(size)
            ]
        )

    @classmethod
    def _at(cls, alumni, months, status, contract_type=False):
        return cls.env["bde.alumni.situation"].create(
            {
                "partner_id": alumni.id,
                # January or July of the year after the exit (in July)
                "date": f"{alumni.bde_exit_year + 1}-{months // 6 * 6 - 5:02d}-10",
                "months_after_exit": months,
                "status": status,
                "contract_type": contract_type,
                "source": "phone",
            }
        )

    @classmethod
    def _make_last_year_situations(cls, cohort):
        at_6 = (
            [("studies", False)] * 3
            + [("employed", "apprenticeship")]
            + [("employed", "permanent")] * 6
            + [("employed", "fixed_term")] * 4
            + [("employed", "self_employed")] * 2
            + [("seeking", False)] * 2
            + [("unknown", False)]
        )
        # The twentieth has no situation at 6 months: unknown too.
        for alumni, (status, contract) in zip(cohort, at_6, strict=False):
            cls._at(alumni, 6, status, contract)
        at_12 = [("studies", False)] * 5 + [("employed", "permanent")] * 12
        for alumni, (status, contract) in zip(cohort, at_12, strict=False):
            cls._at(alumni, 12, status, contract)

    def _row(self, lycee, school_year, user=None):
        self.env.flush_all()
        Report = self.env["bde.lycee.report"]
        if user:
            Report = Report.with_user(user)
        row = Report.search(
            [("company_id", "=", lycee.id), ("school_year", "=", school_year)]
        )
        row.ensure_one()
        return row

    def _sql_rates(self, row):
        """The rates as the view gives them: empty (NULL), not 0, when not
        published."""
        self.env.cr.execute(
            "SELECT alumni_rate_studies_6, alumni_rate_employed_6,"
            " alumni_rate_studies_12, alumni_rate_employed_12"
            " FROM bde_lycee_report WHERE id = %s",
            [row.id],
        )
        return list(self.env.cr.fetchone())

    def test_rates_of_the_cohort_before(self):
        row = self._row(self.lycee, self.last_year)
        self.assertEqual(row.alumni_cohort_size, 20)
        self.assertTrue(row.alumni_published_6 and row.alumni_published_12)
        self.assertAlmostEqual(row.alumni_rate_studies_6, 20.0)
        self.assertAlmostEqual(row.alumni_rate_employed_6, 62.5)
        self.assertAlmostEqual(row.alumni_rate_studies_12, 25.0)
        self.assertAlmostEqual(row.alumni_rate_employed_12, 80.0)

    def test_rates_agree_with_the_indicators(self):
        # The formations' indicators, summed, give the lycée's rates.
        Indicator = self.env["bde.alumni.indicator"]
        self.env.flush_all()
        [[cohort, studies, employed, leavers]] = Indicator._read_group(
            [
                ("company_id", "=", self.lycee.id),
                ("exit_year", "=", self.first_year - 1),
                ("months_after_exit", "=", 6),
            ],
            aggregates=[
                "cohort_size:sum",
                "n_studies:sum",
                "n_employed:sum",
                "leavers:sum",
            ],
        )
        row = self._row(self.lycee, self.last_year)
        self.assertEqual(cohort, row.alumni_cohort_size)
        self.assertAlmostEqual(row.alumni_rate_studies_6, 100.0 * studies / cohort)
        self.assertAlmostEqual(row.alumni_rate_employed_6, 100.0 * employed / leavers)

    def test_cohort_of_19_is_not_published(self):
        row = self._row(self.other_lycee, self.last_year)
        self.assertEqual(row.alumni_cohort_size, 19)
        self.assertFalse(row.alumni_published_6 or row.alumni_published_12)
        self.assertEqual(self._sql_rates(row), [None] * 4)
        # The twentieth makes it published: 19 salaried of 20 leavers.
        twentieth = self._cohort(self.other_lycee, self.first_year - 1, 1)
        self._at(twentieth, 6, "seeking")
        row.invalidate_recordset()
        self.assertEqual(row.alumni_cohort_size, 20)
        self.assertTrue(row.alumni_published_6)
        self.assertAlmostEqual(row.alumni_rate_employed_6, 95.0)

    def test_each_year_shows_the_cohort_before_it(self):
        # This year's row: the 3 who left last summer, not the 20 before.
        row = self._row(self.lycee, self.year)
        self.assertEqual(row.alumni_cohort_size, 3)
        self.assertEqual(self._sql_rates(row), [None] * 4)

    def test_network_rates_from_its_summed_cohorts(self):
        network = self.env["bde.network"].create(
            {
                "name": "Bassin test",
                "network_type": "bassin",
                "company_ids": [(6, 0, (self.lycee | self.other_lycee).ids)],
            }
        )
        self.env.flush_all()
        row = self.env["bde.network.report"].search(
            [("network_id", "=", network.id), ("school_year", "=", self.last_year)]
        )
        # 20 + 19 alumni; at 6 months 4 in studies of 39 (10.3 %), 10 + 19
        # salaried of 16 + 19 leavers (82.9 %): the 19, unpublished in their
        # lycée, count in the network's rates.
        self.assertEqual(row.alumni_cohort_size, 39)
        self.assertTrue(row.alumni_published_6)
        self.assertAlmostEqual(row.alumni_rate_studies_6, 10.3)
        self.assertAlmostEqual(row.alumni_rate_employed_6, 82.9)

    def _export(self):
        export = (
            self.env["bde.network.export"]
            .with_user(self.user_reader)
            .create({"school_year": self.last_year})
        )
        export.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        sheets = {}
        for sheet in book.worksheets:
            headers, *lines = sheet.values
            sheets[sheet.title] = {
                line[0]: dict(zip(headers, line, strict=True)) for line in lines
            }
        return sheets

    def test_xlsx_of_the_network(self):
        sheets = self._export()
        lycees = sheets["Lycées"]
        mine = lycees[self.lycee.bde_uai]
        self.assertEqual(mine["Alumni of last year"], 20)
        self.assertEqual(mine["Employment at 12 months (%)"], 80)
        # Not published: empty, not 0 %.
        small = lycees[self.other_lycee.bde_uai]
        self.assertEqual(small["Alumni of last year"], 19)
        self.assertIsNone(small["Employment at 12 months (%)"])
        # Per formation: 12 alumni of the class's formation, too few.
        formation = sheets["Formations"][self.lycee.bde_uai]
        self.assertEqual(formation["Alumni of last year"], 12)
        self.assertIsNone(formation["Employment at 6 months (%)"])

    def test_xlsx_publishes_a_formation_of_20(self):
        self.cohort.bde_exit_formation_id = self.formation
        self.env.flush_all()
        formation = self._export()["Formations"][self.lycee.bde_uai]
        self.assertEqual(formation["Alumni of last year"], 20)
        self.assertEqual(formation["Employment at 6 months (%)"], 62.5)
        self.assertEqual(formation["Employment at 12 months (%)"], 80)

    def test_total_cohort_is_the_sum_of_the_rows(self):
        Report = self.env["bde.lycee.report"]
        self.env.flush_all()
        domain = [("company_id", "in", (self.lycee | self.other_lycee).ids)]
        [total] = Report.read_group(domain, ["alumni_cohort_size"], [])
        self.assertEqual(total["alumni_cohort_size"], 42)
        self.assertEqual(
            total["alumni_cohort_size"],
            sum(Report.search(domain).mapped("alumni_cohort_size")),
        )

    def test_who_reads_the_rows(self):
        rows = self.env["bde.lycee.report"].with_user(self.user_teacher)
        rows = rows.search([("company_id", "in", (self.lycee | self.other_lycee).ids)])
        self.assertEqual(rows.company_id, self.lycee)
        reader_row = self._row(self.lycee, self.last_year, user=self.user_reader)
        self.assertAlmostEqual(reader_row.alumni_rate_employed_12, 80.0)
        small = self._row(self.other_lycee, self.last_year, user=self.user_reader)
        self.assertEqual(small.alumni_cohort_size, 19)
        self.assertFalse(small.alumni_rate_employed_12)
