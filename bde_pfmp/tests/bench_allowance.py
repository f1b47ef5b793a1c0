"""Benchmark of the PFMP allowances (not a test: it prints figures and asserts
only that the ORM and SQL totals agree).

A lycée of 1,200 students in 3 bac pro formations × 3 years of study, over 3
school years, with 2 or 3 placements per student and school year (about 9,600
placements), all built in the test transaction and rolled back. It measures:

- the recompute of one school year's allowances through the ORM
  (``_recompute_allowance``), against the same per-student totals computed in
  one SQL query, and against the same recompute without the lock of the
  students' rows that keeps the yearly cap under concurrent writes (what the
  lock costs);
- the whole XLSX export of every placement (its classes chosen in the wizard
  and its button clicked by the lycée's BDE officer: reading the rows, the
  cumulated figures and APLyPro's checks, then writing the file), against the
  same rows written with xlsxwriter alone (median of 3).

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import base64
import io
import random
import statistics
import time
from datetime import date
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.misc import xlsxwriter

STUDENTS = 1200
SCHOOL_YEARS = ("2023-2024", "2024-2025", "2025-2026")
MEASURED_YEAR = "2025-2026"
# (name, MEF prefix): three bac pro formations of the lycée.
FORMATIONS = (
    ("Bac pro Métiers du commerce et de la vente", "24731213"),
    ("Bac pro Métiers de l'électricité", "24025510"),
    ("Bac pro Logistique", "24031105"),
)
# Bac pro levels: 2nde, 1re, Tle (shipped level defaults for every year).
LEVELS = ("2381", "2382", "2383")
# Placement windows of a school year, as (month, day) offsets from its start
# year: November, February, May; 4 weeks each.
WINDOWS = (((0, 11, 3), (0, 11, 28)), ((1, 2, 2), (1, 2, 27)), ((1, 5, 4), (1, 5, 29)))
XLSX_RUNS = 3
BATCH = 2000
# Creation context: no chatter messages nor tracking for generated records.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}

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
         WHERE p.school_year = %(year)s AND p.company_id = %(company)s
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
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench Condorcet", "bde_uai": "0123450K"}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        cls.classes = cls._create_classes()
        cls.students = cls._create_students()
        cls.hosts = cls._create_hosts()
        cls.placements = cls._create_placements()
        cls.setup_time = time.perf_counter() - started

    @classmethod
    def _create_classes(cls):
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
                            "company_id": cls.lycee.id,
                        }
                    )
        return cls.env["bde.class"].create(values)

    @classmethod
    def _create_students(cls):
        values = [
            {
                "name": f"Élève{index} Bench{index:04d}",
                "bde_is_student": True,
                "bde_ine": f"{index:010d}B",
                "bde_birthdate": date(2007 + index % 3, 1 + index % 12, 1 + index % 28),
                "street": f"{index} rue de l'École",
                "zip": "75011",
                "city": "Paris",
                "company_id": cls.lycee.id,
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
    def _placement_values(cls):
        classes_by_year = {
            year: cls.classes.filtered(lambda c, y=year: c.school_year == y)
            for year in SCHOOL_YEARS
        }
        for year in SCHOOL_YEARS:
            start_year = int(year[:4])
            year_classes = classes_by_year[year]
            for index, student in enumerate(cls.students):
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
    def _create_placements(cls):
        placements = cls.env["bde.pfmp.placement"]
        batch = []
        for values in cls._placement_values():
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

    def _reset_amounts(self):
        """Every amount of the year is rewritten: start from zero."""
        self.cr.execute(
            "UPDATE bde_pfmp_placement SET allowance_amount = 0 "
            "WHERE school_year = %s AND company_id = %s",
            (MEASURED_YEAR, self.lycee.id),
        )

    def _orm_recompute_without_lock(self):
        Placement = type(self.env["bde.pfmp.placement"])
        with patch.object(Placement, "_lock_allowance_students", lambda *args: None):
            return self._orm_recompute()

    def _orm_recompute(self):
        placements = self.env["bde.pfmp.placement"].search(
            [("school_year", "=", MEASURED_YEAR), ("company_id", "=", self.lycee.id)]
        )
        placements._recompute_allowance()
        return placements

    def _orm_totals(self, placements):
        groups = self.env["bde.pfmp.placement"]._read_group(
            [("id", "in", placements.ids)], ["student_id"], ["allowance_amount:sum"]
        )
        return {student.id: round(total, 2) for student, total in groups}

    def _sql_totals(self):
        self.cr.execute(
            PER_STUDENT_SQL, {"year": MEASURED_YEAR, "company": self.lycee.id}
        )
        return {
            student: round(float(total), 2) for student, total in self.cr.fetchall()
        }

    def _xlsx_alone(self, sheets):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        for name, rows in sheets:
            sheet = workbook.add_worksheet(name)
            for index, row in enumerate(rows):
                sheet.write_row(index, 0, row)
        workbook.close()
        return output.getvalue()

    def _measure_median(self, function):
        """``_measure`` run XLSX_RUNS times: last result, median seconds and
        queries."""
        runs = [self._measure(function) for _run in range(XLSX_RUNS)]
        return (
            runs[-1][0],
            statistics.median(run[1] for run in runs),
            statistics.median(run[2] for run in runs),
        )

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

    def test_bench_allowance(self):
        self._reset_amounts()
        placements, orm_time, orm_queries = self._measure(self._orm_recompute)
        self._reset_amounts()
        _placements, unlocked_time, unlocked_queries = self._measure(
            self._orm_recompute_without_lock
        )
        students = placements.student_id
        _result, lock_time, lock_queries = self._measure(
            lambda: placements._lock_allowance_students(students)
        )
        sql_totals, sql_time, sql_queries = self._measure(self._sql_totals)
        self.assertEqual(self._orm_totals(placements), sql_totals)

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
                f"recompute {MEASURED_YEAR} via ORM ({len(placements)} placements)",
                orm_time,
                orm_queries,
            ),
            (
                "same recompute without the students' lock",
                unlocked_time,
                unlocked_queries,
            ),
            (
                f"the students' lock alone ({len(students)} students)",
                lock_time,
                lock_queries,
            ),
            ("same per-student totals in one SQL query", sql_time, sql_queries),
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
        lines = [
            f"data: {len(self.students)} students, {len(self.classes)} classes, "
            f"{len(self.placements)} placements, built in {self.setup_time:.1f} s",
            f"{'measure':<56}{'seconds':>9}{'queries':>9}",
        ]
        lines += [
            f"{label:<56}{seconds:>9.3f}{queries:>9}"
            for label, seconds, queries in figures
        ]
        lines.append(f"XLSX export: {export_time / alone_time:.1f}× xlsxwriter alone")
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
