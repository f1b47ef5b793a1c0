"""Import of the students of a lycée from a SIECLE export (CSV).

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
==========================  ===================================================

Classes are never created by the import: a class needs a formation, which
SIECLE does not give, so the classes of the school year must exist first.
"""

import base64
import re
import unicodedata
from collections import defaultdict
from datetime import datetime

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mail import single_email_re
from odoo.tools.misc import format_date

from ..csv_file import decode_csv, read_csv
from ..models.res_partner import INE_RE
from ..school_year import is_school_year, school_year_bounds, school_year_of

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


class BdeStudentImport(models.TransientModel):
    """Create or update the students of the current lycée from a SIECLE CSV
    export. Every row is checked before anything is written; the INE is the key
    within the lycée, so importing the same file again updates the students."""

    _name = "bde.student.import"
    _description = "Import students from SIECLE"

    # Not required: the file is cleared once imported (see action_import).
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
    state = fields.Selection(
        selection=[("draft", "Upload"), ("checked", "Checked"), ("done", "Done")],
        default="draft",
        required=True,
    )
    result = fields.Html(readonly=True)
    error_count = fields.Integer(string="Rows with errors", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    student_ids = fields.Many2many(
        "res.partner", string="Imported students", readonly=True
    )

    @api.constrains("company_id")
    def _check_company_id(self):
        # The record rule refuses another lycée at creation; a write is
        # checked against the rule before it changes the lycée.
        for wizard in self:
            if not self.env.su and wizard.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "You do not belong to %(lycee)s: you cannot import its "
                        "students.",
                        lycee=wizard.company_id.name,
                    )
                )

    # Actions

    def action_check(self):
        """Check the file and show its errors; write nothing."""
        self.ensure_one()
        rows, errors = self._validate_file()
        self.write(self._prepare_checked_values(rows, errors))
        return self._action_reopen()

    def action_import(self):
        """Check the file again (it may have changed) and import it: all rows,
        or the valid ones only when the user asked for it."""
        self.ensure_one()
        rows, errors = self._validate_file()
        if errors and not self.import_valid_only:
            self.write(self._prepare_checked_values(rows, errors))
            return self._action_reopen()
        created, updated = self._import_rows(rows)
        self.write(
            {
                # The students' personal data is kept on their records only:
                # the uploaded file goes once imported.
                "file": False,
                "file_name": False,
                "state": "done",
                "error_count": len(errors),
                "created_count": len(created),
                "updated_count": len(updated),
                "skipped_count": len(errors),
                "student_ids": [fields.Command.set((created | updated).ids)],
                "result": self._render_done(created, updated, errors),
            }
        )
        return self._action_reopen()

    def action_view_students(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.res_partner_action_student"
        )
        action["domain"] = [("id", "in", self.student_ids.ids)]
        return action

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import students (SIECLE)"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # Reading and checking

    def _validate_file(self):
        """Read and check every row before anything is written.

        Return the valid rows as ``[(line, row)]`` and the errors as
        ``{line: [reason, ...]}``, line numbers as in the file (header = 1)."""
        if not is_school_year(self.school_year):
            raise UserError(
                self.env._(
                    "The school year %(year)s must read like 2026-2027.",
                    year=self.school_year,
                )
            )
        rows = self._read_rows()
        class_index = self._get_class_index()
        duplicates = self._find_duplicate_ines(rows)
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
        ``[(line, {column key: stripped value})]``."""
        text = decode_csv(self.env, base64.b64decode(self.file or b""))
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
        reasons = []
        ine = row["ine"].upper()
        if not ine:
            reasons.append(self.env._("The INE is missing."))
        elif not INE_RE.match(ine):
            reasons.append(
                self.env._(
                    "The INE %(ine)s must have 11 characters, digits or capital "
                    "letters.",
                    ine=row["ine"],
                )
            )
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

    # Writing

    def _import_rows(self, rows):
        """Create or update the students of the valid ``rows`` and their legal
        guardians; return the created and the updated students."""
        partners = self.env["res.partner"]
        class_index = self._get_class_index()
        existing = self._get_existing_students([row["ine"] for _line, row in rows])
        new_guardians = {}
        to_create, updated = [], partners
        for _line, row in rows:
            school_class = self._match_class(row, class_index)[0]
            values = self._prepare_student_values(row, school_class)
            student = existing.get(values["bde_ine"], partners)
            guardian = self._get_guardian(student, row, new_guardians)
            if guardian:
                values["bde_legal_guardian_id"] = guardian.id
            if student:
                student.write(values)
                updated |= student
            else:
                values["company_id"] = self.company_id.id
                to_create.append(values)
        return partners.create(to_create), updated

    def _get_existing_students(self, ines):
        """Students of this lycée by INE, archived ones included: the INE is
        unique per lycée, and a student back in the export is restored."""
        students = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    ("bde_ine", "in", [ine.upper() for ine in ines]),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        return {student.bde_ine: student for student in students}

    def _prepare_student_values(self, row, school_class):
        """Values of the student of ``row``; an empty optional cell keeps what
        the lycée recorded by hand."""
        values = {
            "name": f"{row['first_name']} {row['last_name']}",
            "is_company": False,
            "active": True,
            "bde_is_student": True,
            "bde_ine": row["ine"].upper(),
            "bde_birthdate": self._parse_date(row["birthdate"]),
            "bde_class_id": school_class.id,
        }
        optional = {
            "email": row["email"],
            "mobile": row["mobile"],
            "street": row["street"],
            "zip": row["zip"],
            "city": row["city"],
        }
        values.update({field: value for field, value in optional.items() if value})
        if any(row[key] for key in ADDRESS_KEYS):
            values["country_id"] = self.env.ref("base.fr").id
        return values

    def _prepare_guardian_values(self, row):
        values = {
            "name": row["guardian_name"],
            "email": row["guardian_email"],
            "phone": row["guardian_phone"],
        }
        return {field: value for field, value in values.items() if value}

    def _get_guardian(self, student, row, new_guardians):
        """Update the student's current guardian, or create one. Siblings of
        one file share the guardian created for the first of them."""
        if not row["guardian_name"]:
            return student.bde_legal_guardian_id
        values = self._prepare_guardian_values(row)
        guardian = student.bde_legal_guardian_id
        if guardian:
            guardian.write(values)
            return guardian
        key = (row["guardian_name"].lower(), row["guardian_email"].lower())
        if key not in new_guardians:
            new_guardians[key] = self.env["res.partner"].create(
                dict(values, company_id=self.company_id.id)
            )
        return new_guardians[key]

    # Reporting

    def _prepare_checked_values(self, rows, errors):
        existing = self._get_existing_students([row["ine"] for _line, row in rows])
        to_update = sum(1 for _line, row in rows if row["ine"].upper() in existing)
        if errors:
            summary = self.env._(
                "%(errors)s row(s) with errors, %(valid)s valid row(s). Correct "
                "the file, or tick “Import the valid rows only”.",
                errors=len(errors),
                valid=len(rows),
            )
        else:
            summary = self.env._(
                "All %(count)s rows are valid: %(created)s students will be "
                "created and %(updated)s updated.",
                count=len(rows),
                created=len(rows) - to_update,
                updated=to_update,
            )
        return {
            "state": "checked",
            "error_count": len(errors),
            "result": Markup("<p>%s</p>") % summary + self._render_errors(errors),
        }

    def _render_done(self, created, updated, errors):
        summary = self.env._(
            "%(created)s created, %(updated)s updated, %(skipped)s skipped.",
            created=len(created),
            updated=len(updated),
            skipped=len(errors),
        )
        return Markup("<p>%s</p>") % summary + self._render_errors(errors)

    def _render_errors(self, errors):
        if not errors:
            return Markup()
        body = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td></tr>")
            % (line, Markup("<br/>").join(reasons))
            for line, reasons in sorted(errors.items())
        )
        return Markup(
            '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th>'
            "</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Line"), self.env._("Reason"), body)
