from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import BdeAlumniCase


def plan_filters_alumni(cr, lycee, view="bde_alumni_indicator"):
    """Whether PostgreSQL filters the alumni on ``lycee`` where it reads them
    (a scan of res_partner), before counting, when the indicators of that
    lycée are searched in ``view``."""
    cr.execute(
        SQL(
            "EXPLAIN (FORMAT JSON) SELECT * FROM %s WHERE company_id = %s",
            SQL.identifier(view),
            lycee.id,
        )
    )
    nodes = [cr.fetchone()[0][0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        conditions = " ".join(
            str(node.get(key, "")) for key in ("Filter", "Index Cond", "Recheck Cond")
        )
        if node.get("Relation Name") == "res_partner" and "company_id = " in conditions:
            return True
    return False


class BdeAlumniIndicatorCase(BdeAlumniCase):
    """Two cohorts of the test formation whose right answers are known.

    2025 (25 alumni), at 6 months: further studies 5 (4 students, 1
    apprentice) = 20 % of the cohort; leavers 20: salaried 12 = 60 %,
    other 2 self-employed = 10 %, seeking 3 = 15 %, unknown 3 = 15 %.
    2024 (19 alumni), at 6 months: 10 salaried, 9 seeking: a small cohort."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cohort = cls._make_cohort(2025, 25)
        studies, salaried, self_employed, seeking, unknown = (
            cls.cohort[:5],
            cls.cohort[5:17],
            cls.cohort[17:19],
            cls.cohort[19:22],
            cls.cohort[22:],
        )
        for alumni in studies[:4]:
            cls._situation_at_6(alumni, status="studies", contract_type=False)
        cls._situation_at_6(studies[4], contract_type="apprenticeship")
        for alumni, contract in zip(
            salaried,
            ["permanent"] * 6 + ["fixed_term"] * 4 + ["temp"] * 2,
            strict=True,
        ):
            cls._situation_at_6(alumni, contract_type=contract)
        for alumni in self_employed:
            cls._situation_at_6(alumni, contract_type="self_employed")
        for alumni in seeking:
            cls._situation_at_6(alumni, status="seeking", contract_type=False)
        # The latest situation at the point counts: employed in January,
        # seeking again in February.
        cls._situation_at_6(seeking[0], date="2025-12-20", contract_type="temp")
        # ... and the other way round.
        cls._situation_at_6(
            salaried[0], date="2025-12-15", status="seeking", contract_type=False
        )
        # Unknown: no situation, an "unknown" one, and one known at 12 months only.
        cls._situation_at_6(unknown[1], status="unknown", contract_type=False)
        cls._make_situation(unknown[2], date="2026-07-10", months_after_exit=12)
        # Archived alumni still count in their cohort.
        salaried[1].active = False

        cls.small_cohort = cls._make_cohort(2024, 19)
        for alumni in cls.small_cohort[:10]:
            cls._make_situation(alumni, date="2025-01-12")
        for alumni in cls.small_cohort[10:]:
            cls._make_situation(
                alumni, date="2025-01-12", status="seeking", contract_type=False
            )

        cls.other_alumni = cls.env["res.partner"].create(
            {
                "name": "Alumni Lumière",
                "company_id": cls.other_lycee.id,
                "bde_is_alumni": True,
                "bde_exit_formation_id": cls.formation.id,
                "bde_exit_year": 2025,
                "bde_exit_date": "2025-07-04",
            }
        )
        cls.user_reader.company_ids = cls.lycee | cls.other_lycee

    @classmethod
    def _make_cohort(cls, year, size):
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"Alumni {year} n°{index}",
                    "company_id": cls.lycee.id,
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": cls.formation.id,
                    "bde_exit_year": year,
                    "bde_exit_date": f"{year}-07-04",
                }
                for index in range(size)
            ]
        )

    @classmethod
    def _situation_at_6(cls, alumni, **vals):
        return cls._make_situation(alumni, **{"date": "2026-01-10", **vals})

    def _indicator(self, year, months, company=None, user=None):
        self.env.flush_all()
        Indicator = self.env["bde.alumni.indicator"]
        if user:
            Indicator = Indicator.with_user(user)
        return Indicator.search(
            [
                ("company_id", "=", (company or self.lycee).id),
                ("exit_formation_id", "=", self.formation.id),
                ("exit_year", "=", year),
                ("months_after_exit", "=", months),
            ]
        )


@tagged("post_install", "-at_install", "bde_alumni")
class TestAlumniIndicator(BdeAlumniIndicatorCase):
    def test_cohort_counts_at_6_months(self):
        indicator = self._indicator(2025, 6)
        self.assertEqual(len(indicator), 1)
        self.assertRecordValues(
            indicator,
            [
                {
                    "cohort_size": 25,
                    "is_small_cohort": False,
                    "n_studies": 5,
                    "n_employed": 12,
                    "n_other": 2,
                    "n_seeking": 3,
                    "n_unknown": 3,
                    "leavers": 20,
                }
            ],
        )

    def test_cohort_rates_at_6_months(self):
        indicator = self._indicator(2025, 6)
        expected = {
            "studies": 0.2,
            "employed": 0.6,
            "other": 0.1,
            "seeking": 0.15,
            "unknown": 0.15,
        }
        for name, rate in expected.items():
            self.assertAlmostEqual(indicator[f"rate_{name}"], rate, msg=name)
            self.assertAlmostEqual(indicator[f"published_rate_{name}"], rate, msg=name)

    def test_each_point_counts_its_own_situations(self):
        at_12 = self._indicator(2025, 12)
        self.assertRecordValues(
            at_12,
            [{"cohort_size": 25, "n_employed": 1, "n_unknown": 24, "n_studies": 0}],
        )
        # 24 months after its exit, nobody of the 2024 cohort was asked again
        self.assertRecordValues(
            self._indicator(2024, 24), [{"cohort_size": 19, "n_unknown": 19}]
        )

    def test_a_point_appears_once_reached(self):
        future = self._make_cohort(2099, 3)
        self._make_situation(future[0], date="2099-07-10", months_after_exit=6)
        for months in (6, 12, 18, 24):
            self.assertFalse(self._indicator(2099, months))
        self.assertEqual(len(self._indicator(2024, 6)), 1)

    def test_latest_situation_at_the_point_counts(self):
        switched = self.cohort[5]
        self._situation_at_6(
            switched, date="2026-01-25", status="studies", contract_type=False
        )
        indicator = self._indicator(2025, 6)
        self.assertEqual((indicator.n_studies, indicator.n_employed), (6, 11))
        self.assertEqual(indicator.leavers, 19)

    def test_small_cohort_published_rates_hidden(self):
        indicator = self._indicator(2024, 6)
        self.assertTrue(indicator.is_small_cohort)
        self.assertEqual(indicator.cohort_size, 19)
        self.assertAlmostEqual(indicator.rate_employed, 10 / 19)
        self.assertAlmostEqual(indicator.rate_seeking, 9 / 19)
        self.env.cr.execute(
            """SELECT published_rate_studies, published_rate_employed,
                      published_rate_other, published_rate_seeking,
                      published_rate_unknown
                 FROM bde_alumni_indicator WHERE id = %s""",
            [indicator.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (None,) * 5)

    def test_network_reader_reads_published_figures_only(self):
        indicator = self._indicator(2025, 6, user=self.user_reader)
        values = indicator.read(["cohort_size", "published_rate_employed"])[0]
        self.assertEqual(values["cohort_size"], 25)
        self.assertAlmostEqual(values["published_rate_employed"], 0.6)
        for field in ("rate_employed", "n_employed", "n_seeking", "leavers"):
            with self.assertRaises(AccessError, msg=field):
                indicator.read([field])
        # Nor may a domain or a grouping reveal them.
        Indicator = self.env["bde.alumni.indicator"].with_user(self.user_reader)
        with self.assertRaises(AccessError):
            Indicator.search([("rate_employed", ">", 0.5)])
        with self.assertRaises(AccessError):
            Indicator._read_group([], ["exit_year"], ["n_employed:sum"])
        # ... of every lycée of the network.
        other = self._indicator(
            2025, 6, company=self.other_lycee, user=self.user_reader
        )
        self.assertEqual(other.cohort_size, 1)

    def test_lycee_reads_its_own_indicators_only(self):
        indicator = self._indicator(2024, 6, user=self.user_teacher)
        self.assertAlmostEqual(
            indicator.read(["rate_employed"])[0]["rate_employed"], 10 / 19
        )
        self.assertFalse(
            self._indicator(2025, 6, company=self.other_lycee, user=self.user_teacher)
        )

    def test_counts_add_up_across_cohorts(self):
        self.env.flush_all()
        [(cohort_size, employed)] = self.env["bde.alumni.indicator"]._read_group(
            [
                ("company_id", "=", self.lycee.id),
                ("exit_year", "in", [2024, 2025]),
                ("months_after_exit", "=", 6),
            ],
            aggregates=["cohort_size:sum", "n_employed:sum"],
        )
        self.assertEqual((cohort_size, employed), (44, 22))

    def test_ids_stable_and_unique_across_lycees(self):
        """A row keeps its id whatever finds it (one lycée, one exit year,
        the whole network), and no two rows share one."""
        self.env.flush_all()
        Indicator = self.env["bde.alumni.indicator"]
        fields = ["company_id", "exit_formation_id", "exit_year", "months_after_exit"]

        def keys(domain):
            return {
                row["id"]: tuple(row[name] for name in fields)
                for row in Indicator.search_read(domain, fields, load=None)
            }

        network = keys([])
        lycees = self.lycee | self.other_lycee
        self.assertEqual(
            {company for company, *_keys in network.values()} & set(lycees.ids),
            set(lycees.ids),
        )
        self.assertEqual(len(set(network.values())), len(network))
        self.env.cr.execute(
            "SELECT count(*) = count(DISTINCT id) FROM bde_alumni_indicator"
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        for lycee in lycees:
            found = keys([("company_id", "=", lycee.id)])
            self.assertTrue(found)
            self.assertEqual(found, {id_: network[id_] for id_ in found})
        self.assertEqual(
            keys([("exit_year", "=", 2025)]),
            {id_: key for id_, key in network.items() if key[2] == 2025},
        )
        # ... and the id alone finds its row again.
        other = self._indicator(2025, 6, company=self.other_lycee)
        self.assertEqual(Indicator.browse(other.id).company_id, self.other_lycee)
        self.assertEqual(keys([("id", "=", other.id)]), {other.id: network[other.id]})

    def test_lycee_filter_reaches_the_alumni(self):
        """The lycée's filter (a rule or a search) is applied to the alumni
        before they are counted, not to the counts of the whole network."""
        self.env.flush_all()
        self.assertTrue(plan_filters_alumni(self.env.cr, self.lycee))
