"""The public forms' counters under parallel requests: a flood sends the same
token, or from the same address, in several requests at once, each having
taken its snapshot before the others counted.

The transactions are real: each worker thread has its own cursor and commits,
as parallel HTTP requests do, and retries a serialization failure as Odoo's
HTTP layer does (``odoo.service.model.retrying``). The counters they write are
removed at the end."""

import threading

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

WORKERS = 4
KEY = "client:test-form-counter-concurrency"
WORKER_TIMEOUT = 60


@tagged("post_install", "-at_install", "bde_lycee")
class TestFormCounterConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.window = fields.Datetime.now().replace(microsecond=0)
        self.addCleanup(self._remove_counters)

    def _remove_counters(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM bde_form_counter WHERE key = %s", [KEY])

    def _count_once(self, barrier, counts, errors):
        """One request: take its snapshot, wait until every request has
        taken its own, then count."""
        first_try = [True]
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def request():
                    env["bde.form.counter"].search_count([("key", "=", KEY)])
                    if first_try[0]:
                        first_try[0] = False
                        barrier.wait(WORKER_TIMEOUT)
                    return env["bde.form.counter"]._increment(KEY, self.window)

                counts.append(retrying(request, env))
        except Exception as error:  # reported by the test
            errors.append(error)

    def test_parallel_requests_are_each_counted_once(self):
        with self.registry.cursor() as cr:
            self.assertNotIsInstance(cr, sql_db.TestCursor, "workers need a cursor")
        barrier = threading.Barrier(WORKERS)
        counts, errors = [], []
        workers = [
            threading.Thread(target=self._count_once, args=(barrier, counts, errors))
            for _worker in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(WORKER_TIMEOUT)
        self.assertFalse(errors)
        # Each request saw the others' counts: with a limit of 1 (a token's
        # nonce), exactly one passes; with a limit of n, exactly n.
        self.assertEqual(sorted(counts), list(range(1, WORKERS + 1)))
