import logging
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.bde_lycee.school_year import lycee_today

from .bde_pfmp_placement_portal import (
    ATTENDANCE_STATES,
    TUTOR_LINK_VALIDITY_DAYS,
    TUTOR_LINK_VALIDITY_PARAM,
)

_logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "bde_pfmp.mail_template_bde_pfmp_tutor_reminder"


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Reminders to the tutor: once N days before the end (N set on the
    # lycée), once again after it, each step once.
    tutor_reminder_before_date = fields.Date(
        string="Tutor reminded before the end on",
        readonly=True,
        copy=False,
        help="Day the tutor was e-mailed their link to confirm the attendance "
        "and evaluate, the number of days set on the lycée before the end.",
    )
    tutor_reminder_after_date = fields.Date(
        string="Tutor reminded after the end on",
        readonly=True,
        copy=False,
        help="Day the tutor was e-mailed their link again, the day after the "
        "end (or the first day after it while the link is valid), when the "
        "attendance or the evaluation was still missing.",
    )

    def _bde_tutor_has_answered(self):
        """The tutor has nothing left to do: days done confirmed and final
        evaluation given."""
        self.ensure_one()
        return self._bde_days_done_confirmed() and self._bde_tutor_has_evaluated()

    def _bde_tutor_has_evaluated(self):
        """The tutor gave their final evaluation."""
        self.ensure_one()
        return bool(self.tutor_evaluation_date)

    @api.model
    def _cron_remind_tutors(self):
        """E-mail each tutor who still has to confirm the attendance or
        evaluate their personal link: once before the end, once after it.
        A tutor without e-mail is left out and named in the log."""
        placements = self.sudo()
        today = lycee_today()
        before = placements.search(self._bde_reminder_before_domain(today))
        before._bde_send_tutor_reminder("tutor_reminder_before_date", today, False)
        after = placements.search(self._bde_reminder_after_domain(today))
        after._bde_send_tutor_reminder("tutor_reminder_after_date", today, True)

    @api.model
    def _bde_reminder_unanswered_domain(self):
        # A superset of "not answered": the staff's days done may count as
        # confirmed too (see _bde_days_done_confirmed), checked in Python.
        return [
            "|",
            ("attendance_confirmed_date", "=", False),
            ("tutor_evaluation_date", "=", False),
        ]

    @api.model
    def _bde_reminder_before_domain(self, today):
        """In progress and ending within the lycée's number of days."""
        return [
            ("state", "=", "in_progress"),
            ("tutor_reminder_before_date", "=", False),
            ("date_end", ">=", today),
            *self._bde_reminder_unanswered_domain(),
            *self._bde_within_lycee_days(
                "date_end", today, "bde_pfmp_tutor_reminder_days"
            ),
        ]

    @api.model
    def _bde_reminder_after_domain(self, today):
        """Ended, and still within the link's validity: a link that opens
        nothing any more is not sent."""
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(TUTOR_LINK_VALIDITY_PARAM, "")
        )
        validity = int(days) if days.isdigit() else TUTOR_LINK_VALIDITY_DAYS
        return [
            ("state", "in", list(ATTENDANCE_STATES)),
            ("tutor_reminder_after_date", "=", False),
            ("date_end", "<", today),
            ("date_end", ">=", today - timedelta(days=validity)),
            *self._bde_reminder_unanswered_domain(),
        ]

    def _bde_send_tutor_reminder(self, date_field, today, after_end):
        placements = self.filtered(lambda p: not p._bde_tutor_has_answered())
        no_email = placements.filtered(lambda p: not p.tutor_id.email)
        if no_email:
            # The BDE fixes the tutor's address; the next run reminds them.
            _logger.warning(
                "PFMP tutor reminders: tutor without e-mail, left out: %s",
                ", ".join(f"placement {p.id} ({p.tutor_id.name})" for p in no_email),
            )
        reminded = placements - no_email
        for placement in reminded:
            placement._bde_mail_tutor_reminder(after_end)
        reminded.write({date_field: today})
        if reminded:
            reminded._message_log_batch(
                bodies={
                    placement.id: self.env._(
                        "The tutor %(tutor)s was reminded by e-mail to confirm the "
                        "attendance and evaluate the placement (automatic).",
                        tutor=placement.tutor_id.name,
                    )
                    for placement in reminded
                }
            )

    def _bde_mail_tutor_reminder(self, after_end):
        """As the tutor's link (see action_send_tutor_link): written as
        superuser, kept out of the chatter, deleted once sent, since it
        carries the link's secret."""
        self.ensure_one()
        template = self.env.ref(REMINDER_TEMPLATE).sudo()
        template.with_context(
            bde_reminder_after_end=after_end,
            bde_reminder_attendance=not self._bde_days_done_confirmed(),
            bde_reminder_evaluation=not self._bde_tutor_has_evaluated(),
        ).send_mail(
            self.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={
                "model": False,
                "res_id": False,
                "author_id": self.company_id.partner_id.id,
                "auto_delete": True,
            },
        )
