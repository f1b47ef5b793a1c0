from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression

# A convention is to renew when it ends within this many days: a term and a
# half, the time to meet the partner, negotiate and sign again.
CONVENTION_RENEWAL_DAYS = 90
UPCOMING_EVENTS_SHOWN = 5


class BdeDashboard(models.TransientModel):
    """The BDE's figures for one or several lycées, computed when the
    dashboard opens.

    Figures are aggregates: they are computed as superuser so that the
    academic correspondent (network reader), who reads no partner, lead or
    convention, still sees them; every domain is restricted by hand to the
    dashboard's lycées, among the user's (_get_lycees), for that reason."""

    _name = "bde.dashboard"
    _inherit = "bde.dashboard.mixin"
    _description = "BDE dashboard"
    _count_fields = (
        "partner_active_count",
        "partner_prospect_count",
        "convention_active_count",
        "convention_to_renew_count",
    )

    # Partners
    partner_active_count = fields.Integer(
        string="Active partners", compute="_compute_counts"
    )
    partner_prospect_count = fields.Integer(
        string="Prospects", compute="_compute_counts"
    )
    # Conventions
    convention_active_count = fields.Integer(
        string="Conventions in force", compute="_compute_counts"
    )
    convention_to_renew_count = fields.Integer(
        string="Conventions to renew",
        compute="_compute_counts",
        help="Conventions in force that end within 90 days.",
    )
    # Pipeline
    lead_count = fields.Integer(string="Leads", compute="_compute_pipeline")
    pipeline_html = fields.Html(
        string="Pipeline by stage", compute="_compute_pipeline", sanitize=False
    )
    # Events
    event_upcoming_count = fields.Integer(
        string="Upcoming events", compute="_compute_events"
    )
    event_upcoming_html = fields.Html(
        string="Next events", compute="_compute_events", sanitize=False
    )
    # Skill needs
    skill_need_headcount = fields.Integer(
        string="Open skill needs",
        compute="_compute_skill_needs",
        help="Total headcount of the skill needs not closed.",
    )
    # Apprenticeship tax
    tax_year = fields.Integer(string="Campaign year", compute="_compute_tax")
    tax_amount_promised = fields.Monetary(string="Tax promised", compute="_compute_tax")
    tax_amount_received = fields.Monetary(string="Tax received", compute="_compute_tax")

    def _get_dashboard_title(self):
        return self.env._("Dashboard")

    # ------------------------------------------------------------
    # Domains: shared by the figures and the lists they open
    # ------------------------------------------------------------

    def _get_partner_domain(self, status):
        # Companies are shared by the lycées of the network (no company);
        # their status is the dashboard's lycées', not the current one's.
        lycees = self._get_lycees()
        Partner = self.env["res.partner"]
        return [
            ("is_company", "=", True),
            ("company_id", "in", lycees.ids + [False]),
            *expression.OR(
                [Partner._bde_partner_status_domain(status, lycee) for lycee in lycees]
            ),
        ]

    def _get_convention_active_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("state", "=", "active"),
        ]

    def _get_convention_to_renew_domain(self):
        today = fields.Date.context_today(self)
        return self._get_convention_active_domain() + [
            ("date_end", ">=", fields.Date.to_string(today)),
            (
                "date_end",
                "<=",
                fields.Date.to_string(
                    today + relativedelta(days=CONVENTION_RENEWAL_DAYS)
                ),
            ),
        ]

    def _get_lead_domain(self):
        team = self.env.ref("bde_lycee.crm_team_bde", raise_if_not_found=False)
        return [
            ("team_id", "=", team.id if team else False),
            ("company_id", "in", self._get_lycees().ids),
        ]

    def _get_event_upcoming_domain(self):
        return [
            ("bde_is_bde_event", "=", True),
            ("date_end", ">=", fields.Datetime.to_string(fields.Datetime.now())),
            ("company_id", "in", self._get_lycees().ids + [False]),
        ]

    def _get_skill_need_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("state", "!=", "closed"),
        ]

    def _get_tax_pledge_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("year", "=", fields.Date.context_today(self).year),
        ]

    def _get_figure_lists(self):
        convention = "bde.partnership.convention"
        return {
            "partner_active_count": ("res.partner", self._get_partner_domain("active")),
            "partner_prospect_count": (
                "res.partner",
                self._get_partner_domain("prospect"),
            ),
            "convention_active_count": (
                convention,
                self._get_convention_active_domain(),
            ),
            "convention_to_renew_count": (
                convention,
                self._get_convention_to_renew_domain(),
            ),
            "lead_count": ("crm.lead", self._get_lead_domain()),
            "event_upcoming_count": ("event.event", self._get_event_upcoming_domain()),
            "skill_need_headcount": ("bde.skill.need", self._get_skill_need_domain()),
            "tax_amount_promised": ("bde.tax.pledge", self._get_tax_pledge_domain()),
        }

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    @api.depends("company_ids")
    def _compute_pipeline(self):
        Lead = self.env["crm.lead"].sudo()
        for dashboard in self:
            groups = Lead._read_group(
                dashboard._get_lead_domain(),
                ["stage_id"],
                ["__count", "expected_revenue:sum"],
                order="stage_id",
            )
            dashboard.lead_count = sum(count for _stage, count, _revenue in groups)
            dashboard.pipeline_html = self.env["ir.qweb"]._render(
                "bde_lycee.bde_dashboard_pipeline",
                {"groups": groups, "currency": dashboard.currency_id},
            )

    @api.depends("company_ids")
    def _compute_events(self):
        Event = self.env["event.event"].sudo()
        for dashboard in self:
            domain = dashboard._get_event_upcoming_domain()
            dashboard.event_upcoming_count = Event.search_count(domain)
            dashboard.event_upcoming_html = self.env["ir.qweb"]._render(
                "bde_lycee.bde_dashboard_events",
                {"events": Event.search(domain, limit=UPCOMING_EVENTS_SHOWN)},
            )

    @api.depends("company_ids")
    def _compute_skill_needs(self):
        SkillNeed = self.env["bde.skill.need"].sudo()
        for dashboard in self:
            [[headcount]] = SkillNeed._read_group(
                dashboard._get_skill_need_domain(), aggregates=["headcount:sum"]
            )
            dashboard.skill_need_headcount = headcount or 0

    @api.depends("company_ids")
    def _compute_tax(self):
        Pledge = self.env["bde.tax.pledge"].sudo()
        for dashboard in self:
            [[promised, received]] = Pledge._read_group(
                dashboard._get_tax_pledge_domain(),
                aggregates=["amount_promised:sum", "amount_received:sum"],
            )
            dashboard.tax_year = fields.Date.context_today(self).year
            dashboard.tax_amount_promised = promised or 0.0
            dashboard.tax_amount_received = received or 0.0

    # ------------------------------------------------------------
    # Drill-down: each figure opens the records it counts
    # ------------------------------------------------------------

    def action_open_active_partners(self):
        return self._action_open_figure("partner_active_count")

    def action_open_prospects(self):
        return self._action_open_figure("partner_prospect_count")

    def action_open_conventions_active(self):
        return self._action_open_figure("convention_active_count")

    def action_open_conventions_to_renew(self):
        return self._action_open_figure("convention_to_renew_count")

    def action_open_leads(self):
        return self._action_open_figure(
            "lead_count", self.env._("Pipeline"), views=("kanban", "list", "form")
        )

    def action_open_upcoming_events(self):
        return self._action_open_figure("event_upcoming_count")

    def action_open_skill_needs(self):
        return self._action_open_figure("skill_need_headcount")

    def action_open_tax_pledges(self):
        return self._action_open_figure(
            "tax_amount_promised", self.env._("Apprenticeship tax pledges")
        )
