"""InserJeunes' official figures: the open dataset "voie professionnelle
scolaire par établissement et formation fine" (DEPP/DARES, Licence Ouverte),
published on data.education.gouv.fr as ``fr-en-inserjeunes-lycee_pro-formation-fine``.

One record per lycée (UAI), formation (its MEF_STAT_11 code) and millésime
("cumul 2023-2024": two cumulated exit years), with rates in percent:
further studies, salaried employment at 6, 12, 18 and 24 months, and the
outcome six months after exit. The dataset publishes no cohort size: rates
are left empty under 20 people (statistical secrecy).

The records come from the portal's explore API (``InserJeunesClient``) or
from its CSV export, downloaded by hand (``parse_csv``); both go through
``normalize_record`` so that they import the same way.
"""

import csv
import io
import re
import unicodedata

from odoo import _
from odoo.exceptions import UserError

from odoo.addons.bde_lycee.service_client import ServiceClient

POINTS = (6, 12, 18, 24)
# The export's column labels, where they do not read as the field's name.
LABEL_ALIASES = {
    "devenir_part_poursuite_etudes": "part_en_poursuite_d_etudes",
    "devenir_part_en_emploi_6_mois_apres_la_sortie": (
        "part_en_emploi_6_mois_apres_la_sortie"
    ),
    "devenir_part_en_emploi": "part_en_emploi_6_mois_apres_la_sortie",
    "devenir_part_autre_situation": "part_des_autres_situations",
}
REQUIRED_FIELDS = ("uai", "annee", "code_formation_mefstat11")
MILLESIME_RE = re.compile(r"(\d{4})\s*-\s*(\d{4})")
UAI_RE = re.compile(r"^\d{7}[A-Z]$")


class InserJeunesClient(ServiceClient):
    """The dataset's records for one UAI, through the Opendatasoft explore
    API v2.1 (``GET records?where=uai="…"``), 100 records a page."""

    service_name = "InserJeunes (data.education.gouv.fr)"
    url_parameter = "bde_alumni.inserjeunes_url"
    default_url = (
        "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/"
        "fr-en-inserjeunes-lycee_pro-formation-fine"
    )
    page_size = 100

    def records(self, uai):
        if not UAI_RE.match(uai or ""):
            raise UserError(_("%(uai)s is not a UAI.", uai=uai))
        records, offset = [], 0
        while True:
            answer = self.get_json(
                "records",
                params={
                    "where": f'uai="{uai}"',
                    "order_by": "annee, code_formation_mefstat11",
                    "limit": self.page_size,
                    "offset": offset,
                },
            )
            page = answer.get("results") or []
            records += page
            offset += len(page)
            if not page or offset >= answer.get("total_count", 0):
                return records


def column_key(label):
    """A column's label or name as the dataset's field name: "Taux emploi
    6 mois" and "taux_emploi_6_mois" are the same column."""
    text = unicodedata.normalize("NFKD", label or "")
    text = text.encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return LABEL_ALIASES.get(key, key)


def parse_csv(content):
    """The records of a CSV export of the dataset (``;``-separated, UTF-8 with
    or without a BOM; labels or field names as column names)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The file opened and saved again by a spreadsheet on Windows.
        text = content.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [column_key(label) for label in next(reader, [])]
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise UserError(
            _(
                "This file is not an export of the InserJeunes dataset: the "
                "column(s) %(columns)s are missing.",
                columns=", ".join(missing),
            )
        )
    return [dict(zip(header, row, strict=False)) for row in reader if any(row)]


def normalize_record(record):
    """A record (API or CSV) as the import reads it: rates as fractions,
    empty where the dataset publishes none."""
    millesime = MILLESIME_RE.search(str(record.get("annee") or ""))
    if not millesime:
        raise UserError(
            _(
                "The InserJeunes row of %(formation)s has no millésime "
                "(found: %(value)s).",
                formation=record.get("libelle_formation"),
                value=record.get("annee"),
            )
        )
    return {
        "uai": (record.get("uai") or "").strip().upper(),
        "millesime": f"{millesime[1]}-{millesime[2]}",
        "exit_year_first": int(millesime[1]),
        "exit_year_last": int(millesime[2]),
        "diploma_type": (record.get("type_diplome") or "").strip(),
        "formation_code": str(record.get("code_formation_mefstat11") or "").strip(),
        "formation_label": (record.get("libelle_formation") or "").strip(),
        "rate_studies": _rate(record.get("taux_poursuite_etudes")),
        "rates_employed": {
            months: _rate(record.get(f"taux_emploi_{months}_mois")) for months in POINTS
        },
        "share_studies": _rate(record.get("part_en_poursuite_d_etudes")),
        "share_employed": _rate(record.get("part_en_emploi_6_mois_apres_la_sortie")),
        "share_other": _rate(record.get("part_des_autres_situations")),
    }


def _rate(value):
    """A rate in percent as a fraction; None when not published."""
    if value is None or str(value).strip() in ("", "NA", "ND", "NaN"):
        return None
    try:
        return float(str(value).strip().replace(",", ".")) / 100
    except ValueError:
        return None
