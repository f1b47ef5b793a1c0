"""Benchmark of the synced mailing lists in a network (not a test: it prints
figures and asserts only that the sync and the SQL agree).

A network of 20 lycées has one synced list per lycée and kind (partners'
contacts, tutors, and alumni when bde_alumni is installed); host companies are
shared, each an active partner of a few lycées. Each measure is the median of
3 runs, beside its lower bound in the same run:

- the first fill of every list (no contact yet), against the same contacts
  and subscriptions written by one ``INSERT … SELECT`` and by the ORM's batch
  create;
- the daily sync once the lists are full (steady state), against one SQL
  query of the difference between who qualifies and who is subscribed;
- a partner's e-mail changed (the partner hook syncs them in every list).

BDE_BENCH_MAILING_SCALE (default 1) multiplies the people of each lycée.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import statistics
import time

from odoo.tests import TransactionCase, tagged

LYCEES = 20
SCALE = int(os.environ.get("BDE_BENCH_MAILING_SCALE", "1"))
# Per lycée: host companies it is an active partner of (shared with the next
# lycée), contacts per host, tutors and alumni it recorded.
HOSTS, CONTACTS_PER_HOST, TUTORS, ALUMNI = 10 * SCALE, 2, 25 * SCALE, 12 * SCALE
RUNS = 3
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}

# Who qualifies for which synced list, written by hand: the lower bound of the
# sync's own query. {pfmp} and {alumni} are the parts of bde_pfmp and
# bde_alumni when they are installed.
WANTED_SQL = """
    WITH person AS (
        SELECT p.* FROM res_partner p
          LEFT JOIN res_partner parent ON parent.id = p.parent_id
         WHERE p.active AND COALESCE(p.email, '') != ''
           AND (p.email_normalized IS NULL OR p.email_normalized NOT IN (
                SELECT email FROM mail_blacklist WHERE active))
           -- establishments closed in the SIRENE directory are left out
           AND NOT COALESCE(p.bde_sirene_closed, FALSE)
           AND NOT COALESCE(parent.bde_sirene_closed, FALSE)
    ), lists AS (
        SELECT id, company_id, bde_sync_rule AS rule FROM mailing_list
         WHERE bde_sync_rule IS NOT NULL
    )
    SELECT l.id AS list_id, l.company_id, p.id AS partner_id
      FROM lists l
      JOIN person p ON (p.company_id IS NULL OR p.company_id = l.company_id)
      JOIN bde_partner_relation r ON r.partner_id = p.parent_id
       AND r.company_id = l.company_id AND r.status = 'active'
     WHERE l.rule = 'partners' AND NOT p.is_company
       AND NOT COALESCE(p.bde_is_student, FALSE)
    UNION ALL
    SELECT l.id, l.company_id, p.id FROM lists l JOIN person p ON p.bde_is_tutor
     WHERE l.rule = 'tutors' AND (p.company_id = l.company_id {pfmp})
    {alumni}
"""
PFMP_SQL = """OR p.id IN (SELECT tutor_id FROM bde_pfmp_placement pl
                          WHERE pl.company_id = l.company_id)"""
ALUMNI_SQL = """UNION ALL
    SELECT l.id, l.company_id, p.id FROM lists l JOIN person p
        ON p.company_id = l.company_id
       AND p.bde_is_alumni AND p.bde_alumni_contact_consent
     WHERE l.rule = 'alumni'"""
SUBSCRIBED_SQL = """
    SELECT s.list_id, c.bde_partner_id FROM mailing_subscription s
      JOIN mailing_contact c ON c.id = s.contact_id
      JOIN mailing_list l ON l.id = s.list_id
     WHERE l.bde_sync_rule IS NOT NULL AND c.bde_partner_id IS NOT NULL
"""
# The first fill in one statement: one contact per lycée and partner, then
# the subscriptions.
FILL_SQL = """
    WITH wanted AS ({wanted}), contact AS (
        INSERT INTO mailing_contact (name, email, email_normalized, company_name,
               bde_partner_id, company_id, message_bounce, create_uid, write_uid,
               create_date, write_date)
        SELECT p.name, p.email, p.email_normalized, p.commercial_company_name,
               p.id, w.company_id, 0, 1, 1, now(), now()
          FROM (SELECT DISTINCT company_id, partner_id FROM wanted) w
          JOIN res_partner p ON p.id = w.partner_id
        RETURNING id, bde_partner_id, company_id
    )
    INSERT INTO mailing_subscription (list_id, contact_id, company_id, opt_out,
           create_uid, write_uid, create_date, write_date)
    SELECT w.list_id, c.id, w.company_id, FALSE, 1, 1, now(), now()
      FROM wanted w JOIN contact c
        ON c.bde_partner_id = w.partner_id AND c.company_id = w.company_id
"""
DIFF_SQL = """
    WITH wanted AS ({wanted}), subscribed AS ({subscribed})
    SELECT count(*) FROM (
        (SELECT list_id, partner_id FROM wanted EXCEPT SELECT * FROM subscribed)
        UNION ALL
        (SELECT * FROM subscribed EXCEPT SELECT list_id, partner_id FROM wanted)
    ) diff
"""


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class BenchMailingSync(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        started = time.perf_counter()
        Company = cls.env["res.company"]
        missing = LYCEES - Company.search_count([])
        Company.create([{"name": f"LP Bench {i}"} for i in range(missing)])
        cls.lycees = Company.search([], limit=LYCEES)
        cls.MailingList = cls.env["mailing.list"]
        cls.lists = cls.MailingList._bde_get_lycee_lists(cls.lycees)
        cls._build_people()
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _build_people(cls):
        Partner = cls.env["res.partner"]
        hosts = Partner.create(
            [
                {"name": f"Entreprise bench {i}", "is_company": True}
                for i in range(HOSTS * LYCEES)
            ]
        )
        Partner.create(
            [
                {
                    "name": f"Contact {n} {host.name}",
                    "email": f"contact{n}.{host.id}@bench.example.com",
                    "parent_id": host.id,
                }
                for host in hosts
                for n in range(CONTACTS_PER_HOST)
            ]
        )
        # Each lycée is an active partner of its own hosts and its
        # neighbour's: a host is shared by two lycées.
        cls.env["bde.partner.relation"].create(
            [
                {"partner_id": host.id, "company_id": lycee.id, "status": "active"}
                for index, lycee in enumerate(cls.lycees)
                for host in hosts[index * HOSTS : (index + 2) * HOSTS]
            ]
        )
        alumni = "bde_is_alumni" in Partner._fields
        values = []
        for lycee in cls.lycees:
            values += [
                {
                    "name": f"Tuteur {i} {lycee.name}",
                    "email": f"tuteur{i}.{lycee.id}@bench.example.com",
                    "bde_is_tutor": True,
                    "company_id": lycee.id,
                }
                for i in range(TUTORS)
            ]
            values += [
                {
                    "name": f"Ancien {i} {lycee.name}",
                    "email": f"ancien{i}.{lycee.id}@bench.example.com",
                    "bde_is_alumni": True,
                    "bde_alumni_contact_consent": True,
                    "company_id": lycee.id,
                }
                for i in range(ALUMNI if alumni else 0)
            ]
        Partner.create(values)

    def _measure(self, function, prepare=None, runs=RUNS):
        """Median seconds and queries of ``function`` over ``runs`` runs, each
        after ``prepare``; and its last result."""
        figures = []
        for _run in range(runs):
            if prepare:
                prepare()
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = function()
            self.env.flush_all()
            figures.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries)
            )
        return (
            result,
            statistics.median(seconds for seconds, _queries in figures),
            statistics.median(queries for _seconds, queries in figures),
        )

    def _wanted_sql(self):
        return WANTED_SQL.format(
            pfmp=PFMP_SQL if "bde.pfmp.placement" in self.env else "",
            alumni=ALUMNI_SQL if "bde_is_alumni" in self.env["res.partner"] else "",
        )

    def _empty_lists(self):
        """No synced contact nor subscription, as before the first sync."""
        self.env.flush_all()
        # Their subscriptions go with them (ON DELETE CASCADE).
        self.cr.execute("DELETE FROM mailing_contact WHERE bde_partner_id IS NOT NULL")
        self.env.invalidate_all()

    def _sync(self):
        self.MailingList._bde_sync_mailing_lists()

    def _fill_sql(self):
        self.cr.execute(FILL_SQL.format(wanted=self._wanted_sql()))
        return self.cr.rowcount

    def _fill_orm(self):
        """The same rows as _fill_sql, through the ORM's batch create."""
        self.cr.execute(self._wanted_sql())
        wanted = self.cr.fetchall()
        Partner = self.env["res.partner"]
        people = {(company, partner) for _list, company, partner in wanted}
        contacts = self.env["mailing.contact"].create(
            [
                {
                    "name": Partner.browse(partner).name,
                    "email": Partner.browse(partner).email,
                    "company_name": Partner.browse(partner).commercial_company_name,
                    "bde_partner_id": partner,
                    "company_id": company,
                }
                for company, partner in people
            ]
        )
        contact_ids = {
            (contact.company_id.id, contact.bde_partner_id.id): contact.id
            for contact in contacts
        }
        self.env["mailing.subscription"].create(
            [
                {"list_id": list_id, "contact_id": contact_ids[company, partner]}
                for list_id, company, partner in wanted
            ]
        )
        return len(wanted)

    def _diff_sql(self):
        self.cr.execute(
            DIFF_SQL.format(wanted=self._wanted_sql(), subscribed=SUBSCRIBED_SQL)
        )
        return self.cr.fetchone()[0]

    def _subscribed_count(self):
        self.env.flush_all()
        self.cr.execute(f"SELECT count(*) FROM ({SUBSCRIBED_SQL}) s")
        return self.cr.fetchone()[0]

    def test_bench_mailing_sync(self):
        _result, fill_time, fill_queries = self._measure(self._sync, self._empty_lists)
        subscribed = self._subscribed_count()
        rows, fill_sql_time, fill_sql_queries = self._measure(
            self._fill_sql, self._empty_lists
        )
        self.assertEqual(rows, subscribed, "the sync subscribes who the SQL does")
        # A reference only, and the slowest: one run.
        _rows, fill_orm_time, fill_orm_queries = self._measure(
            self._fill_orm, self._empty_lists, runs=1
        )
        self._empty_lists()
        self._sync()
        _result, steady_time, steady_queries = self._measure(self._sync)
        diff, diff_time, diff_queries = self._measure(self._diff_sql)
        self.assertEqual(diff, 0, "after the sync, nobody is missing or extra")

        tutor = self.env["res.partner"].search(
            [("bde_is_tutor", "=", True), ("email", "ilike", "bench")], limit=1
        )
        emails = iter(range(RUNS))
        _result, edit_time, edit_queries = self._measure(
            lambda: tutor.write({"email": f"tuteur.{next(emails)}@example.com"})
        )
        lines = [
            f"{LYCEES} lycées, {len(self.lists)} synced lists, {subscribed} "
            f"subscriptions, built in {self.setup_time:.1f} s (median of {RUNS})",
            f"{'measure':<58}{'seconds':>9}{'queries':>9}",
        ]
        figures = [
            ("first fill, sync", fill_time, fill_queries),
            ("first fill, one INSERT … SELECT", fill_sql_time, fill_sql_queries),
            ("first fill, ORM batch create (one run)", fill_orm_time, fill_orm_queries),
            ("steady state, sync (daily cron)", steady_time, steady_queries),
            ("steady state, one SQL diff", diff_time, diff_queries),
            ("a tutor's e-mail changed (partner hook)", edit_time, edit_queries),
        ]
        lines += [
            f"{label:<58}{seconds:>9.3f}{queries:>9}"
            for label, seconds, queries in figures
        ]
        lines += [
            f"ratios: first fill {fill_time / fill_sql_time:.1f}×, "
            f"steady state {steady_time / diff_time:.1f}×"
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
