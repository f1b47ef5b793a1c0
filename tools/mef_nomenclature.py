"""Write bde_lycee/data/bde.mef.csv, the national MEF nomenclature of the
vocational track that the suite ships, from the national tables.

Source: the MEF tables of the Ministry of Education (BCN, table N_MEF,
Licence Ouverte / Open Licence 2.0, https://www.data.gouv.fr) in the subset
that APLyPro publishes (the vocational track under school status:
CAP, CAPA, Bac pro, BMA, MC, CS, BT, ...), `mefs-YYYY_YYYY.csv` of
https://github.com/betagouv/aplypro (MIT licence). Odoo reads a CSV data file's
first line as its field names, so the source and licence are named here and in
bde_lycee/readme/DESCRIPTION.md, not in the CSV.

The school years are merged, the oldest first: a MEF keeps the labels of the
latest year that lists it, and a MEF dropped by a later year is kept (classes
of past years still name it).

    python3 tools/mef_nomenclature.py DIR          # write the CSV from DIR/mefs-*.csv
    python3 tools/mef_nomenclature.py DIR --check  # exit 1 if the CSV differs
"""

import argparse
import csv
import io
import re
import sys
from datetime import date
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "bde_lycee/data/bde.mef.csv"
FIELDS = [
    "id",
    "code",
    "diploma_code",
    "mef_stat_4",
    "mef_stat_11",
    "name",
    "short_name",
    "speciality",
    "level",
    "duration",
    "year_of_training",
    "date_closed",
    "is_national",
]
# DISPOSITIF_FORMATION -> bde.formation level; any other is "other"
# (BT, Parcours ambition emploi, non-diploma complementary training).
LEVELS = {
    "240": "cap",  # CAP in 1 year
    "241": "cap",  # CAP in 2 years
    "242": "cap",  # CAP in 3 years
    "271": "cap",  # CAP agricole in 2 years
    "280": "cap",  # CAP agricole, variable length
    "247": "bac_pro",
    "276": "bac_pro",  # Bac pro agricole
    "250": "bma",  # BMA in 1 year
    "251": "bma",  # BMA in 2 years
    "253": "mc",
    "257": "cs",  # CS of level 3
    "258": "cs",  # CS of level 4
}
# The year of study that opens LIBELLE_EDITION ("Tle pro", "1cap2", "Cs-3",
# "tlproa", "Annee 1/3 Bac pro agri"...): what follows is the speciality.
YEAR_PREFIX_RE = re.compile(
    r"^(?:annee \d/\d bac pro agri"
    r"|(?:2nde?|1ere?|tle?)\s*pro(?:fessionnelle)?(?:\s+agricole)?"
    r"|(?:tl|1e|2d)proa|\d?capa?\d?a?|cs-\d|mc|\d?bma\d|(?:1ere|tle)(?:\s+bt)?)"
    r"(?:\s+|$)",
    re.IGNORECASE,
)
# Durations and years of 9 mean "variable" in the tables.
VARIABLE = "9"


def clean(text):
    """Collapse the tables' runs of spaces; capitalise the first letter."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def closing_date(value):
    """DATE_FERMETURE is written d/m/yy or m/d/yy depending on the year's file;
    the MEFs close on 31 August."""
    if not value:
        return ""
    first, second, year = (int(part) for part in value.split("/"))
    day, month = (first, second) if second <= 12 else (second, first)
    return date(2000 + year, month, day).isoformat()


def number(value):
    return "" if value in ("", VARIABLE) else str(int(value))


def mef_row(row):
    edition = clean(row["LIBELLE_EDITION"]) or clean(row["LIBELLE_LONG"])
    return {
        "id": f"mef_{row['MEF']}",
        "code": row["MEF"],
        # Spreadsheets dropped the leading zero of the MC diploma codes.
        "diploma_code": row["FORMATION_DIPLOME"].zfill(8),
        "mef_stat_4": row["MEF_STAT_4"],
        "mef_stat_11": row["MEF_STAT_11"],
        "name": edition,
        "short_name": clean(row["LIBELLE_LONG"]),
        "speciality": clean(YEAR_PREFIX_RE.sub("", edition)) or edition,
        "level": LEVELS.get(row["DISPOSITIF_FORMATION"], "other"),
        "duration": number(row["DUREE_DISPOSITIF"]),
        "year_of_training": number(row["ANNEE_DISPOSITIF"]),
        "date_closed": closing_date(row["DATE_FERMETURE"]),
        "is_national": "True",
    }


def build(source_dir):
    mefs = {}
    for path in sorted(Path(source_dir).glob("mefs-*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                mefs[row["MEF"]] = mef_row(row)
    if not mefs:
        sys.exit(f"No mefs-*.csv in {source_dir}")
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(mefs[code] for code in sorted(mefs))
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source_dir", help="folder holding the mefs-*.csv tables")
    parser.add_argument(
        "--check", action="store_true", help="compare with the shipped CSV only"
    )
    args = parser.parse_args()
    text = build(args.source_dir)
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} differs from what {args.source_dir} gives")
        print(f"{TARGET}: up to date ({text.count(chr(10)) - 1} MEFs)")
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET}: {text.count(chr(10)) - 1} MEFs")


if __name__ == "__main__":
    main()
