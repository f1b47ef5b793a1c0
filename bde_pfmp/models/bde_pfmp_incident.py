from odoo import api, fields, models


class BdePfmpIncident(models.Model):
    """Something that went wrong during a placement (an accident at work, a
    behaviour problem, harassment...) and what the lycée did about it. The
    incidents of a host are shown beside its quality score."""

    _name = "bde.pfmp.incident"
    _description = "PFMP incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="placement_id.company_id",
        string="Lycée",
        store=True,
        precompute=True,
        index=True,
    )
    student_id = fields.Many2one(related="placement_id.student_id", store=True)
    partner_id = fields.Many2one(
        related="placement_id.partner_id", string="Host", store=True, index=True
    )
    class_id = fields.Many2one(related="placement_id.class_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    kind = fields.Selection(
        selection=[
            ("accident", "Accident at work"),
            ("behaviour", "Behaviour"),
            ("absence", "Absence"),
            ("harassment", "Harassment or discrimination"),
            ("safety", "Safety"),
            ("other", "Other"),
        ],
        required=True,
        tracking=True,
    )
    description = fields.Text(required=True, help="What happened, as reported.")
    action_taken = fields.Text(
        string="Action taken",
        tracking=True,
        help="What the lycée and the host did: declaration, meeting, end of the "
        "placement...",
    )
    reported_by_id = fields.Many2one(
        "res.users",
        string="Reported by",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )

    @api.depends("kind", "student_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for incident in self:
            incident.display_name = self.env._(
                "%(kind)s – %(student)s",
                kind=kinds.get(incident.kind, ""),
                student=incident.student_id.name or "",
            )
