"""Benchmark of the SIRENE check of a list of companies (not a test: it
prints figures and asserts nothing about time).

200 companies (the most one action checks; ``BDE_BENCH_SIRENE`` for fewer)
are checked against the SIRENE directory replayed by a local server in its
records/1.0/search format (20 SIRETs a request, one in ten closed). Printed,
median of 3 runs: the list action as a whole (requests, reading the answers,
writing the states, the mailing lists' sync), beside its lower bounds: the
same requests sent by the client alone, and the states written by one SQL
statement; with the requests and queries of each.
"""

import json
import os

from stdnum import luhn

from odoo.tests import TransactionCase

from ..models.res_partner_sirene import SIRENE_BATCH, SIRENE_REFRESH_MAX
from ..sirene_client import SireneClient
from .replay_server import Answer, ReplayServer, measure_calls

COMPANIES = min(int(os.environ.get("BDE_BENCH_SIRENE", "200")), SIRENE_REFRESH_MAX)
RUNS = 3
FIELDS = {
    "denominationunitelegale": "ENTREPRISE BENCH",
    "adresseetablissement": "12 RUE DE GERLAND",
    "codepostaletablissement": "69007",
    "libellecommuneetablissement": "LYON",
    "etatadministratifetablissement": "Actif",
}


def _answer(request):
    """The directory's records of the SIRETs asked; every tenth closed."""
    sirets = [t.removeprefix("siret:") for t in request.query["q"][0].split(" OR ")]
    records = []
    for siret in sirets:
        fields_ = {**FIELDS, "siret": siret, "siren": siret[:9], "nic": siret[9:]}
        if int(siret[9:13]) % 10 == 0:
            fields_["etatadministratifetablissement"] = "Fermé"
            fields_["datefermetureetablissement"] = "2025-06-30"
        records.append({"datasetid": "bench", "recordid": siret, "fields": fields_})
    body = {"nhits": len(records), "parameters": {}, "records": records}
    return Answer(body=json.dumps(body).encode())


class BenchSireneRefresh(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        bases = [f"798765434{i:04d}" for i in range(1, COMPANIES + 1)]
        cls.companies = (
            cls.env["res.partner"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Entreprise {i}",
                        "is_company": True,
                        "siret": base + luhn.calc_check_digit(base),
                    }
                    for i, base in enumerate(bases)
                ]
            )
        )

    def _reset(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET bde_sirene_closed = FALSE, "
            "bde_sirene_closed_date = NULL, bde_sirene_checked_on = NULL "
            "WHERE id IN %s",
            [tuple(self.companies.ids)],
        )
        self.env.invalidate_all()

    def _client_alone(self):
        client = SireneClient(self.env)
        sirets = self.companies.mapped("siret")
        for start in range(0, len(sirets), SIRENE_BATCH):
            batch = sirets[start : start + SIRENE_BATCH]
            client.search(
                {"q": " OR ".join(f"siret:{s}" for s in batch), "rows": len(batch)}
            )

    def _one_update(self):
        self.env.cr.execute(
            "UPDATE res_partner SET bde_sirene_closed = (id %% 10 = 0), "
            "bde_sirene_checked_on = CURRENT_DATE WHERE id IN %s",
            [tuple(self.companies.ids)],
        )

    def test_bench_sirene_refresh(self):
        with ReplayServer({("GET", "/search/"): _answer}) as server:
            server.point(self.env, SireneClient.url_parameter)
            figures = {
                "list action (whole)": measure_calls(
                    self.env,
                    server,
                    self.companies.action_bde_sirene_refresh,
                    self._reset,
                    RUNS,
                )
            }
            closed = len(self.companies.filtered("bde_sirene_closed"))
            figures["client alone (requests + answers read)"] = measure_calls(
                self.env, server, self._client_alone, self._reset, RUNS
            )
            figures["states in one SQL UPDATE"] = measure_calls(
                self.env, server, self._one_update, self._reset, RUNS
            )
        print(f"\nSIRENE check of {COMPANIES} companies (median of {RUNS} runs)")
        whole = figures["list action (whole)"][0]
        for label, (seconds, requests, queries) in figures.items():
            print(
                f"  {label:42} {seconds * 1000:8.0f} ms  {requests:3} request(s) "
                f"{queries:6} queries  x{whole / seconds:5.1f}"
            )
        print(f"  list action: {closed} flagged closed")
