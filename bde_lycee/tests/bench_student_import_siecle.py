"""Benchmark of the student import from SIECLE's XML exports (not a test: it
prints figures and asserts only that the import did what it says).

A lycée of 40 classes imports ``ExportXML_ElevesSansAdresses.zip`` and
``ResponsablesAvecAdresses.xml`` of 2,000 students, each with two legal
guardians (BDE_BENCH_STUDENTS for another size; above 3,000 the wizard queues
a job, whose batches are run here one after the other, as the cron runs
them). It measures, median of BDE_BENCH_RUNS (3), beside the lower bounds in
the same run:

- the whole import (the Import button: reading, checking, writing);
- parsing both XML files alone with lxml, the library the reader uses (the
  floor of any reading);
- the reader (siecle_xml.py): the files parsed and turned into rows.

Run with pytest (collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import base64
import os
import statistics
import time

from lxml import etree

from odoo.tests import TransactionCase, tagged

from ..siecle_xml import read_files, to_rows
from .siecle_file import make_classes
from .siecle_xml_file import guardians_xml, many_students, students_xml, zipped

STUDENTS = int(os.environ.get("BDE_BENCH_STUDENTS", "2000"))
CLASSES = 40
RUNS = int(os.environ.get("BDE_BENCH_RUNS", "3"))
SCHOOL_YEAR = "2026-2027"
UAI = "0693456G"


class Rollback(Exception):
    """Raised to undo a measured run."""


@tagged("post_install", "-at_install", "-standard", "bde_lycee_bench")
class BenchStudentImportSiecle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lycee = cls.env["res.company"].create(
            {"name": "LP Bench SIECLE", "bde_uai": UAI}
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.lycee.ids)
        )
        classes = make_classes(cls.env, cls.lycee, CLASSES, SCHOOL_YEAR)
        students = many_students(
            STUDENTS, [(name, "24731213330") for name in classes.mapped("name")]
        )
        cls.students_xml = students_xml(students, UAI)
        cls.guardians_xml = guardians_xml(students, UAI)
        cls.zip = zipped({"ElevesSansAdresses.xml": cls.students_xml})

    def _timed(self, function):
        """Seconds and queries of ``function``, undone afterwards."""
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        started = time.perf_counter()
        try:
            with self.cr.savepoint():
                result = function()
                self.env.flush_all()
                seconds = time.perf_counter() - started
                self.last_result = result
                raise Rollback()
        except Rollback:
            self.env.invalidate_all()
        return seconds, self.cr.sql_log_count - queries

    def _median(self, function):
        runs = [self._timed(function) for _run in range(RUNS)]
        return statistics.median(s for s, _q in runs), max(q for _s, q in runs)

    def _import(self):
        wizard = self.env["bde.student.import"].create(
            {
                "file": base64.b64encode(self.zip),
                "file_name": "ExportXML_ElevesSansAdresses.zip",
                "guardian_file": base64.b64encode(self.guardians_xml),
                "guardian_file_name": "ResponsablesAvecAdresses.xml",
                "school_year": SCHOOL_YEAR,
            }
        )
        wizard.action_import()
        job = wizard.job_id.sudo()
        while job.state in ("queued", "running"):
            job._process_next_batch()
        return (
            wizard.created_count + job.created_count,
            len((job.student_ids or wizard.student_ids).bde_legal_guardian_id),
        )

    def _parse_only(self):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        etree.fromstring(self.students_xml, parser)
        etree.fromstring(self.guardians_xml, parser)

    def _read_only(self):
        students = read_files(self.zip, "ExportXML_ElevesSansAdresses.zip")[0]
        guardians = read_files(self.guardians_xml, "ResponsablesAvecAdresses.xml")[0]
        return to_rows(students, guardians)

    def test_bench_student_import_siecle(self):
        import_time, import_queries = self._median(self._import)
        created, guardians = self.last_result
        self.assertEqual(created, STUDENTS)
        parse_time, _q = self._median(self._parse_only)
        read_time, _q = self._median(self._read_only)
        self.assertEqual(len(self.last_result), STUDENTS)
        size = (len(self.zip) + len(self.guardians_xml)) / 1024 / 1024
        rows = [
            ("import (zip + guardians file)", import_time, import_queries),
            ("lxml parse of both files alone", parse_time, 0),
            ("reader: files to rows", read_time, 0),
        ]
        lines = [
            f"{STUDENTS} students, {guardians} guardians linked, {CLASSES} classes, "
            f"{size:.1f} MB uploaded; median of {RUNS}",
            f"{'measure':<34}{'seconds':>9}{'ratio':>8}{'ms/student':>12}"
            f"{'queries':>9}{'q/student':>11}",
        ]
        for label, seconds, queries in rows:
            lines.append(
                f"{label:<34}{seconds:>9.3f}{seconds / parse_time:>7.1f}x"
                f"{1000 * seconds / STUDENTS:>12.2f}{queries:>9}"
                f"{queries / STUDENTS:>11.3f}"
            )
        print("\n".join(lines))
