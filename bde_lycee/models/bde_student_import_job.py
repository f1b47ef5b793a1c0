"""A SIECLE import too big for one request, run by a scheduled action in
batches: each batch is one transaction, committed on its own, so the job is
always either done or stopped between two batches, showing where, and
resumable from there (README: "Never a half-written lycée")."""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class BdeStudentImportJob(models.Model):
    _name = "bde.student.import.job"
    _inherit = ["bde.student.import.mixin", "mail.thread"]
    _description = "Students import job (SIECLE)"
    _order = "id desc"
    # The lycée's staff may comment on a job they only read.
    _mail_post_access = "read"
    # Rows per batch: one batch, one transaction, a few seconds; far below
    # the time limits of a worker (60 s of CPU, 120 s in all), which a cron
    # run of up to 10 batches must respect too.
    _bde_batch_size = 1000
    # Days a job may wait unfinished before its file, which names the whole
    # lycée's students and guardians, is erased (data protection: it was
    # kept only so that the import could resume).
    _bde_abandoned_days = 30

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help="The batches write as this user: their rights on students apply.",
    )
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    rows_done = fields.Integer(
        string="Rows done",
        readonly=True,
        help="Rows of the file imported (or skipped) by the batches committed: "
        "a resumed job starts after them.",
    )
    progress = fields.Float(compute="_compute_progress")
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    student_ids = fields.Many2many(
        "res.partner",
        "bde_student_import_job_student_rel",
        string="Imported students",
        readonly=True,
        # what the job wrote, archived since or not; and reading them costs
        # no query per record to filter out the archived ones
        context={"active_test": False},
    )
    guardian_ids = fields.Many2many(
        "res.partner",
        "bde_student_import_job_guardian_rel",
        string="Guardians created",
        readonly=True,
        context={"active_test": False},
        help="Siblings in later batches share the guardian created for the "
        "first of them.",
    )
    log = fields.Html(readonly=True)
    error = fields.Text(string="Last error", readonly=True)
    date_done = fields.Datetime(string="Finished on", readonly=True)

    @api.depends("rows_done", "row_count")
    def _compute_progress(self):
        for job in self:
            job.progress = 100 * job.rows_done / job.row_count if job.row_count else 0

    # Queueing and resuming

    @api.model
    def _bde_queue(self, values):
        """Queue an import job with ``values`` and wake the cron. As superuser:
        the job's progress is written by its batches only, never by a user;
        the caller checked the user's rights on the lycée and the file."""
        job = self.sudo().create(values)
        job.message_post(
            body=self.env._(
                "%(count)s rows queued for import by %(user)s.",
                count=job.row_count,
                user=job.user_id.name,
            )
        )
        self._bde_trigger_cron()
        return job.with_env(self.env)

    @api.model
    def _bde_trigger_cron(self):
        self.env.ref("bde_lycee.ir_cron_bde_student_import_job").sudo()._trigger()

    def action_resume(self):
        """Resume failed jobs after their last committed batch."""
        self.check_access("read")
        failed = self.filtered(lambda job: job.state == "failed")
        if not failed:
            raise UserError(self.env._("Only a failed import can be resumed."))
        for job in failed.sudo():
            job.write(
                {"state": "running" if job.rows_done else "queued", "error": False}
            )
            job.message_post(
                body=self.env._(
                    "Resumed by %(user)s from row %(row)s.",
                    user=self.env.user.name,
                    row=job.rows_done + 1,
                )
            )
        self._bde_trigger_cron()

    def action_view_students(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_lycee.res_partner_action_student"
        )
        action["domain"] = [("id", "in", self.student_ids.ids)]
        return action

    @api.autovacuum
    def _gc_abandoned_files(self):
        """Erase the file and last error of jobs left unfinished for
        ``_bde_abandoned_days`` days; a finished job dropped its file already.
        The job stays, failed, with its counts and log (no names in them)."""
        limit = fields.Datetime.now() - timedelta(days=self._bde_abandoned_days)
        abandoned = self.sudo().search(
            [("state", "!=", "done"), ("write_date", "<", limit), ("file", "!=", False)]
        )
        for job in abandoned:
            job.write(
                {
                    "state": "failed",
                    "file": False,
                    "guardian_file": False,
                    "structure_file": False,
                    "error": False,
                }
            )
            job.message_post(
                body=self.env._(
                    "The file was erased after %(days)s days without the import "
                    "finishing; import the file again to go on.",
                    days=self._bde_abandoned_days,
                )
            )

    # Batches

    @api.model
    def _cron_process_jobs(self):
        """One batch of the oldest job waiting; the cron runs again at once
        while rows remain (ir.cron's progress API)."""
        jobs = self.search([("state", "in", ("queued", "running"))], order="id")
        if not jobs:
            return
        done = jobs[0]._process_next_batch()
        remaining = sum(
            job.row_count - job.rows_done
            for job in jobs
            if job.state in ("queued", "running")
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _process_next_batch(self):
        """Import the next batch of rows in a savepoint: it is written whole
        or not at all. A failed batch stops the job with its reason; the
        rows before it stay done. Return the number of rows handled."""
        self.ensure_one()
        if self.state not in ("queued", "running"):
            return 0
        start = self.rows_done
        try:
            with self.env.cr.savepoint():
                outcome, skipped, handled = self._import_batch(start)
        except Exception as error:
            # Whatever stops a batch (a check, a right, the server) stops the
            # job in a state the user can read and resume from.
            _logger.info(
                "Student import job %s failed at row %s",
                self.id,
                start + 1,
                exc_info=True,
            )
            self._bde_fail(start, error)
            return self._bde_batch_size
        self._bde_record_batch(start, handled, outcome, skipped)
        return handled

    def _import_batch(self, start):
        """Check and import rows ``start`` to ``start + batch size`` as the
        user who asked, in their lycée only."""
        job = self.with_user(self.user_id).with_company(self.company_id)
        rows = job._read_rows()
        batch = rows[start : start + self._bde_batch_size]
        valid, errors = job._validate_rows(batch, rows)
        if errors and not self.import_valid_only:
            raise UserError(job._bde_describe_errors(errors))
        outcome = job._import_rows(valid, known_guardians=job.guardian_ids)
        return outcome, sorted(errors), len(batch)

    def _bde_describe_errors(self, errors):
        return "\n".join(
            self.env._(
                "Line %(line)s: %(reasons)s", line=line, reasons=" ".join(reasons)
            )
            for line, reasons in sorted(errors.items())
        )

    def _bde_record_batch(self, start, handled, outcome, skipped):
        rows_done = start + handled
        finished = rows_done >= self.row_count
        line = self.env._(
            "Rows %(first)s to %(last)s: %(created)s created, %(updated)s "
            "updated, %(unchanged)s unchanged, %(skipped)s skipped.",
            first=start + 1,
            last=rows_done,
            created=len(outcome.created),
            updated=len(outcome.updated),
            unchanged=len(outcome.unchanged),
            skipped=len(skipped),
        )
        if skipped:
            line += " " + self.env._(
                "Lines skipped: %(lines)s.", lines=", ".join(map(str, skipped))
            )
        values = {
            "state": "done" if finished else "running",
            "rows_done": rows_done,
            "created_count": self.created_count + len(outcome.created),
            "updated_count": self.updated_count + len(outcome.updated),
            "unchanged_count": self.unchanged_count + len(outcome.unchanged),
            "skipped_count": self.skipped_count + len(skipped),
            "student_ids": [fields.Command.link(id_) for id_ in outcome.students.ids],
            "guardian_ids": [
                fields.Command.link(id_) for id_ in outcome.new_guardians.ids
            ],
            "log": (self.log or Markup()) + Markup("<p>%s</p>") % line,
        }
        if finished:
            # The students' data is kept on their records only.
            values.update(
                file=False,
                guardian_file=False,
                structure_file=False,
                date_done=fields.Datetime.now(),
            )
        self.write(values)
        if finished:
            self._bde_notify_done()

    def _bde_notify_done(self):
        self.message_post(
            body=self.env._(
                "Import done: %(created)s students created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(skipped)s rows skipped.",
                created=self.created_count,
                updated=self.updated_count,
                unchanged=self.unchanged_count,
                skipped=self.skipped_count,
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _bde_fail(self, start, error):
        message = error.args[0] if isinstance(error, UserError) else str(error)
        self.write({"state": "failed", "error": message})
        self.message_post(
            body=self.env._(
                "The batch from row %(row)s failed and was not written; the rows "
                "before it are imported. Correct the cause, then resume the "
                "import: %(error)s",
                row=start + 1,
                error=message,
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
