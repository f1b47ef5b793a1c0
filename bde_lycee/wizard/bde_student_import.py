"""The students import wizard: the BDE manager uploads a SIECLE export
(CSV), checks it, and imports it. The reading, checks and writing are the
``bde.student.import.mixin``'s (models/bde_student_import_mixin.py, where the
columns are listed). A file of a few thousand rows imports at once; a bigger
one is checked whole here, then queued as a ``bde.student.import.job`` that
a scheduled action runs in batches, so no request outlives a worker's time
limits.
"""

import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import hmac


class BdeStudentImport(models.TransientModel):
    """Create or update the students of the current lycée from a SIECLE CSV
    export. Every row is checked before anything is written; the INE is the key
    within the lycée, so importing the same file again updates the students."""

    _name = "bde.student.import"
    _inherit = "bde.student.import.mixin"
    _description = "Import students from SIECLE"
    # Above this many rows, the import runs as a job, in batches: a lycée's
    # own export (1,200 to 3,000 students) still imports at once.
    _bde_import_now_max_rows = 3000

    state = fields.Selection(
        selection=[
            ("draft", "Upload"),
            ("checked", "Checked"),
            ("queued", "Queued"),
            ("done", "Done"),
        ],
        default="draft",
        required=True,
    )
    result = fields.Html(readonly=True)
    error_count = fields.Integer(string="Rows with errors", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    student_ids = fields.Many2many(
        "res.partner", string="Imported students", readonly=True
    )
    job_id = fields.Many2one(
        "bde.student.import.job", string="Import job", readonly=True
    )
    planned_formation_count = fields.Integer(
        string="Formations to create", readonly=True
    )
    planned_class_count = fields.Integer(string="Classes to create", readonly=True)
    # The classes and formations the check showed, sealed with the file, the
    # lycée and the school year: the import creates them only if it would
    # create exactly these (see _structures_seal).
    structures_seal = fields.Char(readonly=True, copy=False)

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
        """Check the file and show its errors, and the classes and formations
        the import will create; write nothing else."""
        self.ensure_one()
        rows = self._read_rows()
        return self._show_check(rows, self._plan_structures(rows))

    def _show_check(self, rows, plan, checked=None):
        """Show the errors of ``rows`` (or the ``checked`` (valid, errors)
        already found), and the preview of ``plan``."""
        valid, errors = checked or self._validate_planned(rows, plan)
        values = self._prepare_checked_values(valid, errors)
        values["result"] += self._render_structures(plan)
        values.update(
            planned_formation_count=len(plan.formations),
            planned_class_count=len(plan.classes),
            structures_seal=self._structures_seal(plan),
        )
        self.write(values)
        return self._action_reopen()

    def _structures_seal(self, plan):
        """A signature of what ``plan`` creates from this file, lycée and
        school year: a changed file or plan no longer matches it, and a
        client cannot forge it (keyed with the database secret)."""
        if not plan:
            return False
        digest = hashlib.sha256(self.file or b"").hexdigest()
        message = f"{self.id}|{self.company_id.id}|{self.school_year}|{digest}|"
        return hmac(self.env(su=True), "bde-student-import", message + plan.key())

    def action_import(self):
        """Check the file again (it may have changed) and import it: all rows,
        or the valid ones only when the user asked for it; in the background
        when it is too big for one request."""
        self.ensure_one()
        rows = self._read_rows()
        plan = self._plan_structures(rows)
        if plan and self.structures_seal != self._structures_seal(plan):
            # Nothing is created that the user has not seen for this file.
            return self._show_check(rows, plan)
        rows, errors = self._validate_planned(rows, plan)
        if errors and not self.import_valid_only:
            return self._show_check(rows, plan, checked=(rows, errors))
        if plan:
            self._create_structures(plan)
        if len(rows) + len(errors) > self._bde_import_now_max_rows:
            return self._queue_job(len(rows) + len(errors))
        outcome = self._import_rows(rows)
        self.write(
            {
                # The students' personal data is kept on their records only:
                # the uploaded file goes once imported.
                "file": False,
                "file_name": False,
                "guardian_file": False,
                "guardian_file_name": False,
                "structure_file": False,
                "structure_file_name": False,
                "state": "done",
                "error_count": len(errors),
                "created_count": len(outcome.created),
                "updated_count": len(outcome.updated),
                "unchanged_count": len(outcome.unchanged),
                "skipped_count": len(errors),
                "student_ids": [fields.Command.set(outcome.students.ids)],
                "result": self._render_done(outcome, errors),
            }
        )
        return self._action_reopen()

    def _queue_job(self, row_count):
        """Hand the checked file to an import job, and show the job."""
        job = self.env["bde.student.import.job"]._bde_queue(
            {
                "name": self.env._(
                    "%(file)s, %(year)s",
                    file=self.file_name or self.env._("SIECLE file"),
                    year=self.school_year,
                ),
                "file": self.file,
                "file_name": self.file_name,
                "guardian_file": self.guardian_file,
                "guardian_file_name": self.guardian_file_name,
                "structure_file": self.structure_file,
                "structure_file_name": self.structure_file_name,
                "school_year": self.school_year,
                "company_id": self.company_id.id,
                "import_valid_only": self.import_valid_only,
                "row_count": row_count,
            }
        )
        self.write(
            {
                "file": False,
                "file_name": False,
                "guardian_file": False,
                "guardian_file_name": False,
                "structure_file": False,
                "structure_file_name": False,
                "state": "queued",
                "job_id": job.id,
            }
        )
        return job._get_records_action(name=job.name)

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

    # Reporting

    def _prepare_checked_values(self, rows, errors):
        existing = self._get_existing_students([row["ine"] for _line, row in rows])
        left = [row for _line, row in rows if row["date_left"]]
        to_update = sum(1 for _line, row in rows if row["ine"].upper() in existing)
        to_update -= sum(1 for row in left if row["ine"].upper() in existing)
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
                created=len(rows) - len(left) - to_update,
                updated=to_update,
            )
        if left:
            summary += " " + self.env._(
                "%(count)s student(s) left the lycée: those already known will "
                "be marked so, the others are not imported.",
                count=len(left),
            )
        return {
            "state": "checked",
            "error_count": len(errors),
            "result": Markup("<p>%s</p>") % summary + self._render_errors(errors),
        }

    def _render_done(self, outcome, errors):
        summary = self.env._(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s skipped.",
            created=len(outcome.created),
            updated=len(outcome.updated),
            unchanged=len(outcome.unchanged),
            skipped=len(errors),
        )
        if outcome.left:
            summary += " " + self.env._(
                "Marked as having left: %(count)s.", count=len(outcome.left)
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
