from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # The search for a host: the student's search log, and the students
    # still without host shortly before their period.
    search_step_ids = fields.One2many(
        "bde.pfmp.search.step", "placement_id", string="Search log"
    )
    search_step_count = fields.Integer(
        string="Companies contacted", compute="_compute_search_step_count"
    )
    is_without_host = fields.Boolean(
        string="Without host",
        compute="_compute_is_without_host",
        search="_search_is_without_host",
        help="Still searching for a host, and the period starts within the "
        "number of days set on the lycée (21 by default).",
    )
    no_host_reminder_date = fields.Date(
        string="No-host reminder sent on",
        readonly=True,
        copy=False,
        help="Day the referent teacher was reminded that the student has no "
        "host yet; a placement is reminded once.",
    )

    @api.depends("search_step_ids")
    def _compute_search_step_count(self):
        counts = self._count_by_placement("bde.pfmp.search.step")
        for placement in self:
            placement.search_step_count = counts.get(placement, 0)

    @api.depends("state", "date_start", "company_id.bde_pfmp_no_host_days")
    def _compute_is_without_host(self):
        today = fields.Date.context_today(self)
        for placement in self:
            limit = today + timedelta(days=placement.company_id.bde_pfmp_no_host_days)
            placement.is_without_host = bool(
                placement.state == "searching"
                and placement.date_start
                and today <= placement.date_start <= limit
            )

    def _search_is_without_host(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search students without host with = or !=."))
        domain = self._get_without_host_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *domain]

    @api.model
    def _get_without_host_domain(self):
        """Searching placements whose period starts between today and the
        lycée's number of days ahead: one clause per lycée, each has its own."""
        today = fields.Date.context_today(self)
        return [
            ("state", "=", "searching"),
            ("date_start", ">=", today),
            *self._bde_within_lycee_days("date_start", today, "bde_pfmp_no_host_days"),
        ]

    def action_view_search_steps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_search_step_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {
            "default_placement_id": self.id,
            "default_student_id": self.student_id.id,
        }
        return action

    @api.model
    def _cron_remind_no_host(self):
        """One reminder activity for the referent teacher of each student still
        without host shortly before the period; never twice for a placement,
        nor for one whose teacher the at-risk alert already told."""
        placements = self.search(
            [
                ("is_without_host", "=", True),
                ("no_host_reminder_date", "=", False),
                ("risk_alert_reason", "=", False),
                ("teacher_id", "!=", False),
            ]
        )
        for placement in placements:
            placement.activity_schedule(
                "bde_pfmp.mail_activity_type_pfmp_no_host",
                user_id=placement.teacher_id.id,
                note=self.env._(
                    "%(student)s has no host yet and the period starts on %(date)s.",
                    student=placement.student_id.name,
                    date=placement.date_start,
                ),
            )
        placements.no_host_reminder_date = fields.Date.context_today(self)
