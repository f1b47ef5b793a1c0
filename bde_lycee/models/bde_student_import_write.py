"""Writing the students of the valid rows of a SIECLE file, in a few queries
whatever the number of rows: the students and guardians already known are
read in one query each, the new ones created in one batch per model, and
only the values that changed are written."""

from collections import defaultdict
from dataclasses import dataclass

from odoo import models

from .bde_student_import_mixin import ADDRESS_KEYS

# Writing partners in bulk: no "contact created" message nor follower on each
# of thousands of students (the import reports what it created), and the
# mailing lists synced once for the whole batch (bde_mailing_sync_batch, see
# res.partner._bde_sync_mailing_lists).
IMPORT_CONTEXT = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "bde_mailing_sync_batch": True,
}
STUDENT_FIELDS = (
    "name",
    "is_company",
    "active",
    "bde_is_student",
    "bde_ine",
    "bde_birthdate",
    "bde_class_id",
    "email",
    "mobile",
    "street",
    "zip",
    "city",
    "country_id",
    "bde_legal_guardian_id",
    "bde_date_left",
)
# Installed with l10n_fr (account); its default is a count of reports.
INVOICE_TEMPLATE_FLAG = "display_invoice_template_pdf_report_id"
GUARDIAN_FIELDS = ("name", "email", "phone", "street", "zip", "city", "country_id")
GUARDIAN_ADDRESS_KEYS = ("guardian_street", "guardian_zip", "guardian_city")


@dataclass
class ImportOutcome:
    """What one import (or one batch of a job) did to the lycée's students."""

    created: models.BaseModel
    updated: models.BaseModel
    unchanged: models.BaseModel
    new_guardians: models.BaseModel
    # Known students marked as having left (among ``updated``).
    left: models.BaseModel

    @property
    def students(self):
        return self.created | self.updated | self.unchanged


def _changed_values(record, values):
    """The items of ``values`` that differ from what ``record`` holds."""
    changes = {}
    for fname, value in values.items():
        current = record[fname]
        if isinstance(current, models.BaseModel):
            current = current.id
        if current != value:
            changes[fname] = value
    return changes


def _write_grouped(model, changes_by_record):
    """Write ``{record: changes}`` through ``model``, one write per distinct
    changes (a class moving up a year is one write, not one per student);
    return the records written."""
    groups = defaultdict(list)
    for record, changes in changes_by_record.items():
        if changes:
            groups[tuple(sorted(changes.items()))].append(record.id)
    for items, ids in groups.items():
        model.browse(ids).write(dict(items))
    return model.browse(id_ for ids in groups.values() for id_ in ids)


class BdeStudentImportMixin(models.AbstractModel):
    _inherit = "bde.student.import.mixin"

    def _import_rows(self, rows, known_guardians=None):
        """Create or update the students of the valid ``rows`` and their legal
        guardians, as the current user (their rights on students apply); siblings
        share the guardian created for the first of them, in these rows or among
        ``known_guardians`` (created by the same import before). Return an
        :class:`ImportOutcome`."""
        Partner = self._bulk_partners()
        class_index = self._get_class_index()
        existing = self._get_existing_students([row["ine"] for _line, row in rows])
        # env.ref checks that the record exists, a query per call.
        france = self.env.ref("base.fr")
        left_changes = self._plan_left(rows, existing)
        plans = []
        for _line, row in rows:
            if row["date_left"]:
                continue
            school_class = self._match_class(row, class_index)[0]
            values = self._prepare_student_values(row, school_class, france)
            plans.append((row, values, existing.get(values["bde_ine"])))
        guardian_of, guardian_changes, new_guardians = self._plan_guardians(
            plans, known_guardians or Partner, france
        )
        student_changes, to_create = {}, []
        for row, values, student in plans:
            guardian = guardian_of.get(id(row))
            if guardian is not None:
                values["bde_legal_guardian_id"] = guardian.id
            if student:
                student_changes[student] = _changed_values(student, values)
            else:
                to_create.append(dict(values, company_id=self.company_id.id))
        _write_grouped(Partner, guardian_changes)
        left = _write_grouped(Partner, left_changes)
        updated = _write_grouped(Partner, student_changes) | left
        created = Partner.create(to_create)
        Partner._bde_sync_pending_mailing_lists()
        students = self.env["res.partner"]
        known = [s.id for s in student_changes] + [s.id for s in left_changes]
        return ImportOutcome(
            created=students.browse(created.ids),
            updated=students.browse(updated.ids),
            unchanged=students.browse(known) - updated,
            new_guardians=students.browse(new_guardians.ids),
            left=students.browse(left.ids),
        )

    def _plan_left(self, rows, existing):
        """The changes marking as left the known students of the rows with a
        leaving date: out of their class, with the date; the others of these
        rows are not created (not current students)."""
        changes = {}
        for _line, row in rows:
            student = existing.get(row["ine"].upper()) if row["date_left"] else None
            if student:
                values = {
                    "bde_date_left": self._parse_date(row["date_left"]),
                    "bde_class_id": False,
                }
                changes[student] = _changed_values(student, values)
        return changes

    def _bulk_partners(self):
        """res.partner to write in bulk: IMPORT_CONTEXT, and the default of
        account's invoice template flag given once, since account computes
        it by a query per partner created."""
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        if INVOICE_TEMPLATE_FLAG in Partner._fields:
            flag = Partner.default_get([INVOICE_TEMPLATE_FLAG]).get(
                INVOICE_TEMPLATE_FLAG, False
            )
            Partner = Partner.with_context(**{f"default_{INVOICE_TEMPLATE_FLAG}": flag})
        return Partner

    def _get_existing_students(self, ines):
        """Students of this lycée by INE, archived ones included (the INE is
        unique per lycée, and a student back in the export is restored), with
        their guardians, the values an import compares read in one query each."""
        students = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("bde_ine", "in", [ine.upper() for ine in ines]),
                    ("company_id", "=", self.company_id.id),
                ],
                STUDENT_FIELDS,
            )
        )
        students.bde_legal_guardian_id.fetch(GUARDIAN_FIELDS)
        return {student.bde_ine: student for student in students}

    def _plan_guardians(self, plans, known_guardians, country):
        """The guardian of each row (by ``id(row)``), the changes of the
        guardians already recorded, and the guardians created for the
        students who had none. A row without a guardian's name keeps the
        student's guardian (None: unchanged)."""
        Partner = self._bulk_partners()
        guardian_of, changes, to_create = {}, {}, {}
        for row, _values, student in plans:
            if not row["guardian_name"]:
                continue
            values = self._prepare_guardian_values(row, country)
            guardian = student.bde_legal_guardian_id if student else Partner
            if guardian:
                changes[guardian] = _changed_values(guardian, values)
                guardian_of[id(row)] = guardian
            else:
                key = self._guardian_key(row["guardian_name"], row["guardian_email"])
                to_create.setdefault(key, (values, []))[1].append(id(row))
        for key, guardian in self._find_guardians(known_guardians, to_create).items():
            guardian_of.update(dict.fromkeys(to_create.pop(key)[1], guardian))
        company_id = self.company_id.id
        created = Partner.create(
            [dict(values, company_id=company_id) for values, _r in to_create.values()]
        )
        for guardian, (_v, row_ids) in zip(created, to_create.values(), strict=True):
            guardian_of.update(dict.fromkeys(row_ids, guardian))
        return guardian_of, changes, created

    def _find_guardians(self, guardians, keys):
        """Those of ``guardians`` whose name and e-mail are among ``keys``, by
        key; one query, whatever the number of guardians."""
        if not (guardians and keys):
            return {}
        found = guardians.search_fetch(
            [
                ("id", "in", guardians.ids),
                ("name", "in", list({values["name"] for values, _r in keys.values()})),
            ],
            ["name", "email"],
        )
        return {
            key: guardian
            for guardian in found
            if (key := self._guardian_key(guardian.name, guardian.email)) in keys
        }

    @staticmethod
    def _guardian_key(name, email):
        return ((name or "").lower(), (email or "").lower())

    def _prepare_student_values(self, row, school_class, country):
        """Values of the student of ``row`` in ``school_class``, living in
        ``country`` when the row gives an address; an empty optional cell
        keeps what the lycée recorded by hand."""
        values = {
            "name": f"{row['first_name']} {row['last_name']}",
            "is_company": False,
            "active": True,
            "bde_is_student": True,
            "bde_ine": row["ine"].upper(),
            "bde_birthdate": self._parse_date(row["birthdate"]),
            "bde_class_id": school_class.id,
            # back in a class: a current student again
            "bde_date_left": False,
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
            values["country_id"] = country.id
        return values

    def _prepare_guardian_values(self, row, country):
        values = {
            "name": row["guardian_name"],
            "email": row["guardian_email"],
            "phone": row["guardian_phone"],
            "street": row["guardian_street"],
            "zip": row["guardian_zip"],
            "city": row["guardian_city"],
        }
        values = {field: value for field, value in values.items() if value}
        if any(row[key] for key in GUARDIAN_ADDRESS_KEYS):
            values["country_id"] = country.id
        return values
