"""The Base Adresse Nationale replayed: its CSV endpoint answers each row
sent with the result columns recorded for the same street and city in
fixtures/ban/search_csv.csv (rows of unknown addresses: empty results, as
the service answers them)."""

import csv
import io
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

from .replay_server import Answer

FIXTURES = Path(__file__).parent / "fixtures" / "ban"
RESULT_COLUMNS = ("latitude", "longitude", "result_score", "result_type")


def recorded_rows():
    with (FIXTURES / "search_csv.csv").open(encoding="utf-8") as fixture:
        return list(csv.DictReader(fixture))


def form_parts(request):
    """{field name: [values]} of a multipart/form-data request; a file's
    value is its bytes."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        value = part.get_payload(decode=True)
        if part.get_filename() is None:
            value = value.decode()
        parts.setdefault(name, []).append(value)
    return parts


def sent_rows(request):
    """The address rows of a CSV request, as dicts."""
    data = form_parts(request)["data"][0].decode("utf-8")
    return list(csv.DictReader(io.StringIO(data)))


def csv_answer(request):
    recorded = {(row["street"], row["city"]): row for row in recorded_rows()}
    rows = sent_rows(request)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, [*rows[0].keys(), *RESULT_COLUMNS], lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        match = recorded.get((row["street"], row["city"]), {})
        writer.writerow(
            {**row, **{name: match.get(name, "") for name in RESULT_COLUMNS}}
        )
    return Answer(body=buffer.getvalue().encode(), content_type="text/csv")


ANSWERS = {
    ("POST", "/search/csv/"): csv_answer,
    ("GET", "/search/"): Answer("ban/search.json"),
}
