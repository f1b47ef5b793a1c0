import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import consteq

from .bde_pfmp_placement import ENDED_STATES

# The tutor's appreciation of the student's work, on the four-level scale of
# the vocational diplomas' assessment grids.
TUTOR_EVALUATION_LEVELS = [
    ("1", "Insufficient"),
    ("2", "Fragile"),
    ("3", "Satisfactory"),
    ("4", "Very good"),
]
# The tutor evaluates during the last days of the placement or after it.
TUTOR_EVALUATION_STATES = {"in_progress"} | ENDED_STATES
# The tutor confirms the days done once the placement has started.
ATTENDANCE_STATES = {"in_progress", "done", "evaluated", "interrupted"}
# The tutor's personal link opens the placement until this many days after its
# end: time to confirm the last days, evaluate and download the attestation.
# A system parameter changes it.
TUTOR_LINK_VALIDITY_DAYS = 30
TUTOR_LINK_VALIDITY_PARAM = "bde_pfmp.tutor_link_validity_days"


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Attendance, confirmed by the tutor
    days_done = fields.Integer(
        string="Days done",
        tracking=True,
        copy=False,
        help="Whole days done in the host, absences deducted.",
    )
    attendance_confirmed_date = fields.Date(
        string="Attendance confirmed on",
        readonly=True,
        tracking=True,
        copy=False,
        help="Date the tutor confirmed the days done; cleared when the BDE "
        "changes the days done afterwards.",
    )
    attendance_confirmed_by_id = fields.Many2one(
        "res.partner",
        string="Attendance confirmed by",
        readonly=True,
        tracking=True,
        copy=False,
    )

    # The secret of the tutor's personal link: read by the system alone, never
    # by the staff, who could otherwise act as the tutor.
    access_token = fields.Char(groups="base.group_system")

    # Tutor's evaluation, given through the portal or the tutor's link
    tutor_evaluation_level = fields.Selection(
        TUTOR_EVALUATION_LEVELS,
        string="Tutor's appreciation",
        readonly=True,
        tracking=True,
        copy=False,
    )
    tutor_evaluation = fields.Text(
        string="Tutor's evaluation",
        readonly=True,
        copy=False,
        help="The tutor's appreciation of the student's work: what went well, "
        "what to work on.",
    )
    tutor_evaluation_date = fields.Date(
        string="Evaluated by the tutor on", readonly=True, copy=False, tracking=True
    )

    _sql_constraints = [
        (
            "days_done_positive",
            "CHECK (days_done >= 0)",
            "The days done cannot be negative.",
        ),
    ]

    @api.constrains("days_done", "date_start", "date_end")
    def _check_days_done(self):
        for placement in self:
            if placement.days_done > placement.calendar_days:
                raise ValidationError(
                    self.env._(
                        "%(student)s cannot have done %(days)s days in a placement "
                        "of %(calendar)s calendar days.",
                        student=placement.student_id.name,
                        days=placement.days_done,
                        calendar=placement.calendar_days,
                    )
                )

    # Attendance confirmed by the tutor
    def _confirm_attendance(self, days_done, confirmed_by):
        """Record the days done as confirmed by the tutor. Called by the tutors'
        portal, as superuser once the caller is known to be ``confirmed_by``:
        only the placement's own tutor may confirm, once the placement has
        started. The constraints on the days done apply."""
        self.ensure_one()
        if self.state not in ATTENDANCE_STATES:
            raise UserError(
                self.env._(
                    "The attendance of %(student)s can be confirmed only once the "
                    "placement has started.",
                    student=self.student_id.name,
                )
            )
        if not confirmed_by or confirmed_by != self.tutor_id:
            raise UserError(
                self.env._(
                    "Only the tutor of %(student)s, %(tutor)s, confirms the "
                    "attendance.",
                    student=self.student_id.name,
                    tutor=self.tutor_id.name,
                )
            )
        if not isinstance(days_done, int) or days_done < 0:
            raise UserError(
                self.env._("The days done must be a whole number, 0 or more.")
            )
        self._write_trusted(
            {
                "days_done": days_done,
                "attendance_confirmed_date": fields.Date.context_today(self),
                "attendance_confirmed_by_id": confirmed_by.id,
            }
        )

    # Tutors' portal
    def _compute_access_url(self):
        super()._compute_access_url()
        for placement in self:
            placement.access_url = f"/my/pfmp/{placement.id}"

    def _mail_get_partner_fields(self, introspect_fields=False):
        # The person of the placement outside the lycée is its tutor: the
        # portal's links in notifications go to them, not to the host's
        # general address.
        return ["tutor_id"]

    def _portal_ensure_token(self):
        """The tutor's link names its tutor: a token made for another person,
        or before tokens named one, is replaced. Reading the token takes the
        system's rights (see ``access_token``)."""
        if not self._tutor_link_names_tutor(self.access_token):
            self.sudo()._write_trusted(
                {"access_token": f"{self.tutor_id.id}-{uuid.uuid4()}"}
            )
        return self.access_token

    def _tutor_link_names_tutor(self, token):
        self.ensure_one()
        return bool(self.tutor_id and token) and (
            token.partition("-")[0] == str(self.tutor_id.id)
        )

    def _tutor_link_is_valid(self, token):
        """Whether ``token`` opens the placement: it is the placement's token,
        it names the placement's current tutor, and the placement ended less
        than the link's validity ago."""
        self.ensure_one()
        placement_sudo = self.sudo()
        return (
            bool(token and placement_sudo.access_token)
            and consteq(placement_sudo.access_token, token)
            and self._tutor_link_names_tutor(token)
            and not self._tutor_link_expired()
        )

    def _tutor_link_expired(self):
        self.ensure_one()
        if not self.date_end:
            return False
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(TUTOR_LINK_VALIDITY_PARAM, "")
        )
        validity = int(days) if days.isdigit() else TUTOR_LINK_VALIDITY_DAYS
        return fields.Date.context_today(self) > self.date_end + timedelta(
            days=validity
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # The portal's chatter accepts the link's token too: the same rules
        # apply there (current tutor, validity).
        token = kwargs.get("token")
        placement_sudo = self.browse(thread_id).sudo().exists()
        if token and not (
            placement_sudo and placement_sudo._tutor_link_is_valid(token)
        ):
            kwargs["token"] = None
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._(
            "PFMP %(student)s %(start)s",
            student=self.student_id.name,
            start=self.date_start,
        )

    def _get_tutor_documents(self):
        """The PDF documents the tutor downloads from the portal, by key: the
        convention once the host and tutor are named, the attestation once
        the period has ended."""
        self.ensure_one()
        documents = {}
        if self.partner_id and self.tutor_id and self.state != "cancelled":
            documents["convention"] = {
                "name": self.env._("PFMP convention"),
                "report": "bde_pfmp.action_report_bde_pfmp_convention",
            }
        if self.state in ENDED_STATES:
            documents["attestation"] = {
                "name": self.env._("PFMP attestation"),
                "report": "bde_pfmp.action_report_bde_pfmp_attestation",
            }
        return documents

    def _submit_tutor_evaluation(self, level, evaluation, evaluated_by):
        """Record the tutor's appreciation of the student's work, given through
        the portal; the referent teacher reads it in the chatter too."""
        self.ensure_one()
        if evaluated_by != self.tutor_id:
            raise AccessError(
                self.env._("Only the tutor of the placement evaluates it.")
            )
        if self.state not in TUTOR_EVALUATION_STATES:
            raise UserError(
                self.env._(
                    "The placement of %(student)s has not started: it is evaluated "
                    "at the end of the period.",
                    student=self.student_id.name,
                )
            )
        if level not in dict(TUTOR_EVALUATION_LEVELS) or not (evaluation or "").strip():
            raise UserError(
                self.env._("Choose an appreciation and write the evaluation.")
            )
        self._write_trusted(
            {
                "tutor_evaluation_level": level,
                "tutor_evaluation": evaluation.strip(),
                "tutor_evaluation_date": fields.Date.context_today(self),
            }
        )
        self.message_post(
            body=self.env._(
                "%(tutor)s evaluated the placement: %(evaluation)s",
                tutor=evaluated_by.name,
                evaluation=self.tutor_evaluation,
            ),
            author_id=evaluated_by.id,
        )

    def action_send_tutor_link(self):
        """Mail the tutor their personal link to the placement, for a tutor
        with or without a portal account. The staff who send it never see it:
        the mail is written as superuser, kept out of the placement's chatter
        and deleted once sent; the chatter only records that it went."""
        self.ensure_one()
        if not self.tutor_id.email:
            raise UserError(
                self.env._(
                    "Enter the e-mail address of the tutor %(tutor)s first.",
                    tutor=self.tutor_id.name or "",
                )
            )
        template = self.env.ref("bde_pfmp.mail_template_bde_pfmp_tutor_link")
        # sudo: the template reads the link's token, which only the system
        # reads.
        template.sudo().send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={
                # Neither on the placement's thread nor by the sender: no
                # staff member reads the message that carries the link.
                "model": False,
                "res_id": False,
                "author_id": self.company_id.partner_id.id,
                "auto_delete": True,
            },
        )
        message = self.env._(
            "The personal link to the placement was sent to the tutor %(tutor)s.",
            tutor=self.tutor_id.name,
        )
        self._message_log(body=message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "sticky": False},
        }
