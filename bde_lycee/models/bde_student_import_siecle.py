"""The student import from SIECLE's own XML exports (read by siecle_xml.py):
the export must be the lycée's (its UAI) and of the import's school year,
else nothing is read; its rows then go through the CSV's checks and writing.
Students who left (``date_left``) are marked so when known, never created.
Structures.xml and Nomenclature.xml, uploaded with them, describe the
divisions and MEFs of the classes the import creates."""

import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..siecle_xml import SiecleError, read_files, to_rows
from .bde_student_import_mixin import COLUMNS

# The files read beside the students', in to_rows()'s order.
SIDE_KINDS = ("guardians", "structures", "nomenclature")


class BdeStudentImportMixin(models.AbstractModel):
    _inherit = "bde.student.import.mixin"

    guardian_file = fields.Binary(
        string="SIECLE guardians file",
        help="ResponsablesAvecAdresses.xml (or its zip) exported from SIECLE, "
        "with the students' XML export: their legal guardians are imported "
        "with them.",
    )
    guardian_file_name = fields.Char()
    structure_file = fields.Binary(
        string="SIECLE structures file",
        help="Structures.xml and/or Nomenclature.xml exported from SIECLE (or "
        "a zip of them): the classes created take the divisions' labels, and "
        "a MEF missing in the national nomenclature is created from its "
        "description.",
    )
    structure_file_name = fields.Char()

    def _read_siecle_rows(self, data):
        """The rows of the SIECLE XML export ``data`` (with the guardians,
        structures and MEFs of the zip, of ``guardian_file`` and of
        ``structure_file``), once every file's UAI and year are checked."""
        files = self._read_siecle_files(data, self.file_name)
        for upload, name in (
            (self.guardian_file, self.guardian_file_name),
            (self.structure_file, self.structure_file_name),
        ):
            if upload:
                files += self._read_siecle_files(base64.b64decode(upload), name)
        by_kind = {}
        for siecle_file in files:
            by_kind.setdefault(siecle_file.kind, []).append(siecle_file)
        students = by_kind.get("students")
        if not students:
            raise UserError(
                self.env._(
                    "The file %(file)s holds no students: upload SIECLE's "
                    "students export (ElevesSansAdresses.xml or its zip) as the "
                    "SIECLE file, and ResponsablesAvecAdresses.xml as the "
                    "guardians file.",
                    file=files[0].name,
                )
            )
        for siecle_file in files:
            self._check_siecle_file(siecle_file)
        rows = to_rows(
            students[0],
            *(by_kind.get(kind, [None])[0] for kind in SIDE_KINDS),
        )
        if not rows:
            raise UserError(self.env._("The file has no student row."))
        return [(line, dict.fromkeys(COLUMNS, "") | row) for line, row in rows]

    def _read_siecle_files(self, data, file_name):
        try:
            return read_files(data, file_name)
        except SiecleError as error:
            raise UserError(self._siecle_error_message(error)) from error

    def _siecle_error_message(self, error):
        details = error.details
        if error.kind == "bad_zip":
            return self.env._(
                "The file %(file)s is not a readable zip archive.", **details
            )
        if error.kind == "empty_zip":
            return self.env._(
                "The zip archive %(file)s holds no XML file: upload the zip "
                "SIECLE exported, e.g. ExportXML_ElevesSansAdresses.zip.",
                **details,
            )
        if error.kind == "too_big":
            return self.env._(
                "The file %(file)s is too big to be a SIECLE export.", **details
            )
        if error.kind == "not_xml":
            return self.env._(
                "The file %(file)s is not valid XML: %(error)s", **details
            )
        return self.env._(
            "The file %(file)s is not a SIECLE export (its root element is "
            "%(root)s): export it from SIECLE, Exports > En XML.",
            **details,
        )

    def _check_siecle_file(self, siecle_file):
        """The export is the lycée's, for the import's school year."""
        uai = (self.company_id.bde_uai or "").upper()
        if siecle_file.uai != uai:
            raise UserError(
                self.env._(
                    "The file %(file)s is the export of the lycée %(file_uai)s, "
                    "not of %(lycee)s (UAI %(uai)s): nothing was imported.",
                    file=siecle_file.name,
                    file_uai=siecle_file.uai or self.env._("(no UAI)"),
                    lycee=self.company_id.name,
                    uai=uai or self.env._("not set"),
                )
            )
        year = siecle_file.school_year
        file_year = f"{year}-{int(year) + 1}" if year.isdigit() else ""
        if file_year and file_year != self.school_year:
            raise UserError(
                self.env._(
                    "The file %(file)s is the export of the school year "
                    "%(file_year)s, not of %(year)s: nothing was imported.",
                    file=siecle_file.name,
                    file_year=file_year,
                    year=self.school_year,
                )
            )
