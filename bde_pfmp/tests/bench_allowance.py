"""Benchmark of the PFMP allowances (not a test: it prints figures and asserts
only that the ORM and SQL totals agree).

Lycées of 1,200 students each (one by default, ``BDE_BENCH_LYCEES=5`` for
five) in 3 bac pro formations × 3 years of study, over 3 school years, with 2
or 3 placements per student and school year (about 9,600 placements a lycée),
all built in the test transaction and rolled back. It measures:

- the recompute of one lycée's school year of allowances (APLyPro's rule) as
  the users meet it: in the quiet context of the imports and in the default
  context of the forms (what it tracks included); the national table's import
  as the administrator applies it, which recomputes the school year of every
  lycée of the database; each beside its lower bound, the same per-student
  totals in one SQL query, with the ratio and the queries; the recompute's
  own statement as raw SQL (what the writes cost); then a placement's days
  done saved from its form, and the lock of the students' rows that keeps
  the yearly cap under concurrent writes (median of 3 runs each);
- the whole XLSX export of the first lycée's placements (its classes chosen
  in the wizard and its button clicked by the lycée's BDE officer: reading
  the rows, the cumulated figures and APLyPro's checks, then writing the
  file), against the same rows written with xlsxwriter alone.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import base64
import io
import os
import random
import statistics
import time
from datetime import date

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.misc import xlsxwriter

from odoo.addons.bde_lycee.models.res_company import uai_check_letter
from odoo.addons.bde_pfmp.models.bde_pfmp_placement_allowance import ALLOWANCE_SQL

LYCEES = int(os.environ.get("BDE_BENCH_LYCEES", "1"))
STUDENTS = 1200
SCHOOL_YEARS = ("2023-2024", "2024-2025", "2025-2026")
MEASURED_YEAR = "2025-2026"
# (name, MEF prefix): three bac pro formations of each lycée.
FORMATIONS = (
    ("Bac pro Métiers du commerce et de la vente", "24731213"),
    ("Bac pro Métiers de l'électricité", "24025510"),
    ("Bac pro Logistique", "24031105"),
)
# Bac pro levels: 2nde, 1re, Tle (shipped level defaults for every year),
# with their daily rate and yearly cap of the measured year.
LEVELS = ("2381", "2382", "2383")
LEVEL_AMOUNTS = {"2381": (10, 300), "2382": (15, 600), "2383": (20, 1000)}
# Placement windows of a school year, as (month, day) offsets from its start
# year: November, February, May; 4 weeks each.
WINDOWS = (((0, 11, 3), (0, 11, 28)), ((1, 2, 2), (1, 2, 27)), ((1, 5, 4), (1, 5, 29)))
BATCH = 2000
# Creation context: no chatter messages nor tracking for generated records.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
# The context of the forms and of the administrator's import: tracking on.
DEFAULT_CONTEXT = {
    "tracking_disable": False,
    "mail_create_nolog": False,
    "mail_notrack": False,
}
# Each operation runs three times; the median is printed.
RUNS = 3
TABLE_HEADER = (
    "MEF,MEF_STAT_11,MEF_STAT_4,DISPOSITIF_FORMATION,LIBELLE_LONG,BOP,"
    "FORFAIT JOURNALIER,PLAFOND MAX"
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
         WHERE p.school_year = %s AND %s
           AND p.state != 'cancelled'
    ), per_mef AS (
        -- Placements are capped one after the other: their sum is the
        -- uncapped sum, capped once.
        SELECT student_id, LEAST(SUM(days_done * rate), MAX(cap)) AS amount
          FROM placement
         WHERE rate IS NOT NULL
      GROUP BY student_id, mef
    )
    SELECT student_id, SUM(amount) FROM per_mef GROUP BY student_id
"""


@tagged("post_install", "-at_install", "-standard", "bde_pfmp_bench")
class TestAllowanceBenchmark(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.random = random.Random(2026)
        started = time.perf_counter()
        cls.lycees = cls.env["res.company"].create(
            [
                {
                    "name": f"LP Bench Condorcet {index}",
                    "bde_uai": f"{123450 + index:07d}"
                    f"{uai_check_letter(f'{123450 + index:07d}')}",
                }
                for index in range(LYCEES)
            ]
        )
        cls.lycee = cls.lycees[0]
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycees.ids)
        )
        cls.hosts = cls._create_hosts()
        # The first lycée's records; the others' are only in the database.
        cls.classes, cls.students, cls.placements = cls._create_lycee(cls.lycee)
        for lycee in cls.lycees[1:]:
            cls._create_lycee(lycee)
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _create_lycee(cls, lycee):
        classes = cls._create_classes(lycee)
        students = cls._create_students(lycee)
        return classes, students, cls._create_placements(classes, students)

    @classmethod
    def _create_classes(cls, lycee):
        formations = cls.env["bde.formation"].create(
            [
                {"name": name, "level": "bac_pro", "duration_years": 3}
                for name, _prefix in FORMATIONS
            ]
        )
        values = []
        for year in SCHOOL_YEARS:
            for formation, (_name, prefix) in zip(formations, FORMATIONS, strict=True):
                for study_year, level in enumerate(LEVELS, start=1):
                    values.append(
                        {
                            "name": f"{level} {formation.name[9:20]} {year}",
                            "formation_id": formation.id,
                            "school_year": year,
                            "mef_code": f"{prefix}3{study_year}",
                            "mef_stat4": level,
                            "company_id": lycee.id,
                        }
                    )
        return cls.env["bde.class"].create(values)

    @classmethod
    def _create_students(cls, lycee):
        values = [
            {
                "name": f"Élève{index} Bench{index:04d}",
                "bde_is_student": True,
                "bde_ine": f"{index:010d}B",
                "bde_birthdate": date(2007 + index % 3, 1 + index % 12, 1 + index % 28),
                "street": f"{index} rue de l'École",
                "zip": "75011",
                "city": "Paris",
                "company_id": lycee.id,
            }
            for index in range(STUDENTS)
        ]
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_hosts(cls):
        hosts = cls.env["res.partner"].create(
            [
                {"name": f"Entreprise bench {index}", "is_company": True}
                for index in range(60)
            ]
        )
        tutors = cls.env["res.partner"].create(
            [{"name": f"Tuteur {host.name}", "parent_id": host.id} for host in hosts]
        )
        return list(zip(hosts, tutors, strict=True))

    @classmethod
    def _placement_values(cls, classes, students):
        classes_by_year = {
            year: classes.filtered(lambda c, y=year: c.school_year == y)
            for year in SCHOOL_YEARS
        }
        for year in SCHOOL_YEARS:
            start_year = int(year[:4])
            year_classes = classes_by_year[year]
            for index, student in enumerate(students):
                school_class = year_classes[index % len(year_classes)]
                count = 3 if index % 3 else 2
                for start, end in WINDOWS[:count]:
                    host, tutor = cls.random.choice(cls.hosts)
                    yield {
                        "student_id": student.id,
                        "class_id": school_class.id,
                        "partner_id": host.id,
                        "tutor_id": tutor.id,
                        "state": "host_found",
                        "date_start": date(start_year + start[0], start[1], start[2]),
                        "date_end": date(start_year + end[0], end[1], end[2]),
                        "days_done": cls.random.randint(10, 20),
                    }

    @classmethod
    def _create_placements(cls, classes, students):
        placements = cls.env["bde.pfmp.placement"]
        batch = []
        for values in cls._placement_values(classes, students):
            batch.append(values)
            if len(batch) == BATCH:
                placements |= placements.create(batch)
                batch = []
        if batch:
            placements |= placements.create(batch)
        return placements

    def _measure(self, function):
        """Run ``function``; return its result, seconds and queries."""
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        started = time.perf_counter()
        result = function()
        self.env.flush_all()
        return result, time.perf_counter() - started, self.cr.sql_log_count - queries

    def _measure_median(self, function, prepare=None):
        """``_measure`` run RUNS times, each after ``prepare``: the last
        result, the median seconds and queries."""
        runs = []
        for _run in range(RUNS):
            if prepare:
                prepare()
            runs.append(self._measure(function))
        return (
            runs[-1][0],
            statistics.median(run[1] for run in runs),
            statistics.median(run[2] for run in runs),
        )

    # The allowance recompute

    def _company_condition(self, company):
        if not company:
            return SQL("TRUE")
        return SQL("company_id = %s", company.id)

    def _reset_amounts(self, company=None):
        """Every amount of the year is rewritten: start from zero."""
        self.env.flush_all()
        self.cr.execute(
            SQL(
                "UPDATE bde_pfmp_placement SET allowance_amount = 0 "
                "WHERE school_year = %s AND %s",
                MEASURED_YEAR,
                self._company_condition(company),
            )
        )
        self.env.invalidate_all()

    def _year_placements(self, company=None):
        domain = [("school_year", "=", MEASURED_YEAR)]
        if company:
            domain.append(("company_id", "=", company.id))
        return self.env["bde.pfmp.placement"].search(domain)

    def _recompute(self, context):
        """The recompute of one lycée's school year, with the messages that
        the commit of its transaction posts."""
        placements = self._year_placements(self.lycee).with_context(context)
        placements._recompute_allowance()
        self.env.cr.precommit.run()

    def _statement_alone(self):
        """The recompute's own statement, run as raw SQL without the lock:
        what writing the amounts costs PostgreSQL. The rows were created in
        this transaction, so it checks their foreign keys at each update,
        which it skips for older rows: writes cost more here than in use."""
        placements = self._year_placements(self.lycee)
        self.cr.execute(SQL(ALLOWANCE_SQL, ids=placements.ids, uid=self.env.uid))

    def _import_table(self, run):
        """The national table's import as the administrator applies it: the
        caps of the lycées' MEFs change (by another amount at each run), and
        every allowance of the school year in the database is recomputed."""
        mefs = {
            (school_class.mef_code, school_class.mef_stat4)
            for school_class in self.classes
            if school_class.school_year == MEASURED_YEAR
        }
        lines = [TABLE_HEADER]
        for mef, level in sorted(mefs):
            rate, cap = LEVEL_AMOUNTS[level]
            lines.append(f"{mef},,{level},,BENCH,MENJ,{rate},{cap - 10 * run}")
        admin = self.env(user=self.env.ref("base.user_admin"), context=DEFAULT_CONTEXT)
        wizard = admin["bde.allowance.rate.import"].create(
            {
                "school_year": MEASURED_YEAR,
                "file": base64.b64encode("\n".join(lines).encode()),
                "file_name": "wages.csv",
            }
        )
        wizard.action_apply()
        self.env.cr.precommit.run()
        return wizard

    def _save_days_in_form(self, placement):
        """A placement's days done saved from its form, tracked."""
        placement.with_context(DEFAULT_CONTEXT).write(
            {"days_done": 30 - placement.days_done}
        )
        self.env.cr.precommit.run()

    def _orm_totals(self, placements):
        groups = self.env["bde.pfmp.placement"]._read_group(
            [("id", "in", placements.ids)], ["student_id"], ["allowance_amount:sum"]
        )
        return {student.id: round(total, 2) for student, total in groups}

    def _sql_totals(self, company=None):
        self.cr.execute(
            SQL(PER_STUDENT_SQL, MEASURED_YEAR, self._company_condition(company))
        )
        return {
            student: round(float(total), 2) for student, total in self.cr.fetchall()
        }

    def test_bench_allowance_recompute(self):
        placements = self._year_placements(self.lycee)
        everywhere = self._year_placements()
        _result, quiet_time, quiet_queries = self._measure_median(
            lambda: self._recompute(QUIET), lambda: self._reset_amounts(self.lycee)
        )
        _result, default_time, default_queries = self._measure_median(
            lambda: self._recompute(DEFAULT_CONTEXT),
            lambda: self._reset_amounts(self.lycee),
        )
        totals, sql_time, _queries = self._measure_median(
            lambda: self._sql_totals(self.lycee)
        )
        _result, statement_time, statement_queries = self._measure_median(
            self._statement_alone, lambda: self._reset_amounts(self.lycee)
        )
        self.assertEqual(self._orm_totals(placements), totals)
        runs = iter(range(1, RUNS + 1))
        _result, import_time, import_queries = self._measure_median(
            lambda: self._import_table(next(runs)), self._reset_amounts
        )
        totals, all_sql_time, _queries = self._measure_median(self._sql_totals)
        self.assertEqual(self._orm_totals(everywhere), totals)
        _result, form_time, form_queries = self._measure_median(
            lambda: self._save_days_in_form(placements[0])
        )
        students = placements.student_id
        _result, lock_time, lock_queries = self._measure_median(
            lambda: placements._lock_allowance_students(students)
        )
        one_year = f"one lycée's {MEASURED_YEAR} ({len(placements)} placements)"
        figures = [
            (f"recompute {one_year}, quiet", quiet_time, sql_time, quiet_queries),
            (
                f"recompute {one_year}, default context",
                default_time,
                sql_time,
                default_queries,
            ),
            (
                "its statement alone, raw SQL (the writes' own cost)",
                statement_time,
                sql_time,
                statement_queries,
            ),
            (
                f"rate import, {len(self.lycees)} bench lycée(s) + demo "
                f"({len(everywhere)} placements)",
                import_time,
                all_sql_time,
                import_queries,
            ),
            ("one placement's days done saved (form)", form_time, 0, form_queries),
            (
                f"the students' lock ({len(students)} students)",
                lock_time,
                0,
                lock_queries,
            ),
        ]
        lines = [
            f"data: {len(self.lycees)} lycée(s) of {len(self.students)} students "
            f"and {len(self.placements)} placements, built in "
            f"{self.setup_time:.1f} s; bound: the same per-student totals in "
            "one SQL query",
            f"{'measure':<66}{'seconds':>8}{'bound':>8}{'ratio':>7}{'queries':>8}",
        ]
        for label, seconds, bound, queries in figures:
            ratio = f"{seconds / bound:>7.1f}" if bound else " " * 7
            bound = f"{bound:>8.3f}" if bound else " " * 8
            lines.append(f"{label:<66}{seconds:>8.3f}{bound}{ratio}{queries:>8}")
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))

    # The XLSX export

    def _xlsx_alone(self, sheets):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        for name, rows in sheets:
            sheet = workbook.add_worksheet(name)
            for index, row in enumerate(rows):
                sheet.write_row(index, 0, row)
        workbook.close()
        return output.getvalue()

    def _export_as_officer(self):
        """The export wizard of every class, as the lycée's BDE officer opens
        it; its button is what the measure clicks."""
        officer = new_test_user(
            self.env,
            login="bench_bde_officer",
            groups="base.group_user,bde_lycee.group_bde_officer",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        return (
            self.env["bde.allowance.export"]
            .with_user(officer)
            .create({"class_ids": [(6, 0, self.classes.ids)]})
        )

    def test_bench_allowance_export(self):
        export = self._export_as_officer()
        _action, export_time, export_queries = self._measure_median(
            export.action_export
        )
        content = base64.b64decode(export.file)
        sheets = export._prepare_sheets(export._get_placements())
        rows = sum(len(sheet_rows) for _name, sheet_rows in sheets)
        alone, alone_time, _queries = self._measure_median(
            lambda: self._xlsx_alone(sheets)
        )

        figures = [
            (
                f"XLSX export, whole, {rows} rows ({len(content) // 1024} KiB)",
                export_time,
                export_queries,
            ),
            (
                f"same rows with xlsxwriter alone ({len(alone) // 1024} KiB)",
                alone_time,
                "",
            ),
        ]
        lines = [f"{'measure':<56}{'seconds':>9}{'queries':>9}"]
        lines += [
            f"{label:<56}{seconds:>9.3f}{queries:>9}"
            for label, seconds, queries in figures
        ]
        lines.append(f"XLSX export: {export_time / alone_time:.1f}× xlsxwriter alone")
        print("\n".join(lines))
