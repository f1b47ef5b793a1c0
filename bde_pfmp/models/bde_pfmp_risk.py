import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, drop_view_if_exists

from odoo.addons.bde_lycee.school_year import LYCEE_TODAY

from .bde_pfmp_placement import ENDED_STATES, STATES
from .bde_pfmp_placement_risk import RISK_REASONS

_logger = logging.getLogger(__name__)

# A placement that took place, or was stopped, is no risk of its period.
PAST_STATES = ENDED_STATES
# Before "in progress": the period is under way and the student is not there.
NOT_STARTED_STATES = ("host_found", "to_sign", "signed")
ALERT_TYPE = "bde_pfmp.mail_activity_type_pfmp_at_risk"
# The composite id of a row: the period in the high bits, the student below.
ID_SHIFT = 4294967296


class BdePfmpRisk(models.Model):
    """One row per student of the class of a PFMP period under way or
    starting soon: every student of the period, placed or not, so that a
    student with no placement at all is counted. A row is at risk when the
    student has no placement, no host, a convention not fully signed or a
    placement not started while the period is under way; the reason is the
    first of these that holds."""

    _name = "bde.pfmp.risk"
    _inherit = ["bde.pfmp.school.year.mixin"]
    _description = "PFMP student at risk"
    _auto = False
    _order = "is_at_risk desc, risk_reason, date_start, class_id, student_id"
    _rec_name = "student_id"

    student_id = fields.Many2one("res.partner", string="Student", readonly=True)
    class_id = fields.Many2one("bde.class", string="Class", readonly=True)
    period_id = fields.Many2one("bde.pfmp.period", string="Period", readonly=True)
    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    school_year = fields.Char(readonly=True)
    date_start = fields.Date(string="Period start", readonly=True)
    date_end = fields.Date(string="Period end", readonly=True)
    placement_id = fields.Many2one(
        "bde.pfmp.placement", string="Placement", readonly=True
    )
    placement_state = fields.Selection(STATES, string="Placement state", readonly=True)
    signature_progress = fields.Float(
        string="Signatures (%)", readonly=True, aggregator="avg"
    )
    teacher_id = fields.Many2one("res.users", string="Referent teacher", readonly=True)
    is_minor = fields.Boolean(
        string="Minor",
        readonly=True,
        help="Under 18 on the first day of the placement (or of the period "
        "when there is no placement), or birth date unknown.",
    )
    risk_reason = fields.Selection(RISK_REASONS, string="Risk", readonly=True)
    is_at_risk = fields.Boolean(
        string="At risk",
        readonly=True,
        help="The period is under way or starts within the lycée's days for "
        "the students at risk (15 by default), and a risk holds.",
    )
    is_without_host = fields.Boolean(
        string="Without host",
        readonly=True,
        help="No placement at a host, and the period is under way or starts "
        "within the lycée's days for the students without host (21 by default).",
    )

    def _query(self):
        """Every (student, period) whose period has not ended and starts
        within the larger of the lycée's two delays; the placement is the
        student's non-cancelled one over the period, that of the period first."""
        return SQL(
            """
            SELECT period.id * %(shift)s + student.id AS id,
                   student.id AS student_id, cls.id AS class_id,
                   period.id AS period_id, cls.company_id,
                   cls.school_year, period.date_start, period.date_end,
                   p.id AS placement_id, p.state AS placement_state,
                   p.signature_progress,
                   COALESCE(p.teacher_id, cls.teacher_id) AS teacher_id,
                   COALESCE(p.is_minor, student.bde_birthdate IS NULL
                       OR student.bde_birthdate > period.date_start
                           - interval '18 years') AS is_minor,
                   r.reason AS risk_reason,
                   (r.reason IS NOT NULL
                    AND period.date_start <= %(today)s + lycee.bde_pfmp_risk_days)
                       AS is_at_risk,
                   (r.reason IN ('no_placement', 'no_host')
                    AND period.date_start <= %(today)s + lycee.bde_pfmp_no_host_days)
                       AS is_without_host
              FROM bde_pfmp_period period
              JOIN bde_class cls ON cls.id = period.class_id AND cls.active
              JOIN res_company lycee ON lycee.id = cls.company_id
              JOIN res_partner student
                ON student.bde_class_id = cls.id
               AND student.bde_is_student AND student.active
         LEFT JOIN LATERAL (
                SELECT pl.id, pl.state, pl.partner_id, pl.signature_progress,
                       pl.teacher_id, pl.is_minor, pl.date_start
                  FROM bde_pfmp_placement pl
                 WHERE pl.student_id = student.id
                   AND pl.state != 'cancelled'
                   AND pl.date_start <= period.date_end
                   AND pl.date_end >= period.date_start
              ORDER BY pl.period_id = period.id DESC NULLS LAST, pl.id DESC
                 LIMIT 1
            ) p ON TRUE
        CROSS JOIN LATERAL (
                SELECT CASE
                    WHEN p.id IS NULL THEN 'no_placement'
                    WHEN p.state = 'searching' OR p.partner_id IS NULL
                        THEN 'no_host'
                    WHEN p.state IN %(past)s THEN NULL
                    WHEN COALESCE(p.signature_progress, 0) < 100
                        THEN 'not_signed'
                    WHEN p.state IN %(not_started)s AND p.date_start <= %(today)s
                        THEN 'not_started'
                END AS reason
            ) r
             WHERE period.active
               AND period.date_end >= %(today)s
               AND period.date_start <= %(today)s
                   + GREATEST(lycee.bde_pfmp_risk_days, lycee.bde_pfmp_no_host_days)
            """,
            shift=ID_SHIFT,
            today=LYCEE_TODAY,
            past=tuple(sorted(PAST_STATES)),
            not_started=NOT_STARTED_STATES,
        )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def action_open_placement(self):
        """The student's placement of the period; with none yet, a new one
        with the values the period gives its placements, to fill and save."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": "bde.pfmp.placement",
            "view_mode": "form",
            "views": [(False, "form")],
        }
        if self.placement_id:
            return {**action, "res_id": self.placement_id.id}
        values = self.period_id._prepare_placement_values(self.student_id)
        return {
            **action,
            "context": {f"default_{name}": value for name, value in values.items()},
        }

    # ------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------

    @api.model
    def _cron_alert_at_risk(self):
        """One activity per risk to the referent teacher and to the lycée's
        BDE officers, on the student's placement. A student without
        placement first gets one, still searching, so that the alert has a
        record to live on and the next run finds it. The placement keeps the
        risk last alerted (risk_alert_reason): the same risk never alerts
        twice, and another one only once the open alert is done."""
        # A view over the placements: rows read earlier in the transaction
        # may predate the placements this method creates.
        self.env.flush_all()
        self.invalidate_model()
        rows = self.search([("is_at_risk", "=", True)])
        officers = self._officers_by_company(rows.company_id)
        for row in rows:
            # One student's placement refused (its own rules) never holds up
            # the alerts of the others.
            try:
                with self.env.cr.savepoint():
                    row._alert(officers[row.company_id])
            except (UserError, ValidationError) as error:
                _logger.warning("At-risk alert of row %s skipped: %s", row.id, error)
        self._close_resolved_alerts()

    @api.model
    def _close_resolved_alerts(self):
        """The open alerts of a placement no longer at risk are done: the
        activities of a teacher list only what is left to act on. A risk that
        comes back later alerts again."""
        self.env.flush_all()
        self.invalidate_model()
        at_risk = self.search([("is_at_risk", "=", True)]).placement_id
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "bde.pfmp.placement"),
                ("activity_type_id", "=", self._alert_type().id),
                ("res_id", "not in", at_risk.ids),
            ]
        )
        if not activities:
            return
        resolved = self.env["bde.pfmp.placement"].browse(
            set(activities.mapped("res_id"))
        )
        activities.action_feedback(
            feedback=self.env._("No longer at risk (automatic).")
        )
        resolved.risk_alert_reason = False

    def _alert(self, officers):
        """The activities of one row's risk, unless alerted already."""
        self.ensure_one()
        placement, reason = self._placement_to_alert()
        if placement.risk_alert_reason == reason or placement.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self._alert_type()
        ):
            return
        recipients = officers
        # The no-host reminder already told the teacher of this risk.
        if not (reason == "no_host" and placement.no_host_reminder_date):
            recipients |= placement.teacher_id
        for user in recipients:
            placement.activity_schedule(
                ALERT_TYPE, user_id=user.id, note=self._alert_note(reason)
            )
        placement.risk_alert_reason = reason

    def _placement_to_alert(self):
        """The row's placement and its risk; for a student without placement,
        a new one in "searching": its risk is then having no host."""
        self.ensure_one()
        if self.placement_id:
            return self.placement_id, self.risk_reason
        values = self.period_id._prepare_placement_values(self.student_id)
        return self.env["bde.pfmp.placement"].create(values), "no_host"

    @api.model
    def _alert_type(self):
        return self.env.ref(ALERT_TYPE)

    @api.model
    def _officers_by_company(self, companies):
        return {company: company._bde_officer_users() for company in companies}

    def _alert_note(self, reason):
        self.ensure_one()
        return self.env._(
            "%(student)s is at risk in the period %(period)s (%(start)s to "
            "%(end)s): %(reason)s.",
            student=self.student_id.name,
            period=self.period_id.name,
            start=self.date_start,
            end=self.date_end,
            reason=dict(self._fields["risk_reason"]._description_selection(self.env))[
                reason
            ],
        )
