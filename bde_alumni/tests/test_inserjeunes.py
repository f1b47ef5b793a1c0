import base64
import json
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.bde_lycee.tests.replay_server import Answer, ReplayServer

from ..inserjeunes import InserJeunesClient, normalize_record
from .common import BdeAlumniCase

FIXTURES = Path(__file__).parent / "fixtures" / "inserjeunes"
RECORDS = (
    "/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-lycee_pro-formation-fine"
)
MCV = (
    "metiers du commerce et de la vente option a animation et gestion de l'espace "
    "commercial"
)


def records_answer(records):
    body = {"total_count": len(records), "results": records}
    return Answer(body=json.dumps(body).encode())


@tagged("post_install", "-at_install", "bde_alumni")
class TestInserJeunes(BdeAlumniCase):
    """InserJeunes' official figures: the open data's records of the test
    lycée (0750655E, fixture records_0750655E.json: 5 records, two
    millésimes), the CSV export of the other lycée (0690026D)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = json.loads((FIXTURES / "records_0750655E.json").read_text())[
            "results"
        ]
        cls.other_csv = (FIXTURES / "export_0690026D.csv").read_bytes()
        cls.Official = cls.env["bde.alumni.official.indicator"]
        cls.user_reader.company_ids = cls.lycee | cls.other_lycee
        # The database's other formations (demo ones) would match too: the
        # tests' lycées teach the test formation alone; archived, a
        # formation matches no more.
        cls.env["bde.formation"].search([("id", "!=", cls.formation.id)]).active = False

    def _import_service(self, answer=None, user=None, company=None):
        answer = answer or Answer("inserjeunes/records_0750655E.json", "bde_alumni")
        with ReplayServer({("GET", f"{RECORDS}/records"): answer}) as server:
            server.point(self.env, InserJeunesClient.url_parameter, RECORDS)
            wizard = self._wizard(user or self.user_officer, company, source="service")
            wizard.action_import()
        return wizard, server.requests

    def _import_file(self, content, user=None, company=None):
        wizard = self._wizard(
            user or self.user_officer,
            company,
            source="file",
            file=base64.b64encode(content),
            file_name="fr-en-inserjeunes-lycee_pro-formation-fine.csv",
        )
        wizard.action_import()
        return wizard

    def _wizard(self, user, company=None, **vals):
        company = company or user.company_id
        return (
            self.env["bde.alumni.official.import"]
            .with_user(user)
            .with_company(company)
            .create(dict(vals, company_id=company.id))
        )

    def _figure(self, millesime, code, months, company=None):
        return self.Official.search(
            [
                ("company_id", "=", (company or self.lycee).id),
                ("millesime", "=", millesime),
                ("formation_code", "=", code),
                ("months_after_exit", "=", months),
            ]
        )

    def test_import_from_the_service(self):
        wizard, requests = self._import_service()
        [request] = requests
        self.assertEqual(request.query["where"], ['uai="0750655E"'])
        self.assertEqual(request.query["limit"], ["100"])
        # 5 records: 6 months each, 12 months where published (MCV and BTS
        # MCO of 2022-2023).
        self.assertEqual(wizard.rows_imported, 7)
        self.assertEqual(wizard.millesimes, "2022-2023, 2023-2024")
        self.assertEqual(
            wizard.matched_formations, f"{MCV} (23830031213): Bac pro MCV test"
        )
        self.assertEqual(
            wizard.unmatched_formations.splitlines(),
            [
                "equipier polyvalent du commerce (23220031224)",
                "management commercial operationnel (32220031213)",
            ],
        )
        self.assertRecordValues(
            self._figure("2022-2023", "23830031213", 12),
            [
                {
                    "formation_id": self.formation.id,
                    "formation_label": MCV,
                    "diploma_type": "BAC PRO",
                    "exit_year_first": 2022,
                    "exit_year_last": 2023,
                    "rate_employed": 0.47,
                    "rate_studies": 0.41,
                    "share_employed": 0.23,
                    "share_other": 0.36,
                    "rate_favourable": 0.64,
                    "is_employed_published": True,
                    "source": "service",
                    "source_name": f"{request_base(self.env)}",
                }
            ],
        )
        self.assertAlmostEqual(
            self._figure("2023-2024", "23830031213", 6).rate_employed, 0.40
        )
        # A small cohort: the row is kept, its rates not published.
        small = self._figure("2022-2023", "23220031224", 6)
        self.assertRecordValues(
            small,
            [
                {
                    "formation_id": False,
                    "is_employed_published": False,
                    "is_studies_published": False,
                    "is_outcome_published": False,
                }
            ],
        )
        self.assertFalse(self._figure("2022-2023", "23220031224", 12))

    def test_pages_of_a_hundred_records(self):
        many = [
            dict(self.records[2], code_formation_mefstat11=f"3222{index:07d}")
            for index in range(150)
        ]

        def page(request):
            offset = int(request.query["offset"][0])
            body = {"total_count": 150, "results": many[offset : offset + 100]}
            return Answer(body=json.dumps(body).encode())

        wizard, requests = self._import_service(page)
        self.assertEqual(len(requests), 2)
        self.assertEqual([r.query["offset"] for r in requests], [["0"], ["100"]])
        self.assertEqual(wizard.rows_imported, 300)  # 6 and 12 months each

    def test_queries_do_not_grow_with_the_records(self):
        def queries(count):
            rows = [
                normalize_record(
                    dict(self.records[2], code_formation_mefstat11=f"3222{i:07d}")
                )
                for i in range(count)
            ]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Official._import_inserjeunes(self.lycee, rows, "file", "test.csv")
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        queries(5)  # the caches of the first import
        ten = queries(10)
        self.assertLess(0, ten)
        self.assertEqual(queries(50), ten)

    def test_import_from_the_csv_export(self):
        self.school_class.copy({"company_id": self.other_lycee.id})
        wizard = self._import_file(
            self.other_csv, self.user_other_lycee, self.other_lycee
        )
        self.assertEqual(wizard.rows_imported, 2)
        self.assertRecordValues(
            self._figure("2023-2024", "23830031213", 6, self.other_lycee),
            [
                {
                    "formation_id": self.formation.id,
                    "rate_employed": 0.45,
                    "rate_studies": 0.52,
                    "rate_favourable": 0.73,
                    "source": "file",
                    "source_name": "fr-en-inserjeunes-lycee_pro-formation-fine.csv",
                }
            ],
        )
        melec = self._figure("2023-2024", "23830025520", 6, self.other_lycee)
        self.assertFalse(melec.formation_id)
        self.assertEqual(
            melec.formation_label,
            "metiers de l'electricite et de ses environnements connectes",
        )

    def test_file_of_another_uai_is_refused(self):
        with self.assertRaisesRegex(UserError, "0690026D.*0750655E"):
            self._import_file(self.other_csv)
        self.assertFalse(self.Official.search([("company_id", "=", self.lycee.id)]))

    def test_lycee_without_uai(self):
        self.lycee.bde_uai = False
        with self.assertRaisesRegex(UserError, "Set the UAI of LP Test Jaurès"):
            self._import_service()

    def test_file_that_is_not_the_dataset(self):
        with self.assertRaisesRegex(UserError, "code_formation_mefstat11"):
            self._import_file(b"UAI;Annee\n0750655E;2024\n")

    def test_reimport_replaces_the_millesime(self):
        self._import_service()
        self._import_service()
        self.assertEqual(
            self.Official.search_count([("company_id", "=", self.lycee.id)]), 7
        )
        newer = dict(self.records[3], taux_emploi_6_mois=43, taux_emploi_12_mois=50)
        wizard, _requests = self._import_service(records_answer([newer]))
        self.assertEqual(wizard.rows_imported, 2)
        # 2023-2024: its two rows now; 2022-2023: its 5 rows untouched.
        self.assertEqual(
            self.Official.search_count(
                [("company_id", "=", self.lycee.id), ("millesime", "=", "2023-2024")]
            ),
            2,
        )
        self.assertAlmostEqual(
            self._figure("2023-2024", "23830031213", 6).rate_employed, 0.43
        )
        self.assertEqual(len(self._figure("2022-2023", "23830031213", 12)), 1)

    def test_service_down_writes_nothing(self):
        self._import_service()
        before = self.Official.search([("company_id", "=", self.lycee.id)])
        with self.assertRaisesRegex(UserError, r"InserJeunes.*HTTP 503"):
            self._import_service(Answer(body=b"maintenance", status=503))
        self.assertEqual(
            self.Official.search([("company_id", "=", self.lycee.id)]), before
        )

    def test_formation_matched_by_diploma_code_in_the_lycee(self):
        Formation = self.env["bde.formation"]
        own_mcv = Formation.create(
            {
                "name": "Bac pro MCV A (Jaurès)",
                "level": "bac_pro",
                "diploma_code": "40031213",
                "company_id": self.lycee.id,
            }
        )
        cap = Formation.create(
            {
                "name": "CAP EPC (Lumière)",
                "level": "cap",
                "diploma_code": "50031224",
                "company_id": self.other_lycee.id,
            }
        )
        # The same five characters, another level: not the same diploma.
        Formation.create({"name": "MC test", "level": "mc", "diploma_code": "01031224"})
        self._import_service()
        self.assertEqual(
            self._figure("2023-2024", "23830031213", 6).formation_id, own_mcv
        )
        self.assertFalse(self._figure("2023-2024", "23220031224", 6).formation_id)
        # The national nomenclature gives 23220031224's diploma code: the
        # formation of that code matches whatever level it was given.
        cap.write({"company_id": self.lycee.id, "level": "other"})
        self._import_service()
        self.assertEqual(self._figure("2023-2024", "23220031224", 6).formation_id, cap)

    def test_comparison_beside_the_lycees_own_rates(self):
        """2023-2024 cumulates the 2023 and 2024 exits of the formation. At
        6 months: 2023, 12 alumni: 3 studies, 6 salaried, 3 seeking; 2024,
        10 alumni: 2 studies, 4 salaried, 4 unknown. Cohort 22; studies
        5 / 22; leavers 17, salaried 10 / 17."""
        for year, outcomes in (
            (2023, ["studies"] * 3 + ["employed"] * 6 + ["seeking"] * 3),
            (2024, ["studies"] * 2 + ["employed"] * 4 + [None] * 4),
        ):
            for index, status in enumerate(outcomes):
                alumni = self._make_alumni(
                    f"Alumni {year} n°{index}", exit_date=f"{year}-07-04"
                )
                if status:
                    self._make_situation(
                        alumni,
                        date=f"{year + 1}-01-10",
                        status=status,
                        contract_type="permanent" if status == "employed" else False,
                    )
        self._import_service()
        self.env.flush_all()
        Comparison = self.env["bde.alumni.official.comparison"]
        latest = Comparison.search(
            [
                ("company_id", "=", self.lycee.id),
                ("formation_id", "=", self.formation.id),
                ("months_after_exit", "=", 6),
                ("is_latest", "=", True),
            ]
        )
        self.assertEqual(len(latest), 1)
        self.assertEqual(latest.millesime, "2023-2024")
        self.assertAlmostEqual(latest.official_rate_employed, 0.40)
        self.assertAlmostEqual(latest.official_rate_studies, 0.44)
        self.assertEqual(latest.own_cohort_size, 22)
        self.assertFalse(latest.is_small_cohort)
        self.assertAlmostEqual(latest.own_rate_studies, 5 / 22)
        self.assertAlmostEqual(latest.own_rate_employed, 10 / 17)
        self.assertAlmostEqual(latest.own_published_rate_employed, 10 / 17)
        # 2022-2023: the 2023 exits alone, 12 alumni: not published outside.
        older = Comparison.search(
            [
                ("company_id", "=", self.lycee.id),
                ("formation_id", "=", self.formation.id),
                ("millesime", "=", "2022-2023"),
                ("months_after_exit", "=", 6),
            ]
        )
        self.assertFalse(older.is_latest)
        self.assertEqual(older.own_cohort_size, 12)
        self.assertTrue(older.is_small_cohort)
        self.assertAlmostEqual(older.own_rate_employed, 6 / 9)
        self.assertFalse(older.own_published_rate_employed)

    def test_two_lycees(self):
        self._import_service()
        self._import_file(self.other_csv, self.user_other_lycee, self.other_lycee)
        self.env.flush_all()
        for model in (
            "bde.alumni.official.indicator",
            "bde.alumni.official.comparison",
        ):
            for user, lycees in (
                (self.user_teacher, self.lycee),
                (self.user_officer, self.lycee),
                (self.user_other_lycee, self.other_lycee),
                (self.user_reader, self.lycee | self.other_lycee),
            ):
                found = self.env[model].with_user(user).search([])
                self.assertEqual(found.company_id, lycees, f"{model} {user.login}")
        # The network reader reads the lycées' published rates, not their
        # own rates under 20 alumni.
        comparison = self.env["bde.alumni.official.comparison"].with_user(
            self.user_reader
        )
        comparison.search([]).read(["own_published_rate_employed", "own_cohort_size"])
        with self.assertRaises(AccessError):
            comparison.search([]).read(["own_rate_employed"])
        # ... nor sees their columns on the board's list.
        arch = comparison.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertNotIn('name="own_rate_employed"', arch)
        self.assertIn('name="own_published_rate_employed"', arch)

    def test_teacher_and_reader_cannot_import(self):
        for user in (self.user_teacher, self.user_reader):
            with self.assertRaises(AccessError, msg=user.login):
                self._wizard(user, self.lycee, source="service")
            with self.assertRaises(AccessError, msg=user.login):
                self.Official.with_user(user).create(
                    {
                        "company_id": self.lycee.id,
                        "formation_code": "23830031213",
                        "millesime": "2023-2024",
                        "months_after_exit": 6,
                        "source": "file",
                    }
                )
        # A BDE manager imports for their own lycées only.
        with self.assertRaises(AccessError):
            self._wizard(self.user_other_lycee, self.lycee, source="service")
        self._import_service()
        figures = self.Official.search([("company_id", "=", self.lycee.id)])
        with self.assertRaises(AccessError):
            figures.with_user(self.user_teacher).unlink()
        with self.assertRaises(AccessError):
            figures.with_user(self.user_other_lycee).unlink()


def request_base(env):
    return env["ir.config_parameter"].sudo().get_param(InserJeunesClient.url_parameter)
