"""Benchmark of the SIECLE student import (not a test: it prints figures and
asserts only that the import did what it says).

A lycée of 40 classes imports a SIECLE file of 1,200 students, most with a
legal guardian (BDE_BENCH_STUDENTS=50000 for a network-sized file, which the
wizard queues as a job: its batches are run here one after the other, as the
cron runs them). It measures, median of 3, beside the lower bound in the same
run:

- the import that creates every student and guardian (the Import button:
  checking the file, then writing), against one raw SQL INSERT of the same
  rows, and against the ORM's own floor: one create() of the same values per
  model, without reading nor checking the file;
- the re-import of the same file, which changes nothing, against one raw SQL
  UPDATE of the same rows.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import base64
import os
import statistics
import time

from odoo.tests import TransactionCase, tagged

from ..models.bde_student_import_write import IMPORT_CONTEXT
from .siecle_file import make_classes, make_siecle_csv, student_row

STUDENTS = int(os.environ.get("BDE_BENCH_STUDENTS", "1200"))
CLASSES = 40
RUNS = int(os.environ.get("BDE_BENCH_RUNS", "3"))
SCHOOL_YEAR = "2026-2027"


class Rollback(Exception):
    """Raised to undo a measured run."""


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class BenchStudentImport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench Import", "bde_uai": "0693456G"}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        cls.classes = make_classes(cls.env, cls.lycee, CLASSES, SCHOOL_YEAR)
        cls.class_names = cls.classes.mapped("name")
        cls.data = make_siecle_csv(STUDENTS, cls.class_names)

    def _measure(self, function):
        """Run ``function``; return its result, seconds and queries."""
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        started = time.perf_counter()
        result = function()
        self.env.flush_all()
        return result, time.perf_counter() - started, self.cr.sql_log_count - queries

    def _median(self, function, undo):
        """Median seconds and queries of ``RUNS`` runs of ``function``, each
        undone when ``undo``."""
        runs = []
        for _run in range(RUNS):
            try:
                with self.cr.savepoint():
                    runs.append(self._measure(function)[1:])
                    if undo:
                        raise Rollback()
            except Rollback:
                self.env.invalidate_all()
        return statistics.median(s for s, _q in runs), max(q for _s, q in runs)

    def _import(self):
        """The Import button, then the batches of the job it may queue."""
        wizard = self.env["bde.student.import"].create(
            {
                "file": base64.b64encode(self.data),
                "file_name": "siecle.csv",
                "school_year": SCHOOL_YEAR,
            }
        )
        wizard.action_import()
        job = wizard.job_id.sudo()
        while job.state in ("queued", "running"):
            started = time.perf_counter()
            job._process_next_batch()
            self.slowest_batch = max(self.slowest_batch, time.perf_counter() - started)
        return wizard

    # Lower bounds: the same rows written by raw SQL

    def _sql_values(self):
        class_ids = dict(zip(self.class_names, self.classes.ids, strict=True))
        for index in range(STUDENTS):
            row = student_row(index, self.class_names)
            day, month, year = row[3].split("/")
            yield row, class_ids[row[4]], f"{year}-{month}-{day}"

    def _orm_create(self):
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        guardians, students = {}, []
        france = self.env.ref("base.fr").id
        for row, class_id, birthdate in self._sql_values():
            guardians.setdefault(
                row[11],
                {
                    "name": row[10],
                    "email": row[11],
                    "phone": row[12],
                    "company_id": self.lycee.id,
                },
            )
            students.append((row, class_id, birthdate))
        guardian_ids = dict(
            zip(guardians, Partner.create(list(guardians.values())).ids, strict=True)
        )
        Partner.create(
            [
                {
                    "name": f"{row[2]} {row[1]}",
                    "is_company": False,
                    "active": True,
                    "bde_is_student": True,
                    "bde_ine": row[0],
                    "bde_birthdate": birthdate,
                    "bde_class_id": class_id,
                    "email": row[5],
                    "mobile": row[6],
                    "street": row[7],
                    "zip": row[8],
                    "city": row[9],
                    "country_id": france,
                    "bde_legal_guardian_id": guardian_ids[row[11]],
                    "company_id": self.lycee.id,
                }
                for row, class_id, birthdate in students
            ]
        )
        Partner._bde_sync_pending_mailing_lists()

    def _sql_insert(self):
        guardians = {}
        students = []
        for row, class_id, birthdate in self._sql_values():
            guardians.setdefault(row[11], (row[10], row[11], row[12]))
            students.append((row, class_id, birthdate))
        self.cr.execute(
            # autopost_bills: accounting's NOT NULL column (its default)
            "INSERT INTO res_partner (name, email, phone, company_id, active, type,"
            " autopost_bills)"
            " SELECT v.name, v.email, v.phone, %s, true, 'contact', 'ask'"
            " FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[])"
            " AS v(name, email, phone) RETURNING email, id",
            [self.lycee.id, *map(list, zip(*guardians.values(), strict=True))],
        )
        guardian_ids = dict(self.cr.fetchall())
        columns = list(
            zip(
                *(
                    (
                        f"{row[2]} {row[1]}",
                        row[0],
                        birthdate,
                        class_id,
                        row[5],
                        row[6],
                        row[7],
                        row[8],
                        row[9],
                        guardian_ids[row[11]],
                    )
                    for row, class_id, birthdate in students
                ),
                strict=True,
            )
        )
        self.cr.execute(
            "INSERT INTO res_partner (name, bde_ine, bde_birthdate, bde_class_id,"
            " email, mobile, street, zip, city, bde_legal_guardian_id, company_id,"
            " bde_is_student, active, type, autopost_bills)"
            " SELECT v.*, %s, true, true, 'contact', 'ask' FROM unnest(%s::varchar[],"
            " %s::varchar[], %s::date[], %s::int[], %s::varchar[], %s::varchar[],"
            " %s::varchar[], %s::varchar[], %s::varchar[], %s::int[]) AS v",
            [self.lycee.id, *map(list, columns)],
        )

    def _sql_update(self):
        columns = list(
            zip(
                *(
                    (row[0], f"{row[2]} {row[1]}", birthdate, class_id, row[5], row[6])
                    for row, class_id, birthdate in self._sql_values()
                ),
                strict=True,
            )
        )
        self.cr.execute(
            "UPDATE res_partner p SET name = v.name, bde_birthdate = v.birthdate,"
            " bde_class_id = v.class_id, email = v.email, mobile = v.mobile"
            " FROM unnest(%s::varchar[], %s::varchar[], %s::date[], %s::int[],"
            " %s::varchar[], %s::varchar[]) AS v(ine, name, birthdate, class_id,"
            " email, mobile) WHERE p.bde_ine = v.ine AND p.company_id = %s",
            [*map(list, columns), self.lycee.id],
        )

    def test_bench_student_import(self):
        self.slowest_batch = 0
        create_time, create_queries = self._median(self._import, undo=True)
        insert_time, insert_queries = self._median(self._sql_insert, undo=True)
        orm_time, orm_queries = self._median(self._orm_create, undo=True)
        wizard, _seconds, _queries = self._measure(self._import)
        students = wizard.job_id.student_ids or wizard.student_ids
        self.assertEqual(len(students), STUDENTS)
        guardians = students.bde_legal_guardian_id
        again_time, again_queries = self._median(self._import, undo=False)
        update_time, update_queries = self._median(self._sql_update, undo=True)
        rows = [
            ("import (creates)", create_time, create_queries, insert_time),
            ("SQL INSERT of the same rows", insert_time, insert_queries, insert_time),
            ("ORM create() of the same values", orm_time, orm_queries, insert_time),
            ("re-import of the same file", again_time, again_queries, update_time),
            ("SQL UPDATE of the same rows", update_time, update_queries, update_time),
        ]
        lines = [
            f"{STUDENTS} students, {len(guardians)} guardians, {CLASSES} classes; "
            f"median of {RUNS}",
            f"{'measure':<32}{'seconds':>9}{'ratio':>8}{'queries':>9}{'/student':>10}",
        ]
        for label, seconds, queries, bound in rows:
            lines.append(
                f"{label:<32}{seconds:>9.3f}{seconds / bound:>7.1f}x"
                f"{queries:>9}{queries / STUDENTS:>10.2f}"
            )
        if self.slowest_batch:
            lines.append(
                f"queued as a job: slowest batch {self.slowest_batch:.2f} s "
                f"({type(self.env['bde.student.import.job'])._bde_batch_size} rows)"
            )
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
