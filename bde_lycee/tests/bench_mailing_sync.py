"""Benchmark of the synced mailing lists in a network (not a test: it prints
figures and asserts only that every list was made).

A network of 20 lycées has one synced list per lycée and kind (partners'
contacts, tutors, and alumni when bde_alumni is installed). It measures what a
change of a partner's e-mail costs (the partner hook syncs the partner in
every lycée's lists) and the daily sync of the whole address book.

Run with pytest (it is collected as bench_*.py); the figures appear under
"benchmark figures" of the report.
"""

import time

from odoo.tests import TransactionCase, tagged

LYCEES = 20
EDITS = 5


@tagged("post_install", "-at_install", "bde_lycee")
class BenchMailingSync(TransactionCase):
    def _measure(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        function()
        self.env.flush_all()
        return time.perf_counter() - start, self.cr.sql_log_count - queries

    def test_bench_mailing_sync(self):
        Company = self.env["res.company"]
        missing = LYCEES - Company.search_count([])
        Company.create([{"name": f"LP Bench {i}"} for i in range(missing)])
        MailingList = self.env["mailing.list"]
        MailingList._bde_sync_mailing_lists()
        lists = MailingList.search([("bde_sync_rule", "!=", False)])
        kinds = len(MailingList._fields["bde_sync_rule"].selection)
        self.assertEqual(len(lists), LYCEES * kinds)
        tutor = self.env["res.partner"].create(
            {
                "name": "Tuteur Bench",
                "email": "tuteur.bench@example.com",
                "bde_is_tutor": True,
                "company_id": self.env.company.id,
            }
        )
        edits = [
            self._measure(lambda i=i: tutor.write({"email": f"tuteur.{i}@example.com"}))
            for i in range(EDITS)
        ]
        seconds, queries = self._measure(MailingList._bde_sync_mailing_lists)
        lines = [
            f"synced mailing lists: {LYCEES} lycées, {len(lists)} lists",
            "a partner's e-mail changed (partner hook): "
            f"{sum(e[0] for e in edits) / EDITS:.3f} s, "
            f"{sum(e[1] for e in edits) // EDITS} queries (mean of {EDITS})",
            f"daily sync of the whole address book: {seconds:.2f} s, {queries} queries",
        ]
        # A benchmark prints its figures: pytest shows them under "benchmark figures".
        print("\n".join(lines))
