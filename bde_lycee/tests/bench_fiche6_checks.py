"""Benchmark of fiche 6's check "active partners without a convention in
force" (not a test: it prints figures and asserts only that the ORM and SQL
agree).

Two lycées share BDE_BENCH_PARTNERS companies (1,000 by default): the first
has all of them as partners (70 % active, half of those under a convention in
force), the second every third one, each under a convention in force. It
measures, as the first lycée's BDE manager opens the check's list (median of
3 runs):

- the first page of the list (80 rows, the company list's fields, and the
  count) read by ``web_search_read``, beside its lower bound: the same ids
  and count in one SQL query;
- the flag computed on the page's 80 partners.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time
from datetime import date

from odoo.tests import TransactionCase, new_test_user, tagged

PARTNERS = int(os.environ.get("BDE_BENCH_PARTNERS", "1000"))
PAGE = 80
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# The fields of the company list (res_partner_view_list_company).
LIST_SPEC = {
    "name": {},
    "siret": {},
    "bde_partner_type": {},
    "bde_naf_code": {},
    "city": {},
    "country_id": {"fields": {"display_name": {}}},
    "bde_workforce_band": {},
    "bde_sector_ids": {"fields": {"display_name": {}, "color": {}}},
    "bde_partner_status": {},
    "phone": {},
    "email": {},
}
# The same page and count, written by hand: the lower bound.
PAGE_SQL = """
    SELECT p.id, count(*) OVER ()
      FROM res_partner p
      JOIN bde_partner_relation r
        ON r.partner_id = p.id AND r.company_id = %(lycee)s AND r.status = 'active'
     WHERE p.active AND p.is_company AND NOT COALESCE(p.bde_is_student, FALSE)
       AND p.id NOT IN (
           SELECT c.partner_id FROM bde_partnership_convention c
            WHERE c.company_id = %(lycee)s AND c.state = 'active')
  ORDER BY p.complete_name, p.id
     LIMIT %(page)s
"""


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class TestFiche6ChecksBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        started = time.perf_counter()
        cls.lycee, cls.other_lycee = cls.env["res.company"].create(
            [{"name": "LP Bench Condorcet"}, {"name": "LP Bench Curie"}]
        )
        partners = cls.env["res.partner"].create(
            [
                {"name": f"Entreprise bench {index:05d}", "is_company": True}
                for index in range(PARTNERS)
            ]
        )
        Relation = cls.env["bde.partner.relation"]
        active = partners.filtered(lambda p: p.id % 10 < 7)
        Relation._bde_set_status(active, cls.lycee, "active")
        Relation._bde_set_status(partners - active, cls.lycee, "prospect")
        cls._activate_conventions(active.filtered(lambda p: p.id % 2), cls.lycee)
        cls._activate_conventions(
            partners.filtered(lambda p: p.id % 3 == 0), cls.other_lycee
        )
        cls.officer = new_test_user(
            cls.env,
            login="bench_fiche6_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=cls.lycee.id,
            company_ids=[cls.lycee.id],
        )
        cls.env.flush_all()
        # The statistics autovacuum keeps on a live database: without them the
        # planner takes the new tables for empty ones.
        cls.env.cr.execute(
            "ANALYZE res_partner, bde_partner_relation, bde_partnership_convention"
        )
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _activate_conventions(cls, partners, lycee):
        conventions = cls.env["bde.partnership.convention"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": lycee.id,
                    "date_start": date(2025, 9, 1),
                    "date_end": date(2028, 8, 31),
                }
                for partner in partners
            ]
        )
        # The steps' checks are not what is measured here: the state only.
        conventions._write_trusted({"state": "active"})

    def _measure(self, function):
        figures = []
        for _run in range(RUNS):
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            figures.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries)
            )
        return (
            result,
            statistics.median(seconds for seconds, _queries in figures),
            statistics.median(queries for _seconds, queries in figures),
        )

    def test_bench_without_convention(self):
        Partner = self.env["res.partner"].with_user(self.officer)
        domain = [
            ("is_company", "=", True),
            ("bde_is_student", "=", False),
            ("bde_without_convention", "=", True),
        ]

        def page():
            return Partner.web_search_read(
                domain, LIST_SPEC, limit=PAGE, order="complete_name, id"
            )

        def page_sql():
            self.cr.execute(PAGE_SQL, {"lycee": self.lycee.id, "page": PAGE})
            return self.cr.fetchall()

        result, page_time, page_queries = self._measure(page)
        rows, sql_time, sql_queries = self._measure(page_sql)
        self.assertEqual(result["length"], rows[0][1], "the ORM counts what SQL does")
        self.assertEqual([r["id"] for r in result["records"]], [r[0] for r in rows])
        records = Partner.browse([r[0] for r in rows])
        _flags, flag_time, flag_queries = self._measure(
            lambda: records.mapped("bde_without_convention")
        )
        lines = [
            f"{PARTNERS} companies, {result['length']} active without a convention "
            f"in force, built in {self.setup_time:.1f} s (median of {RUNS})",
            f"{'measure':<58}{'seconds':>9}{'queries':>9}",
            f"{'the check list, first page and count':<58}"
            f"{page_time:>9.3f}{page_queries:>9}",
            f"{'the same ids and count, one SQL query':<58}"
            f"{sql_time:>9.3f}{sql_queries:>9}",
            f"{'the flag on the page':<58}{flag_time:>9.3f}{flag_queries:>9}",
            f"ratio: the list {page_time / sql_time:.1f}× its lower bound",
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
