"""Client of the Base Adresse Nationale (api-adresse.data.gouv.fr): French
addresses to coordinates, one at a time (GET /search/, GeoJSON) or a batch
per request (POST /search/csv/, a CSV answered with result columns)."""

import csv
import io

from odoo import _
from odoo.exceptions import UserError

from .service_client import ServiceClient

# The columns sent, and the result columns asked back for each row.
CSV_COLUMNS = ("bde_id", "street", "postcode", "city")
RESULT_COLUMNS = ("latitude", "longitude", "result_score", "result_type")


class BanClient(ServiceClient):
    service_name = "Base Adresse Nationale"
    url_parameter = "bde_lycee.ban_url"
    default_url = "https://api-adresse.data.gouv.fr"
    # The service takes files of several MB; a cap keeps each request short
    # enough for its timeout.
    batch_size = 1000
    timeout = 60

    def search(self, query):
        """The best match of one address: (latitude, longitude, score), or
        None when the service knows no such address."""
        data = self.get_json("search/", params={"q": query[:200], "limit": 1})
        features = data.get("features") or []
        if not features:
            return None
        longitude, latitude = features[0]["geometry"]["coordinates"]
        return latitude, longitude, features[0]["properties"].get("score", 0.0)

    def search_batch(self, addresses):
        """{key: (latitude, longitude, score)} of ``addresses``, a dict
        {key: (street, postcode, city)} of at most ``batch_size`` items, in
        one request; an address without an answer is left out."""
        if len(addresses) > self.batch_size:
            raise ValueError(f"at most {self.batch_size} addresses a request")
        response = self.request(
            "POST",
            "search/csv/",
            files={"data": ("addresses.csv", _addresses_csv(addresses), "text/csv")},
            data={
                "columns": ["street", "city"],
                "postcode": "postcode",
                "result_columns": list(RESULT_COLUMNS),
            },
        )
        return self._read_results(response.content)

    def _read_results(self, content):
        try:
            reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
            if not {"bde_id", *RESULT_COLUMNS} <= set(reader.fieldnames or ()):
                raise ValueError("result columns missing")
            return {
                row["bde_id"]: (
                    float(row["latitude"]),
                    float(row["longitude"]),
                    float(row["result_score"]),
                )
                for row in reader
                if row["latitude"] and row["longitude"]
            }
        except (ValueError, UnicodeDecodeError, csv.Error) as error:
            raise UserError(
                _(
                    "The service %(service)s sent an answer that is not the "
                    "expected CSV. Nothing was changed.",
                    service=self.service_name,
                )
            ) from error


def _addresses_csv(addresses):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for key, (street, postcode, city) in addresses.items():
        writer.writerow((key, street or "", postcode or "", city or ""))
    return buffer.getvalue().encode("utf-8")
