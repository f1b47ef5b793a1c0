"""Benchmark of a network of lycées in one database: every operation of issue
14's table beside its lower bound (not a test: it prints figures and asserts
only that each operation did its work).

The network is grown by ``network_builder``: per lycée 1,200 students, 250
host companies with 4 tutors each (shared with the next lycée), 250 offers,
about 9,600 placements over three school years, 3,700 host ratings, 400 alumni
with 1,100 situations; built through the ORM's batch create in the test
transaction and rolled back.

Sizes, from the environment:

- ``BDE_BENCH_LYCEES`` (default 2): lycées of the network; 20 for issue 14's
  table (24,000 students, 192,000 placements; the build alone takes 15 to 40
  minutes on 2 CPUs: run it alone with pytest's ``--timeout 0``, as the
  15-minute limit of ``pytest.ini`` would stop it).
- ``BDE_BENCH_SCALE`` (default 1): share of the per-lycée counts above.
- ``BDE_BENCH_REPORT_AT`` (e.g. ``5,10,15``): sizes at which the table is
  also printed while the network grows.
- ``BDE_BENCH_BIG_IMPORT`` (e.g. 50000): rows of a big SIECLE file imported
  through its job (not run by default).

The default (2 lycées of full size) keeps every per-lycée operation on a lycée
of real size: about 80 s of Python CPU time (8 minutes of wall time on the
shared, loaded 2-CPU machine of December 2026). The first lycée is built alone
and its growth operations measured (1×), then the network is grown to N
lycées and every operation measured (N×): the last column gives both. The
tables are analysed once built, as autovacuum keeps a live database.

Each operation is timed whole, as a user's click reaches it (wizard actions,
``web_search_read`` with the view's fields, domain and context, the cron's
"Run manually"), as the user of the right role: the measured lycée's teacher
or BDE manager, a BDE manager of every lycée (``allowed_company_ids`` of all),
an administrator for the national table and the cron. Median of 3 runs, each
from the same state (savepoint rolled back); an operation whose first run
takes longer than ``BDE_BENCH_SLOW`` seconds (default 10) is run once, so that
the default size stays within CI's time. Query counts are those of the median
run. No timing is asserted: only ratios and growth count on a shared machine.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import os
import sys
import time

from odoo.tests import TransactionCase, tagged

from . import network_ops
from .network_builder import NetworkBuilder

LYCEES = max(int(os.environ.get("BDE_BENCH_LYCEES", "2")), 1)
SCALE = float(os.environ.get("BDE_BENCH_SCALE", "1"))
SLOW = float(os.environ.get("BDE_BENCH_SLOW", "10"))
BIG_IMPORT = int(os.environ.get("BDE_BENCH_BIG_IMPORT", "0"))
# Network sizes at which the table is printed, besides the last one.
REPORT_AT = {
    int(size) for size in os.environ.get("BDE_BENCH_REPORT_AT", "").split(",") if size
} | {LYCEES}
RUNS = 3
PROGRESS = os.environ.get("BDE_BENCH_PROGRESS")


class Figure:
    def __init__(self, seconds, queries, runs, result=None):
        self.seconds, self.queries, self.runs, self.result = (
            seconds,
            queries,
            runs,
            result,
        )


@tagged("post_install", "-at_install", "-standard", "bde_alumni_bench")
class BenchNetwork(TransactionCase):
    def _measure(self, operation, prepare=None, rollback=True):
        """Median time and queries of ``operation`` over RUNS runs, each from
        the same state: ``prepare`` before it (not timed), a savepoint rolled
        back after it."""
        runs = []
        for _run in range(RUNS):
            savepoint = self.cr.savepoint() if rollback else None
            if prepare:
                prepare()
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.cr.sql_log_count
            started = time.perf_counter()
            result = operation()
            self.env.flush_all()
            runs.append(
                (time.perf_counter() - started, self.cr.sql_log_count - queries, result)
            )
            if savepoint:
                savepoint.close(rollback=True)
                self.env.transaction.clear()
            if PROGRESS:
                print(
                    f"  {operation.__qualname__}: {runs[-1][0]:.3f} s",
                    file=sys.stderr,
                    flush=True,
                )
            if runs[0][0] > SLOW:
                break
        seconds, queries, result = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        return Figure(seconds, queries, len(runs), result)

    def test_bench_network(self):
        started = time.perf_counter()
        builder = NetworkBuilder(self.env, scale=SCALE)
        builder.add_lycee()
        builder.analyze()
        ops = network_ops.NetworkOperations(self, builder)
        ops.big_import_rows = BIG_IMPORT
        before = {key: self._measure_row(ops, key)[0] for key in network_ops.GROWTH}
        one_time = time.perf_counter() - started
        if LYCEES == 1:
            self._report(ops, builder, before, started, one_time)
        for size in range(2, LYCEES + 1):
            builder.add_lycee()
            self._progress(
                f"{builder.describe()}: {time.perf_counter() - started:.0f} s"
            )
            if size in REPORT_AT:
                builder.analyze()
                self._report(ops, builder, before, started, one_time)

    def _progress(self, text):
        if PROGRESS:
            print(f"  {text}", file=sys.stderr, flush=True)

    def _measure_row(self, ops, key):
        """The operation and its lower bound, from the network as it is: what
        they leave (an imported file, synced lists) is rolled back."""
        savepoint = self.cr.savepoint()
        try:
            return ops.measure(key), ops.lower_bound(key)
        finally:
            savepoint.close(rollback=True)
            self.env.transaction.clear()

    def _report(self, ops, builder, before, started, one_time):
        size = len(builder.lycees)
        lines = [
            f"network: {builder.describe()}",
            f"built in {time.perf_counter() - started:.0f} s (the first lycée and "
            f"its 1× figures: {one_time:.0f} s); median of {RUNS} runs, single run "
            f"past {SLOW:.0f} s",
            "",
            f"| operation | suite | lower bound | ratio | queries | 1× → {size}× |",
            "|---|---|---|---|---|---|",
        ]
        for key, label in network_ops.ROWS:
            if key == "import_big" and not BIG_IMPORT:
                lines.append(f"| {label} | not run (BDE_BENCH_BIG_IMPORT=50000) |||||")
                continue
            suite, bound = self._measure_row(ops, key)
            self._check(key, suite, bound)
            lines.append(self._row(label, suite, bound, before.get(key)))
        big = (
            f"Big SIECLE file: {BIG_IMPORT:,} rows, its longest request (the "
            f"wizard's or one batch's) {ops.longest_request:.1f} s. "
            if BIG_IMPORT
            else ""
        )
        lines.append(
            f"XLSX export: {ops.xlsx_rows:,} placements. {big}"
            "Install time of the suite: not measured here. Lower bounds: one SQL "
            "query (allowance totals, subscriptions diff, indicators of the lycée), "
            "INSERT … SELECT (first fill), SQL insert/update (imports), "
            "search_read of the page's rows (host directory), one SQL query and "
            "xlsxwriter alone (export)."
        )
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines), flush=True)

    def _check(self, key, suite, bound):
        """Each operation did its work: what its lower bound computes."""
        if key in network_ops.SAME_RESULT:
            self.assertEqual(suite.result, bound.result, key)
        elif key == "sync_steady":
            self.assertEqual(bound.result, 0, "the cron left a partner out")
        else:
            self.assertTrue(suite.result, key)

    def _row(self, label, suite, bound, before):
        runs = "" if suite.runs == RUNS else f" ({suite.runs} run)"
        cells = [label, f"{suite.seconds:.3f} s{runs}"]
        if bound:
            cells += [
                f"{bound.seconds:.4f} s",
                f"{suite.seconds / max(bound.seconds, 1e-6):.1f}×",
            ]
        else:
            cells += ["—", "—"]
        cells.append(str(suite.queries))
        cells.append(
            f"{before.seconds * 1000:.0f} → {suite.seconds * 1000:.0f} ms, "
            f"{before.queries} → {suite.queries} q"
            if before
            else ""
        )
        return "| " + " | ".join(cells) + " |"
