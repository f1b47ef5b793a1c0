"""The yearly cap of the PFMP allowance under concurrent writes: two
transactions save the days done of two placements of one student at the same
time, each having read the student's amounts before the other saved.

The transactions are real: each worker thread has its own cursor and commits,
as two users' requests do, and retries a serialization failure as Odoo's RPC
and HTTP layers do (``odoo.service.model.retrying``). The test's own
transaction would hide its records from the workers, so the records are
committed by a cursor of their own and removed at the end."""

import threading

from odoo import SUPERUSER_ID, api, sql_db
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

TRIALS = 5
SCHOOL_YEAR = "2035-2036"
MEF_CODE = "9999999991"
DAILY_RATE = 40
YEARLY_CAP = 1000
# 20 days × 40 € = 800 € a placement: the two together pass the cap.
DAYS = 20
# Creation and writes without chatter: the workers measure only the rule.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
WORKER_TIMEOUT = 60


@tagged("post_install", "-at_install", "bde_pfmp")
class TestAllowanceConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.records = {}
        self.addCleanup(self._remove_records)
        with self.registry.cursor() as cr:
            self._create_records(api.Environment(cr, SUPERUSER_ID, QUIET))

    def _create_records(self, env):
        lycee = env.ref("base.main_company")
        formation = env["bde.formation"].create(
            {"name": "Bac pro concurrence", "level": "bac_pro", "duration_years": 3}
        )
        school_class = env["bde.class"].create(
            {
                "name": "T concurrence",
                "formation_id": formation.id,
                "school_year": SCHOOL_YEAR,
                "mef_code": MEF_CODE,
                "mef_stat4": "2383",
                "company_id": lycee.id,
            }
        )
        rate = env["bde.allowance.rate"].create(
            {
                "school_year": SCHOOL_YEAR,
                "mef_code": MEF_CODE,
                "mef_stat4": "2383",
                "daily_rate": DAILY_RATE,
                "yearly_cap": YEARLY_CAP,
            }
        )
        student = env["res.partner"].create(
            {
                "name": "Élève Concurrence",
                "bde_is_student": True,
                "bde_birthdate": "2018-01-10",
                "bde_class_id": school_class.id,
                "company_id": lycee.id,
            }
        )
        placements = env["bde.pfmp.placement"].create(
            [
                {
                    "student_id": student.id,
                    "class_id": school_class.id,
                    "date_start": start,
                    "date_end": end,
                }
                for start, end in (
                    ("2035-11-05", "2035-11-30"),
                    ("2036-02-04", "2036-02-29"),
                )
            ]
        )
        self.records = {
            "bde.pfmp.placement": placements.ids,
            "res.partner": student.ids,
            "bde.allowance.rate": rate.ids,
            "bde.class": school_class.ids,
            "bde.formation": formation.ids,
        }

    def _remove_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            for model, ids in self.records.items():
                env[model].browse(ids).exists().unlink()

    def _reset_days(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            env["bde.pfmp.placement"].browse(self.records["bde.pfmp.placement"]).write(
                {"days_done": 0}
            )

    def _save_days(self, placement_id, barrier, errors):
        """One user's request: read the student's amounts (as the form does
        before saving; the transaction's snapshot is taken there), wait for
        the other request to have read too, then save the days done."""
        first_try = [True]
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, QUIET)

                def request():
                    placement = env["bde.pfmp.placement"].browse(placement_id)
                    placement._allowance_siblings().mapped("allowance_amount")
                    if first_try[0]:
                        first_try[0] = False
                        barrier.wait(WORKER_TIMEOUT)
                    placement.write({"days_done": DAYS})

                retrying(request, env)
        except Exception as error:
            errors.append(error)

    def _amounts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                # An amount never set is NULL: it counts as 0.
                "SELECT COALESCE(allowance_amount, 0) FROM bde_pfmp_placement "
                "WHERE id IN %s "
                "ORDER BY date_start",
                [tuple(self.records["bde.pfmp.placement"])],
            )
            return [amount for (amount,) in cr.fetchall()]

    def test_cap_holds_when_two_placements_are_saved_together(self):
        with self.registry.cursor() as cr:
            self.assertNotIsInstance(cr, sql_db.TestCursor, "workers need a cursor")
        for trial in range(TRIALS):
            self._reset_days()
            self.assertEqual(self._amounts(), [0, 0])
            barrier = threading.Barrier(2)
            errors = []
            workers = [
                threading.Thread(
                    target=self._save_days, args=(placement_id, barrier, errors)
                )
                for placement_id in self.records["bde.pfmp.placement"]
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(WORKER_TIMEOUT)
            self.assertFalse(errors, f"trial {trial}")
            amounts = self._amounts()
            # The earlier placement gets its 800 €, the later what is left.
            with self.subTest(trial=trial):
                self.assertLessEqual(sum(amounts), YEARLY_CAP)
                self.assertEqual(
                    amounts, [DAYS * DAILY_RATE, YEARLY_CAP - DAYS * DAILY_RATE]
                )
