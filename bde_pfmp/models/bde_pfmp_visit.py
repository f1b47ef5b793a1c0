from odoo import api, fields, models


class BdePfmpVisit(models.Model):
    """A visit or a call of the referent teacher to a student in placement:
    planned on a date, done on another, with its report."""

    _name = "bde.pfmp.visit"
    _description = "PFMP visit"
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
        related="placement_id.partner_id", string="Host", store=True
    )
    tutor_id = fields.Many2one(related="placement_id.tutor_id")
    class_id = fields.Many2one(related="placement_id.class_id", store=True)
    date = fields.Date(
        string="Planned date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_done = fields.Date(string="Done on", tracking=True, copy=False)
    mode = fields.Selection(
        selection=[
            ("visit", "Visit"),
            ("phone", "Phone call"),
            ("video", "Video call"),
        ],
        string="Place",
        help="At the host, by phone or by video.",
        required=True,
        default="visit",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Teacher",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        selection=[("planned", "Planned"), ("done", "Done")],
        compute="_compute_state",
        store=True,
    )
    report = fields.Html(copy=False, help="What was seen and said, and what follows.")
    # The visit report's template: who was met, what was found, what follows.
    met_tutor = fields.Boolean(string="Met the tutor", copy=False)
    met_others = fields.Char(
        string="Others met", copy=False, help="The head of the host, a colleague…"
    )
    activities_done = fields.Text(
        string="Activities done",
        copy=False,
        help="The activities the student does, against those planned in the "
        "convention's pedagogical annex.",
    )
    behaviour = fields.Text(
        copy=False, help="Punctuality, attitude, integration in the team."
    )
    skills_observed = fields.Text(
        copy=False, help="The skills of the diploma seen at work."
    )
    followup_actions = fields.Text(
        string="Follow-up actions",
        copy=False,
        help="What the student, the tutor or the lycée does next.",
    )

    @api.depends("date_done")
    def _compute_state(self):
        for visit in self:
            visit.state = "done" if visit.date_done else "planned"

    @api.depends("placement_id", "mode", "date")
    def _compute_display_name(self):
        modes = dict(self._fields["mode"]._description_selection(self.env))
        for visit in self:
            visit.display_name = self.env._(
                "%(mode)s – %(student)s",
                mode=modes.get(visit.mode, ""),
                student=visit.student_id.name or "",
            )

    def action_done(self):
        for visit in self.filtered(lambda visit: not visit.date_done):
            visit.date_done = fields.Date.context_today(visit)
