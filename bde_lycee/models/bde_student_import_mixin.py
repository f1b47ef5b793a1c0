"""Reading, checking and writing the students of a lycée from a SIECLE
export, shared by the import wizard and the import jobs: SIECLE's own XML
export (read by siecle_xml.py into rows of the same keys, see
bde_student_import_siecle.py) or a CSV.

Expected columns (header on line 1, any order, case and accents ignored,
other SIECLE columns ignored); the five first ones are required:

==========================  ===================================================
``INE``                     national student id, 11 digits or capital letters
``NOM``                     last name
``PRENOM``                  first name
``DATE NAISS``              birth date, dd/mm/yyyy
``DIVISION``                class name, e.g. ``T MCV A`` (spaces ignored)
``MEF``                     10-digit MEF code of the class (checked if given)
``EMAIL``                   student's e-mail
``TEL PORTABLE``            student's mobile phone
``ADRESSE``                 street
``CODE POSTAL``             zip code
``COMMUNE``                 city
``NOM REPRESENTANT LEGAL``  legal guardian's full name
``EMAIL REPRESENTANT LEGAL``  legal guardian's e-mail
``TEL REPRESENTANT LEGAL``  legal guardian's phone
``ADRESSE REPRESENTANT LEGAL``, ``CODE POSTAL REPRESENTANT LEGAL``,
``COMMUNE REPRESENTANT LEGAL``  legal guardian's address
``DATE SORTIE``             the day the student left the lycée, dd/mm/yyyy: a
                            known student is marked so, an unknown one is not
                            created
==========================  ===================================================

A division that is no class of the school year is created, with its
formation, from the MEF the rows give and the national MEF nomenclature,
once the check showed it (bde_student_import_structures.py).
"""

import base64
import re
import unicodedata
from collections import defaultdict
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import single_email_re
from odoo.tools.misc import format_date

from ..csv_file import decode_csv, read_csv
from ..school_year import is_school_year, school_year_bounds, school_year_of
from ..siecle_xml import is_xml_export
from .res_partner import INE_RE

# Column key -> headers accepted for it, compared once normalised by
# _normalize_header (SIECLE exports and hand-made spreadsheets differ).
COLUMNS = {
    "ine": ("ine", "ine eleve", "numero ine"),
    "last_name": ("nom", "nom de famille"),
    "first_name": ("prenom", "prenom 1"),
    "birthdate": ("date naiss", "date naissance", "date de naissance"),
    "division": ("division", "classe"),
    "mef": ("mef", "code mef"),
    "email": ("email", "e mail", "mel", "courriel"),
    "mobile": ("tel portable", "telephone portable"),
    "street": ("adresse",),
    "zip": ("code postal",),
    "city": ("commune", "ville"),
    "guardian_name": ("nom representant legal",),
    "guardian_email": ("email representant legal", "mel representant legal"),
    "guardian_phone": ("tel representant legal", "telephone representant legal"),
    "guardian_street": ("adresse representant legal",),
    "guardian_zip": ("code postal representant legal",),
    "guardian_city": ("commune representant legal",),
    # Set when the student left the lycée: not a current student any more.
    "date_left": ("date sortie",),
}
REQUIRED_COLUMNS = {
    "ine": "INE",
    "last_name": "NOM",
    "first_name": "PRENOM",
    "birthdate": "DATE NAISS",
    "division": "DIVISION",
}
# SIECLE writes dates as dd/mm/yyyy.
DATE_FORMAT = "%d/%m/%Y"
# Ages on 1 September of the school year: pupils enter 2nde pro or CAP at 14 or
# 15 (13 when a year ahead); learners past 30 are adults in continuing
# education (GRETA), not in SIECLE. A date outside is a typing mistake.
MIN_AGE = 13
MAX_AGE = 30
ADDRESS_KEYS = ("street", "zip", "city")


def _normalize_header(text):
    """Lower-case ASCII words of ``text``: "Prénom" and "PRENOM" compare alike,
    so do "DATE_NAISS" and "date naiss"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def _class_key(name):
    """SIECLE often writes divisions without spaces (TMCVA for T MCV A)."""
    return _normalize_header(name).replace(" ", "")


class BdeStudentImportMixin(models.AbstractModel):
    """A SIECLE file of one lycée and school year: its rows read and checked,
    the students and their legal guardians written from the valid ones (see
    bde_student_import_write.py). The INE is the key within the lycée, so
    importing the same file again updates the students."""

    _name = "bde.student.import.mixin"
    _description = "SIECLE students file"

    file = fields.Binary(
        string="SIECLE file",
        help="CSV export of SIECLE, separated by semicolons or commas, "
        "encoded in UTF-8 or Windows (cp1252/latin-1).",
    )
    file_name = fields.Char()
    school_year = fields.Char(
        required=True,
        default=lambda self: school_year_of(fields.Date.context_today(self)),
        help="School year of the classes named in the DIVISION column, "
        "written 2026-2027.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    import_valid_only = fields.Boolean(
        string="Import the valid rows only",
        help="When some rows are wrong, import the other ones and list the "
        "skipped rows. Otherwise nothing is imported until the file is corrected.",
    )

    # Reading and checking

    def _validate_file(self):
        """Read and check every row before anything is written.

        Return the valid rows as ``[(line, row)]`` and the errors as
        ``{line: [reason, ...]}``, line numbers as in the file (header = 1)."""
        return self._validate_rows(self._read_rows())

    def _validate_rows(self, rows, all_rows=None):
        """Check ``rows``, part of the file's ``all_rows`` (its INEs must be
        unique in the whole file); return the valid rows and the errors as
        :meth:`_validate_file` does."""
        if not is_school_year(self.school_year):
            raise UserError(
                self.env._(
                    "The school year %(year)s must read like 2026-2027.",
                    year=self.school_year,
                )
            )
        class_index = self._get_class_index()
        duplicates = self._find_duplicate_ines(all_rows or rows)
        valid, errors = [], {}
        for line, row in rows:
            reasons = self._check_row(row, class_index) + duplicates.get(line, [])
            if reasons:
                errors[line] = reasons
            else:
                valid.append((line, row))
        return valid, errors

    def _read_rows(self):
        """Decode the file and return its non-empty rows as
        ``[(line, {column key: stripped value})]``: from SIECLE's XML export
        (bde_student_import_siecle.py) or from a CSV."""
        data = base64.b64decode(self.file or b"")
        if is_xml_export(data, self.file_name):
            return self._read_siecle_rows(data)
        text = decode_csv(self.env, data)
        header, lines = read_csv(self.env, text, tie_separator=";")
        rows = self._read_cells(lines, self._map_columns(header))
        if not rows:
            raise UserError(self.env._("The file has no student row."))
        return rows

    def _read_cells(self, lines, positions):
        rows = []
        for line, cells in lines:
            row = dict.fromkeys(COLUMNS, "")
            for key, index in positions.items():
                if index < len(cells):
                    row[key] = cells[index]
            rows.append((line, row))
        return rows

    def _map_columns(self, header):
        """Return ``{column key: index}``; a missing required column stops the
        import, since no row could be read right."""
        aliases = {alias: key for key, names in COLUMNS.items() for alias in names}
        positions = {}
        for index, title in enumerate(header):
            key = aliases.get(_normalize_header(title))
            if key and key not in positions:
                positions[key] = index
        missing = [
            title for key, title in REQUIRED_COLUMNS.items() if key not in positions
        ]
        if missing:
            raise UserError(
                self.env._(
                    "The file misses the columns %(columns)s. Its first line "
                    "must name the columns, e.g. INE;NOM;PRENOM;DATE NAISS;DIVISION.",
                    columns=", ".join(missing),
                )
            )
        return positions

    def _get_class_index(self):
        """Classes of the school year in this lycée, by name without spaces."""
        classes = self.env["bde.class"].search(
            [
                ("school_year", "=", self.school_year),
                ("company_id", "=", self.company_id.id),
            ]
        )
        index = defaultdict(lambda: self.env["bde.class"])
        for school_class in classes:
            index[_class_key(school_class.name)] |= school_class
        return index

    def _find_duplicate_ines(self, rows):
        """Every line whose INE appears on another line: which of them is right
        is for the user to say, so none of them is imported."""
        lines_by_ine = defaultdict(list)
        for line, row in rows:
            if row["ine"]:
                lines_by_ine[row["ine"].upper()].append(line)
        reasons = {}
        for ine, lines in lines_by_ine.items():
            if len(lines) < 2:
                continue
            for line in lines:
                others = ", ".join(str(other) for other in lines if other != line)
                reasons[line] = [
                    self.env._(
                        "The INE %(ine)s also appears on line %(lines)s.",
                        ine=ine,
                        lines=others,
                    )
                ]
        return reasons

    def _check_row(self, row, class_index):
        """Return the reasons why ``row`` cannot be imported (empty if none)."""
        reasons = self._check_ine(row)
        if row["date_left"]:
            # Only marked as left, if known: no class nor contact to check.
            return reasons + self._check_date_left(row["date_left"])
        if not row["last_name"]:
            reasons.append(self.env._("The last name (NOM) is missing."))
        if not row["first_name"]:
            reasons.append(self.env._("The first name (PRENOM) is missing."))
        reasons += self._check_birthdate(row["birthdate"])
        reasons += self._match_class(row, class_index)[1]
        reasons += self._check_emails(row)
        if not row["guardian_name"] and (
            row["guardian_email"] or row["guardian_phone"]
        ):
            reasons.append(
                self.env._(
                    "The legal guardian's name (NOM REPRESENTANT LEGAL) is missing."
                )
            )
        return reasons

    def _check_ine(self, row):
        ine = row["ine"].upper()
        if not ine:
            return [self.env._("The INE is missing.")]
        if not INE_RE.match(ine):
            return [
                self.env._(
                    "The INE %(ine)s must have 11 characters, digits or capital "
                    "letters.",
                    ine=row["ine"],
                )
            ]
        return []

    def _check_date_left(self, value):
        if self._parse_date(value):
            return []
        return [
            self.env._(
                "The leaving date %(date)s is not a date written dd/mm/yyyy.",
                date=value,
            )
        ]

    def _parse_date(self, value):
        try:
            return datetime.strptime(value, DATE_FORMAT).date()
        except ValueError:
            return None

    def _check_birthdate(self, value):
        if not value:
            return [self.env._("The birth date (DATE NAISS) is missing.")]
        birthdate = self._parse_date(value)
        if not birthdate:
            return [
                self.env._(
                    "The birth date %(date)s is not a date written dd/mm/yyyy.",
                    date=value,
                )
            ]
        year_start = school_year_bounds(self.school_year)[0]
        age = relativedelta(year_start, birthdate).years
        if not MIN_AGE <= age <= MAX_AGE:
            return [
                self.env._(
                    "The birth date %(date)s is not plausible: the student would "
                    "be %(age)s years old on %(start)s.",
                    date=value,
                    age=age,
                    start=format_date(self.env, year_start),
                )
            ]
        return []

    def _match_class(self, row, class_index):
        """Return the class of ``row`` and the reasons why none was found."""
        no_class = self.env["bde.class"]
        division = row["division"]
        if not division:
            return no_class, [self.env._("The class (DIVISION) is missing.")]
        classes = class_index.get(_class_key(division), no_class)
        if row["mef"] and len(classes) > 1:
            classes = classes.filtered(lambda c: c.mef_code == row["mef"]) or classes
        if not classes:
            return no_class, [
                self.env._(
                    "There is no class %(division)s in %(year)s in this lycée.",
                    division=division,
                    year=self.school_year,
                )
            ]
        if len(classes) > 1:
            return no_class, [
                self.env._(
                    "The class %(division)s matches several classes: %(names)s.",
                    division=division,
                    names=", ".join(classes.mapped("name")),
                )
            ]
        if row["mef"] and classes.mef_code and row["mef"] != classes.mef_code:
            return no_class, [
                self.env._(
                    "The MEF %(mef)s differs from the MEF %(class_mef)s of class "
                    "%(division)s.",
                    mef=row["mef"],
                    class_mef=classes.mef_code,
                    division=classes.name,
                )
            ]
        return classes, []

    def _check_emails(self, row):
        return [
            self.env._("The e-mail %(email)s is not valid.", email=row[key])
            for key in ("email", "guardian_email")
            if row[key] and not single_email_re.match(row[key])
        ]
