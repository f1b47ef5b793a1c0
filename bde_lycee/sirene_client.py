"""The SIRENE directory of companies, as opendatasoft publishes it (dataset
economicref-france-sirene-v3, API records/1.0/search): the client through
which OCA's SIRET lookup (l10n_fr_siret_lookup) reaches it."""

from .service_client import ServiceClient

SIRENE_DATASET = "economicref-france-sirene-v3@public"


class SireneClient(ServiceClient):
    service_name = "SIRENE directory (opendatasoft)"
    url_parameter = "bde_lycee.sirene_url"
    default_url = "https://data.opendatasoft.com/api/records/1.0"
    timeout = 10

    def search(self, params):
        """The answer of records/1.0/search to OCA's ``params`` (q, rows,
        fields; the dataset is set here)."""
        return self.get_json("search/", params={**params, "dataset": SIRENE_DATASET})
