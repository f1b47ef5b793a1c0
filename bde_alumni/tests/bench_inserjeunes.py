"""Benchmark of InserJeunes' official figures (not a test: it prints figures
and asserts only that the ORM and SQL rows agree).

A network of lycées (3 by default, ``BDE_BENCH_INSERJEUNES_LYCEES``) teaching
the same formations (20 by default, ``BDE_BENCH_INSERJEUNES_FORMATIONS``),
each with 25 alumni a formation and exit year (2023, 2024) and a situation at
6 months, built in the test transaction and rolled back. The first lycée's
BDE manager imports its figures from a local server replaying the open data
(two millésimes, 6 and 12 months), beside the answer fetched alone and the
same rows written by one raw INSERT; then a teacher opens the comparison
(latest millésime) as the web client reads it, beside the view's query.
"""

import json
import os
import statistics
import time
from datetime import date

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.bde_lycee.tests.replay_server import Answer, ReplayServer

from ..inserjeunes import InserJeunesClient, normalize_record

LYCEES = int(os.environ.get("BDE_BENCH_INSERJEUNES_LYCEES", "3"))
FORMATIONS = int(os.environ.get("BDE_BENCH_INSERJEUNES_FORMATIONS", "20"))
ALUMNI = 25
UAI = "0750655E"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
LIST_FIELDS = [
    "company_id",
    "millesime",
    "formation_id",
    "formation_label",
    "months_after_exit",
    "official_rate_studies",
    "own_rate_studies",
    "official_rate_employed",
    "own_rate_employed",
    "own_cohort_size",
    "is_small_cohort",
]


@tagged("post_install", "-at_install", "-standard", "bde_alumni_bench")
class TestInserJeunesBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.lycees = cls.env["res.company"].create(
            [{"name": f"LP Bench IJ {index:02d}"} for index in range(LYCEES)]
        )
        cls.lycee = cls.lycees[0]
        cls.lycee.bde_uai = UAI
        cls.formations = cls.env["bde.formation"].create(
            [
                {
                    "name": f"Bac pro bench IJ {index}",
                    "level": "bac_pro",
                    "diploma_code": f"400{90000 + index}",
                }
                for index in range(FORMATIONS)
            ]
        )
        cls._create_alumni()
        cls.records = [
            {
                "annee": f"cumul {first}-{first + 1}",
                "uai": UAI,
                "type_diplome": "BAC PRO",
                "libelle_formation": formation.name.lower(),
                "code_formation_mefstat11": f"238300{formation.diploma_code[-5:]}",
                "taux_poursuite_etudes": 40,
                "taux_emploi_6_mois": 50,
                "taux_emploi_12_mois": 60 if first == 2022 else None,
                "part_en_poursuite_d_etudes": 40,
                "part_en_emploi_6_mois_apres_la_sortie": 30,
                "part_des_autres_situations": 30,
            }
            for formation in cls.formations
            for first in (2022, 2023)
        ]
        for lycee in cls.lycees[1:]:
            rows = [normalize_record(dict(r, uai="0690026D")) for r in cls.records]
            lycee.bde_uai = "0690026D"
            cls.env["bde.alumni.official.indicator"]._import_inserjeunes(
                lycee, rows, "file", "bench.csv"
            )
            lycee.bde_uai = False
        cls.officer, cls.teacher = (
            new_test_user(
                cls.env,
                login=f"bench_ij_{role}",
                groups=f"base.group_user,bde_lycee.group_bde_{role}",
                company_id=cls.lycee.id,
                company_ids=cls.lycee.ids,
            )
            for role in ("officer", "user")
        )

    @classmethod
    def _create_alumni(cls):
        alumni = cls.env["res.partner"].create(
            [
                {
                    "name": f"Alumni bench IJ {lycee.id}-{formation.id}-{year}-{i}",
                    "company_id": lycee.id,
                    "bde_is_alumni": True,
                    "bde_exit_formation_id": formation.id,
                    "bde_exit_year": year,
                    "bde_exit_date": date(year, 7, 4),
                }
                for lycee in cls.lycees
                for formation in cls.formations
                for year in (2023, 2024)
                for i in range(ALUMNI)
            ]
        )
        statuses = (("employed", "permanent"), ("studies", False), ("seeking", False))
        cls.env["bde.alumni.situation"].create(
            [
                {
                    "partner_id": person.id,
                    "date": date(person.bde_exit_year + 1, 1, 10),
                    "months_after_exit": 6,
                    "status": statuses[index % 3][0],
                    "contract_type": statuses[index % 3][1],
                    "source": "phone",
                }
                for index, person in enumerate(alumni)
            ]
        )

    def _median(self, function):
        times = []
        for _run in range(3):
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
            count = self.cr.sql_log_count - queries
        return result, statistics.median(times), count

    def _import(self):
        wizard = (
            self.env["bde.alumni.official.import"]
            .with_user(self.officer)
            .with_company(self.lycee)
            .create({"company_id": self.lycee.id, "source": "service"})
        )
        wizard.action_import()
        self.env.flush_all()
        return wizard.rows_imported

    def _raw_insert(self, rows):
        """The same rows written by hand: one DELETE, one INSERT."""
        self.cr.execute(
            SQL(
                "DELETE FROM bde_alumni_official_indicator WHERE company_id = %s",
                self.lycee.id,
            )
        )
        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, 'file', now())",
                self.lycee.id,
                row["formation_code"],
                row["millesime"],
                months,
                row["rates_employed"][months],
                row["rate_studies"],
            )
            for row in rows
            for months in (6, 12)
            if months == 6 or row["rates_employed"][months] is not None
        ]
        self.cr.execute(
            SQL(
                """INSERT INTO bde_alumni_official_indicator
                       (company_id, formation_code, millesime, months_after_exit,
                        rate_employed, rate_studies, source, create_date)
                   VALUES %s""",
                SQL(", ").join(values),
            )
        )
        return len(values)

    def _open_comparison(self):
        env = self.env(
            user=self.teacher, context={"allowed_company_ids": self.lycee.ids}
        )
        return env["bde.alumni.official.comparison"].search_read(
            [("is_latest", "=", True)], LIST_FIELDS
        )

    def _comparison_sql(self):
        self.cr.execute(
            SQL(
                "SELECT * FROM bde_alumni_official_comparison "
                "WHERE company_id = %s AND is_latest",
                self.lycee.id,
            )
        )
        return self.cr.fetchall()

    def test_benchmark(self):
        body = json.dumps({"total_count": len(self.records), "results": []})
        pages = {}

        def page(request):
            offset = int(request.query["offset"][0])
            results = self.records[offset : offset + 100]
            pages[offset] = True
            answer = dict(json.loads(body), results=results)
            return Answer(body=json.dumps(answer).encode())

        path = "/ds"
        with ReplayServer({("GET", f"{path}/records"): page}) as server:
            server.point(self.env, InserJeunesClient.url_parameter, path)
            rows, import_time, import_queries = self._median(self._import)
            fetched, fetch_time, _count = self._median(
                lambda: InserJeunesClient(self.env).records(UAI)
            )
            normalized = [normalize_record(record) for record in fetched]
            raw, raw_time, _count = self._median(lambda: self._raw_insert(normalized))
            self.assertEqual(raw, rows)
            self._import()  # the ORM's rows again, for the comparison

        listed, list_time, list_queries = self._median(self._open_comparison)
        selected, sql_time, _count = self._median(self._comparison_sql)
        self.assertEqual(len(listed), len(selected))
        self.assertEqual(len(listed), FORMATIONS)
        print(
            f"\nInserJeunes, {LYCEES} lycées, {FORMATIONS} formations, "
            f"{len(self.records)} records a lycée ({len(pages)} pages):\n"
            f"  import through the wizard: {import_time:.3f} s, {import_queries} "
            f"queries, {rows} rows; the answer fetched alone {fetch_time:.3f} s; "
            f"the rows by one raw INSERT {raw_time:.3f} s\n"
            f"  comparison, latest millésime, as a teacher opens it: "
            f"{list_time:.3f} s, {list_queries} queries; the view's query "
            f"{sql_time:.3f} s ({len(selected)} rows)"
        )
