"""Benchmark of the batch geocoding (not a test: it prints figures and
asserts nothing about time).

1,000 students' homes of two lycées (``BDE_BENCH_GEOCODE=5000`` for more),
never geocoded, are geocoded by the cron against the Base Adresse Nationale
replayed by a local server (its CSV endpoint, a request per 1,000
addresses). Printed, median of 3 runs: the cron's run as a whole (requests,
reading the answer, writing the coordinates, the not-found flags), beside
its lower bounds: the requests and the reading of the answers alone (the
client), and the coordinates written by one SQL statement; with the
requests and queries of each.
"""

import os

from odoo.tests import TransactionCase

from ..ban_client import BanClient
from . import ban_replay
from .replay_server import ReplayServer, measure_calls

ADDRESSES = int(os.environ.get("BDE_BENCH_GEOCODE", "1000"))
RUNS = 3


class BenchGeocoding(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute(
            "UPDATE res_partner SET date_localization = CURRENT_DATE "
            "WHERE date_localization IS NULL"
        )
        lycees = cls.env["res.company"].create(
            [{"name": "LP Bench Jaurès"}, {"name": "LP Bench Lumière"}]
        )
        rows = ban_replay.recorded_rows()
        cls.homes = (
            cls.env["res.partner"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Élève {index}",
                        "bde_is_student": True,
                        "company_id": lycees[index % 2].id,
                        "street": rows[index % len(rows)]["street"],
                        "zip": rows[index % len(rows)]["postcode"],
                        "city": rows[index % len(rows)]["city"],
                    }
                    for index in range(ADDRESSES)
                ]
            )
        )

    def _reset(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET partner_latitude = 0, partner_longitude = 0, "
            "date_localization = NULL, bde_address_not_found = FALSE "
            "WHERE id IN %s",
            [tuple(self.homes.ids)],
        )
        self.env.invalidate_all()

    def _client_alone(self):
        client = BanClient(self.env)
        for start in range(0, len(self.homes), client.batch_size):
            batch = self.homes[start : start + client.batch_size]
            client.search_batch({str(p.id): (p.street, p.zip, p.city) for p in batch})

    def _one_update(self):
        self.env.cr.execute(
            "UPDATE res_partner SET partner_latitude = 45.76, "
            "partner_longitude = 4.83, date_localization = CURRENT_DATE "
            "WHERE id IN %s",
            [tuple(self.homes.ids)],
        )

    def test_bench_geocoding(self):
        partners = self.env["res.partner"]
        with ReplayServer(ban_replay.ANSWERS) as server:
            server.point(self.env, "bde_lycee.ban_url")
            figures = {
                "cron run (whole)": measure_calls(
                    self.env,
                    server,
                    lambda: partners._cron_bde_geocode(limit=ADDRESSES),
                    self._reset,
                    RUNS,
                )
            }
            located = len(self.homes.filtered("date_localization"))
            not_found = len(self.homes.filtered("bde_address_not_found"))
            figures["client alone (requests + answers read)"] = measure_calls(
                self.env, server, self._client_alone, self._reset, RUNS
            )
            figures["coordinates in one SQL UPDATE"] = measure_calls(
                self.env, server, self._one_update, self._reset, RUNS
            )
        print(f"\nBatch geocoding of {ADDRESSES} addresses (median of {RUNS} runs)")
        whole = figures["cron run (whole)"][0]
        for label, (seconds, requests, queries) in figures.items():
            print(
                f"  {label:42} {seconds * 1000:8.0f} ms  {requests:3} request(s) "
                f"{queries:6} queries  x{whole / seconds:5.1f}"
            )
        print(f"  cron: {located} located, {not_found} flagged address not found")
