"""The operations of issue 14's table, each called as the user interface
calls it, and their lower bounds (for bench_network; not collected)."""

import base64
import csv
import io
import time

from lxml import etree
from psycopg2.extras import execute_values

from odoo.tools import SQL
from odoo.tools.misc import xlsxwriter
from odoo.tools.safe_eval import safe_eval

from .network_builder import FORMATIONS, LEVELS, QUIET, RATES, SCHOOL_YEARS

MEASURED_YEAR = SCHOOL_YEARS[1]
CURRENT_YEAR = SCHOOL_YEARS[-1]
XLSX_ROWS = 30000
IMPORT_ROWS = 1200
PAGE = 40
LIST_PAGE = 80
COUNT_LIMIT = 10001

ROWS = (
    ("recompute_quiet", "allowance recompute, one lycée's school year, quiet context"),
    ("recompute_all", "the same for every lycée: national rate import applied"),
    ("recompute_default", "one lycée's school year, default context (tracked)"),
    ("hosts_teacher", "host directory as a teacher opens it (40 cards)"),
    ("hosts_places", "host directory, places left, teacher of one lycée"),
    ("hosts_places_network", "host directory, places left, user of every lycée"),
    ("hosts_10km", "host directory, within 10 km"),
    ("xlsx", "XLSX allowance export of the placements below, whole"),
    ("sync_steady", "mailing-list sync cron, steady state"),
    ("sync_fill", "mailing-list sync cron, first fill"),
    ("import", "SIECLE import, 1,200 students + guardians"),
    ("reimport", "SIECLE re-import of the same file"),
    ("import_big", "SIECLE import of a big file: wizard and every batch of its job"),
    ("indicators", "insertion indicators (list as a teacher opens it)"),
    ("lycee_figures", "lycées' figures, current school year (BDE manager)"),
    ("my_placements", "teacher's placement list"),
)
# Rows whose operation and lower bound give the same result (the amounts per
# student, the subscriptions, the rows imported).
SAME_RESULT = (
    "recompute_quiet",
    "recompute_all",
    "recompute_default",
    "sync_fill",
    "import",
    "reimport",
)
# Measured on the first lycée alone too (1× → N×).
GROWTH = (
    "recompute_quiet",
    "hosts_teacher",
    "hosts_places",
    "hosts_10km",
    "sync_steady",
    "indicators",
    "lycee_figures",
    "my_placements",
)

PER_STUDENT_SQL = """
    WITH placement AS (
        SELECT p.student_id,
               COALESCE(p.mef_code, p.mef_stat4) AS mef,
               p.days_done,
               COALESCE(own.daily_rate, level.daily_rate) AS rate,
               COALESCE(own.yearly_cap, level.yearly_cap) AS cap
          FROM bde_pfmp_placement p
     LEFT JOIN bde_allowance_rate own
            ON own.school_year = p.school_year AND own.mef_code = p.mef_code
     LEFT JOIN bde_allowance_rate level
            ON level.school_year = p.school_year AND level.mef_code IS NULL
           AND level.mef_stat4 = p.mef_stat4
         WHERE p.school_year = %(year)s AND p.company_id = ANY(%(companies)s)
           AND p.state != 'cancelled'
    ), per_mef AS (
        SELECT student_id, LEAST(SUM(days_done * rate), MAX(cap)) AS amount
          FROM placement
         WHERE rate IS NOT NULL
      GROUP BY student_id, mef
    )
    SELECT student_id, SUM(amount) FROM per_mef GROUP BY student_id
"""

INDICATOR_ROWS_SQL = """
    SELECT * FROM (%s) AS indicator WHERE months_after_exit = 6
"""

XLSX_SQL = """
    SELECT s.bde_ine, s.name, s.bde_birthdate, p.mef_code, p.date_start,
           p.date_end, p.date_start, p.date_end, h.name, p.days_done,
           r.daily_rate, p.allowance_amount, r.yearly_cap, ''
      FROM bde_pfmp_placement p
      JOIN res_partner s ON s.id = p.student_id
 LEFT JOIN res_partner h ON h.id = p.partner_id
 LEFT JOIN bde_allowance_rate r ON r.id = p.allowance_rate_id
     WHERE p.id = ANY(%s)
  ORDER BY p.class_id, s.name, p.id
"""

IMPORT_HEADER = (
    "INE;NOM;PRENOM;DATE NAISS;DIVISION;MEF;EMAIL;TEL PORTABLE;ADRESSE;"
    "CODE POSTAL;COMMUNE;NOM REPRESENTANT LEGAL;EMAIL REPRESENTANT LEGAL;"
    "TEL REPRESENTANT LEGAL"
).split(";")


def view_spec(env, model, view_type, view_xmlid=None):
    """The ``specification`` the web client sends for a view: its fields,
    relational ones with their display name."""
    view_id = env.ref(view_xmlid).id if view_xmlid else False
    views = env[model].get_views([(view_id, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    fields = env[model]._fields
    spec = {}
    for node in arch.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        field = fields.get(node.get("name"))
        if field is None:
            continue
        spec[field.name] = {"fields": {"display_name": {}}} if field.relational else {}
    return spec


def filter_domain(env, model, name, search_xmlid=None):
    """The domain of a filter of the model's search view, as the client
    evaluates it."""
    view_id = env.ref(search_xmlid).id if search_xmlid else False
    views = env[model].get_views([(view_id, "search")])
    arch = etree.fromstring(views["views"]["search"]["arch"])
    node = arch.find(f".//filter[@name='{name}']")
    return safe_eval(node.get("domain"), {"uid": env.uid, "context": env.context})


class NetworkOperations:
    """``measure(key)`` times the operation of a row of ROWS on the network as
    it is; ``lower_bound(key)`` its lower bound (None where the issue gives
    none)."""

    def __init__(self, case, builder):
        self.case, self.builder = case, builder
        self.env = case.env
        self.lycee = builder.lycees[0]
        self.csv_content = {}
        # Rows of the big SIECLE file (0: not measured), and the longest
        # request of its import (the wizard's or one batch's).
        self.big_import_rows = 0
        self.longest_request = 0.0

    def _user_env(self, user, companies=None, **context):
        companies = companies or self.lycee
        return self.env(
            user=user,
            su=False,
            context=dict(
                lang="en_US",
                tz="Europe/Paris",
                allowed_company_ids=companies.ids,
                **context,
            ),
        )

    def network_env(self):
        return self._user_env(self.builder.network_user, self.builder.lycees)

    def measure(self, key):
        operation, prepare = getattr(self, f"_op_{key}")()
        return self.case._measure(operation, prepare)

    def lower_bound(self, key):
        method = getattr(self, f"_bound_{key}", None)
        if method is None:
            return None
        operation, prepare = method()
        return self.case._measure(operation, prepare)

    # Allowance

    def _reset_amounts(self, companies):
        def reset():
            self.env.cr.execute(
                "UPDATE bde_pfmp_placement SET allowance_amount = 0, "
                "allowance_rate_id = NULL "
                "WHERE school_year = %s AND company_id = ANY(%s)",
                (MEASURED_YEAR, companies.ids),
            )
            self.env.invalidate_all()

        return reset

    def _recompute(self, env):
        def operation():
            placements = env["bde.pfmp.placement"].search(
                [
                    ("school_year", "=", MEASURED_YEAR),
                    ("company_id", "=", self.lycee.id),
                ]
            )
            placements._recompute_allowance()
            return self._amount_totals(self.lycee)

        return operation, self._reset_amounts(self.lycee)

    def _op_recompute_quiet(self):
        return self._recompute(self._user_env(self.builder.officer, **QUIET))

    def _op_recompute_default(self):
        return self._recompute(self._user_env(self.builder.officer))

    def _rate_file(self):
        """The national table of the measured year, every daily rate up by
        10 cents: every placement of the year moves."""
        lines = ["MEF,MEF_STAT_4,FORFAIT JOURNALIER,PLAFOND MAX"]
        for _name, _short, prefix in FORMATIONS:
            for study, level in enumerate(LEVELS, start=1):
                rate, cap = RATES[level]
                lines.append(f"{prefix}3{study},{level},{rate + 0.1:.2f},{cap:.2f}")
        return base64.b64encode("\n".join(lines).encode())

    def _op_recompute_all(self):
        env = self._user_env(self.builder.admin, self.builder.lycees)
        content = self._rate_file()

        def operation():
            wizard = env["bde.allowance.rate.import"].create(
                {
                    "file": content,
                    "file_name": "wages.csv",
                    "school_year": MEASURED_YEAR,
                }
            )
            wizard.action_apply()
            return self._amount_totals(self.builder.lycees)

        return operation, None

    def _amount_totals(self, companies):
        """Per-student totals of the amounts written, to compare with the
        lower bound's."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT student_id, SUM(allowance_amount) FROM bde_pfmp_placement "
            "WHERE school_year = %s AND company_id = ANY(%s) AND state != 'cancelled' "
            "GROUP BY student_id",
            (MEASURED_YEAR, companies.ids),
        )
        return {
            student: round(float(total), 2) for student, total in self.env.cr.fetchall()
        }

    def _per_student_totals(self, companies):
        def operation():
            self.env.cr.execute(
                PER_STUDENT_SQL, {"year": MEASURED_YEAR, "companies": companies.ids}
            )
            return {
                student: round(float(total), 2)
                for student, total in self.env.cr.fetchall()
            }

        return operation, None

    def _bound_recompute_quiet(self):
        return self._per_student_totals(self.lycee)

    _bound_recompute_default = _bound_recompute_quiet

    def _bound_recompute_all(self):
        operation, _prepare = self._per_student_totals(self.builder.lycees)
        return operation, self._raise_rates

    def _raise_rates(self):
        """The table as the rate file leaves it, for the lower bound."""
        self.env.cr.execute(
            "UPDATE bde_allowance_rate SET daily_rate = daily_rate + 0.1 "
            "WHERE school_year = %s AND mef_code = ANY(%s)",
            (MEASURED_YEAR, self._rate_mefs()),
        )

    def _rate_mefs(self):
        return [
            f"{prefix}3{study}"
            for _name, _short, prefix in FORMATIONS
            for study in range(1, len(LEVELS) + 1)
        ]

    # Host directory

    def _host_page(self, env, *filters):
        action = self.env.ref("bde_pfmp.res_partner_action_host_directory")
        search_view = "bde_pfmp.res_partner_view_search_host_directory"
        domain = safe_eval(action.domain)
        for name in filters:
            domain = domain + filter_domain(env, "res.partner", name, search_view)
        Partner = env["res.partner"].with_context(**safe_eval(action.context))
        spec = view_spec(
            env,
            "res.partner",
            "kanban",
            "bde_pfmp.res_partner_view_kanban_host_directory",
        )
        self.last_host_ids = []

        def operation():
            result = Partner.web_search_read(
                domain, spec, offset=0, limit=PAGE, order="", count_limit=COUNT_LIMIT
            )
            self.last_host_ids = [values["id"] for values in result["records"]]
            return result["length"]

        return operation, None

    def _teacher_env(self):
        return self._user_env(self.builder.teacher)

    def _op_hosts_teacher(self):
        return self._host_page(self._teacher_env())

    def _op_hosts_places(self):
        return self._host_page(self._teacher_env(), "filter_places_left")

    def _op_hosts_places_network(self):
        return self._host_page(self.network_env(), "filter_places_left")

    def _op_hosts_10km(self):
        return self._host_page(self._teacher_env(), "filter_10km")

    def _host_rows(self, env):
        # The rows the page showed (its last run, just measured), read by id:
        # the bound.
        ids = list(self.last_host_ids)

        def operation():
            return env["res.partner"].search_read(
                [("id", "in", ids)], ["name", "city", "bde_accepts_minors"]
            )

        return operation, None

    def _bound_hosts_teacher(self):
        return self._host_rows(self._teacher_env())

    def _bound_hosts_places(self):
        return self._host_rows(self._teacher_env())

    def _bound_hosts_places_network(self):
        return self._host_rows(self.network_env())

    def _bound_hosts_10km(self):
        return self._host_rows(self._teacher_env())

    # XLSX export

    def _export_placement_ids(self):
        self.env.cr.execute(
            "SELECT id FROM bde_pfmp_placement WHERE state != 'cancelled' "
            "AND company_id = ANY(%s) ORDER BY company_id, id LIMIT %s",
            (self.builder.lycees.ids, XLSX_ROWS),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _op_xlsx(self):
        env = self.network_env()
        ids = self._export_placement_ids()
        self.xlsx_rows = len(ids)

        def operation():
            wizard = env["bde.allowance.export"].create(
                {"placement_ids": [(6, 0, ids)]}
            )
            wizard.action_export()
            return len(wizard.file or b"")

        return operation, None

    def _bound_xlsx(self):
        ids = self._export_placement_ids()

        def operation():
            self.env.cr.execute(XLSX_SQL, (ids,))
            rows = self.env.cr.fetchall()
            output = io.BytesIO()
            workbook = xlsxwriter.Workbook(output, {"in_memory": True})
            sheet = workbook.add_worksheet()
            for index, row in enumerate(rows):
                sheet.write_row(index, 0, row)
            workbook.close()
            return len(output.getvalue())

        return operation, None

    # Mailing lists

    def _run_sync_cron(self):
        cron = self.env.ref("bde_lycee.ir_cron_bde_sync_mailing_lists")
        env = self._user_env(self.builder.admin, self.builder.lycees)

        def operation():
            cron.with_env(env).method_direct_trigger()
            return self._subscription_count()

        return operation

    def _subscription_count(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM mailing_subscription WHERE list_id = ANY(%s)",
            (self._synced_lists().ids,),
        )
        return self.env.cr.fetchone()[0]

    def _synced_lists(self):
        return self.env["mailing.list"].search([("bde_sync_rule", "!=", False)])

    def _op_sync_steady(self):
        # Once before: the lists hold what the network holds.
        self._run_sync_cron()()
        return self._run_sync_cron(), None

    def _empty_lists(self):
        self.env.cr.execute(
            "DELETE FROM mailing_subscription WHERE list_id = ANY(%s)",
            (self._synced_lists().ids,),
        )
        self.env.cr.execute(
            "DELETE FROM mailing_contact WHERE bde_partner_id IS NOT NULL"
        )
        self.env.invalidate_all()

    def _op_sync_fill(self):
        return self._run_sync_cron(), self._empty_lists

    def _qualifying_sql(self):
        """(list, lycée, partner) of every synced list's qualifying partners,
        as one SQL query built from the lists' own domains."""
        Partner = self.env["res.partner"].with_context(active_test=True)
        parts = []
        for mailing_list in self._synced_lists():
            query = Partner.with_company(mailing_list.company_id)._search(
                mailing_list._bde_get_sync_partner_domain()
            )
            parts.append(
                SQL(
                    "(%s)",
                    query.select(
                        SQL("%s AS list_id", mailing_list.id),
                        SQL("%s AS company_id", mailing_list.company_id.id),
                        SQL('"res_partner"."id" AS partner_id'),
                    ),
                )
            )
        return SQL(" UNION ALL ").join(parts)

    def _bound_sync_steady(self):
        qualifying = self._qualifying_sql()
        subscribed = (
            "SELECT s.list_id, c.company_id, c.bde_partner_id FROM "
            "mailing_subscription s JOIN mailing_contact c ON c.id = s.contact_id "
            "WHERE c.bde_partner_id IS NOT NULL"
        )

        def operation():
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM ((%s) EXCEPT (%s)) AS added",
                    qualifying,
                    SQL(subscribed),
                )
            )
            return self.env.cr.fetchone()[0]

        return operation, None

    def _bound_sync_fill(self):
        qualifying = self._qualifying_sql()
        fill = SQL(
            """
            WITH qualifying AS (%s),
            contact AS (
                INSERT INTO mailing_contact (name, email, bde_partner_id, company_id,
                                             create_date, write_date)
                SELECT DISTINCT ON (q.company_id, q.partner_id) p.name, p.email,
                       q.partner_id, q.company_id, now(), now()
                  FROM qualifying q JOIN res_partner p ON p.id = q.partner_id
             RETURNING id, bde_partner_id, company_id
            )
            INSERT INTO mailing_subscription (list_id, contact_id, opt_out,
                                              create_date, write_date)
            SELECT q.list_id, c.id, false, now(), now()
              FROM qualifying q JOIN contact c
                ON c.bde_partner_id = q.partner_id AND c.company_id = q.company_id
            """,
            qualifying,
        )

        def operation():
            self.env.cr.execute(fill)
            return self._subscription_count()

        return operation, self._empty_lists

    # SIECLE import

    def _import_file(self, rows=IMPORT_ROWS):
        if rows in self.csv_content:
            return self.csv_content[rows]
        classes = self.env["bde.class"].search(
            [("company_id", "=", self.lycee.id), ("school_year", "=", CURRENT_YEAR)]
        )
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";")
        writer.writerow(IMPORT_HEADER)
        for index in range(rows):
            school_class = classes[index % len(classes)]
            # Every tenth student is the sibling of the one before.
            family = index - (index % 10 == 9)
            writer.writerow(
                [
                    f"{9 * 10**9 + index:010d}N",
                    f"FAMILLE{family}",
                    f"Prénom{index}",
                    f"{1 + index % 28:02d}/{1 + index % 12:02d}/{2009 + index % 3}",
                    school_class.name,
                    school_class.mef_code,
                    f"nouveau{index}@example.com",
                    f"06 00 00 {index // 100:02d} {index % 100:02d}",
                    f"{index} avenue de la République",
                    "69003",
                    "Lyon",
                    f"Parent FAMILLE{family}",
                    f"parent{family}@example.com",
                    f"04 00 00 {family // 100:02d} {family % 100:02d}",
                ]
            )
        self.csv_content[rows] = base64.b64encode(output.getvalue().encode())
        return self.csv_content[rows]

    def _run_import(self, rows=IMPORT_ROWS):
        env = self._user_env(self.builder.officer)
        content = self._import_file(rows)

        def operation():
            started = time.perf_counter()
            wizard = env["bde.student.import"].create(
                {
                    "file": content,
                    "file_name": "siecle.csv",
                    "school_year": CURRENT_YEAR,
                }
            )
            wizard.action_import()
            self.longest_request = time.perf_counter() - started
            if wizard.state == "queued":
                return self._run_import_job(wizard.job_id)
            return (
                wizard.created_count
                + wizard.updated_count
                + getattr(wizard, "unchanged_count", 0)
            )

        return operation

    def _run_import_job(self, job):
        """A big file is imported by a job, one batch per run of its cron:
        the user waits for all of them."""
        cron = self.env.ref("bde_lycee.ir_cron_bde_student_import_job")
        env = self._user_env(self.builder.admin, self.builder.lycees)
        while job.state in ("queued", "running"):
            started = time.perf_counter()
            cron.with_env(env).method_direct_trigger()
            self.env.flush_all()
            self.longest_request = max(
                self.longest_request, time.perf_counter() - started
            )
            job.invalidate_recordset()
        return job.rows_done

    def _op_import_big(self):
        return self._run_import(self.big_import_rows), None

    def _op_import(self):
        return self._run_import(), None

    def _op_reimport(self):
        # The file imported once, kept: the runs import it again.
        self._run_import()()
        return self._run_import(), None

    def _import_rows(self):
        content = base64.b64decode(self._import_file()).decode()
        return list(csv.reader(io.StringIO(content), delimiter=";"))[1:]

    def _bound_import(self):
        rows = self._import_rows()
        classes = {
            c.name: c.id
            for c in self.env["bde.class"].search([("company_id", "=", self.lycee.id)])
        }

        def operation():
            cr = self.env.cr
            guardians = {(row[11], row[12]): row for row in rows}
            ids = execute_values(
                cr,
                # autopost_bills: accounting's NOT NULL column (its default)
                "INSERT INTO res_partner (name, email, phone, company_id, active, "
                "type, autopost_bills, create_date, write_date) VALUES %s "
                "RETURNING id",
                [
                    (name, email, row[13], self.lycee.id, True, "contact")
                    for (name, email), row in guardians.items()
                ],
                template="(%s, %s, %s, %s, %s, %s, 'ask', now(), now())",
                fetch=True,
            )
            guardian_ids = dict(zip(guardians, (i for (i,) in ids), strict=True))
            execute_values(
                cr,
                "INSERT INTO res_partner (name, bde_is_student, bde_ine, "
                "bde_birthdate, bde_class_id, email, mobile, street, zip, city, "
                "bde_legal_guardian_id, company_id, active, type, autopost_bills, "
                "create_date, write_date) VALUES %s",
                [
                    (
                        f"{row[2]} {row[1]}",
                        True,
                        row[0],
                        "-".join(reversed(row[3].split("/"))),
                        classes[row[4]],
                        row[6],
                        row[7],
                        row[8],
                        row[9],
                        row[10],
                        guardian_ids[row[11], row[12]],
                        self.lycee.id,
                        True,
                        "contact",
                    )
                    for row in rows
                ],
                template="(%s, %s, %s, %s::date, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s, 'ask', now(), now())",
            )
            return len(rows)

        return operation, None

    def _bound_reimport(self):
        rows = self._import_rows()

        def operation():
            execute_values(
                self.env.cr,
                "UPDATE res_partner p SET name = v.name, email = v.email, "
                "mobile = v.mobile, street = v.street, write_date = now() "
                "FROM (VALUES %s) AS v(ine, name, email, mobile, street) "
                "WHERE p.bde_ine = v.ine AND p.company_id = " + str(self.lycee.id),
                [
                    (row[0], f"{row[2]} {row[1]}", row[6], row[7], row[8])
                    for row in rows
                ],
            )
            return len(rows)

        return operation, None

    # Indicators, lycées' figures, teacher's list

    def _op_indicators(self):
        env = self._teacher_env()
        domain = filter_domain(env, "bde.alumni.indicator", "months_6")
        spec = view_spec(env, "bde.alumni.indicator", "list")

        def operation():
            return env["bde.alumni.indicator"].web_search_read(
                domain,
                spec,
                offset=0,
                limit=LIST_PAGE,
                order="",
                count_limit=COUNT_LIMIT,
            )["length"]

        return operation, None

    def _bound_indicators(self):
        """The view's query counting the lycée's alumni alone (its filter
        written by hand where the alumni are read), at 6 months."""
        query = self.env["bde.alumni.indicator"]._query()
        where = "WHERE partner.bde_is_alumni"
        lycee_query = SQL(
            query.code.replace(where, "WHERE partner.company_id = %s AND " + where[6:]),
            self.lycee.id,
            *query.params,
        )

        def operation():
            self.env.cr.execute(SQL(INDICATOR_ROWS_SQL, lycee_query))
            return len(self.env.cr.fetchall())

        return operation, None

    def _op_lycee_figures(self):
        """The lycées' list on the current school year, as the action opens
        it, and its totals (the list's sums, one read_group)."""
        env = self._user_env(self.builder.officer)
        Report = env["bde.lycee.report"]
        domain = filter_domain(env, "bde.lycee.report", "current_school_year")
        spec = view_spec(env, "bde.lycee.report", "list")

        def operation():
            rows = Report.web_search_read(
                domain,
                spec,
                offset=0,
                limit=LIST_PAGE,
                order="",
                count_limit=COUNT_LIMIT,
            )
            [totals] = Report.read_group(domain, ["pfmp_placement_count"], [])
            return rows["length"], totals["pfmp_placement_count"]

        return operation, None

    def _bound_lycee_figures(self):
        """The view's row of the lycée, read by hand."""

        def operation():
            self.env.cr.execute(
                "SELECT * FROM bde_lycee_report"
                " WHERE company_id = %s AND is_current_school_year",
                [self.lycee.id],
            )
            rows = self.env.cr.fetchall()
            return len(rows)

        return operation, None

    def _op_my_placements(self):
        env = self._teacher_env()
        domain = filter_domain(env, "bde.pfmp.placement", "filter_my") + filter_domain(
            env, "bde.pfmp.placement", "filter_live"
        )
        spec = view_spec(env, "bde.pfmp.placement", "list")

        def operation():
            return env["bde.pfmp.placement"].web_search_read(
                domain,
                spec,
                offset=0,
                limit=LIST_PAGE,
                order="",
                count_limit=COUNT_LIMIT,
            )["length"]

        return operation, None
