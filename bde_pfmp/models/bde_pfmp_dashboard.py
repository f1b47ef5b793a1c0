from odoo import api, fields, models

from odoo.addons.bde_lycee.school_year import school_year_of

from .bde_pfmp_placement import STATES


class BdePfmpDashboard(models.TransientModel):
    """The PFMP figures of one or several lycées for the current school year,
    computed when the dashboard opens.

    Figures are aggregates: they are computed as superuser so that the
    academic correspondent (network reader), who reads no placement, still
    sees them; every domain is restricted by hand to the dashboard's lycées,
    among the user's (_get_lycees), for that reason."""

    _name = "bde.pfmp.dashboard"
    _inherit = "bde.dashboard.mixin"
    _description = "PFMP dashboard"
    _count_fields = ("no_host_count", "visit_late_count")

    school_year = fields.Char(compute="_compute_school_year")
    # Placements
    placement_count = fields.Integer(
        string="Placements",
        compute="_compute_placement_figures",
        help="Placements of the school year, cancelled ones excepted.",
    )
    placement_state_html = fields.Html(
        string="Placements by class and period",
        compute="_compute_placement_figures",
        sanitize=False,
    )
    no_host_count = fields.Integer(
        string="Students without host",
        compute="_compute_counts",
        help="Placements still searching for a host whose period starts within "
        "the lycée's number of days (21 by default).",
    )
    visit_late_count = fields.Integer(
        string="Visits late",
        compute="_compute_counts",
        help="Placements in progress past their middle without a visit or call done.",
    )
    # Host ratings
    rating_avg = fields.Float(
        string="Average host rating",
        digits=(3, 2),
        compute="_compute_rating_figures",
        help="Average score (1 to 5) of the ratings of the hosts given in this lycée.",
    )
    rating_count = fields.Integer(
        string="Host ratings", compute="_compute_rating_figures"
    )
    # Allowances
    allowance_days = fields.Integer(
        string="Days done", compute="_compute_allowance_figures"
    )
    allowance_amount = fields.Monetary(
        string="Allowances", compute="_compute_allowance_figures"
    )
    aplypro_blocked_count = fields.Integer(
        string="Students blocked in APLyPro",
        compute="_compute_allowance_figures",
        help="Students with a placement this school year whose allowance a check "
        "of APLyPro would block.",
    )

    def _get_dashboard_title(self):
        return self.env._("PFMP dashboard")

    # ------------------------------------------------------------
    # Domains: shared by the figures and the lists they open
    # ------------------------------------------------------------

    def _get_placement_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("school_year", "=", self.school_year),
            ("state", "!=", "cancelled"),
        ]

    def _get_no_host_domain(self):
        # The same students as the "Students without host" list and reminders.
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("is_without_host", "=", True),
        ]

    def _get_visit_late_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("state", "=", "in_progress"),
            ("date_middle", "<", fields.Date.context_today(self)),
            ("visit_ids", "not any", [("state", "=", "done")]),
        ]

    def _get_rating_domain(self):
        return [
            ("company_id", "in", self._get_lycees().ids),
            ("school_year", "=", self.school_year),
        ]

    def _get_aplypro_blocked_domain(self):
        return self._get_placement_domain() + [
            ("student_id.bde_aplypro_blocked", "=", True)
        ]

    def _get_figure_lists(self):
        placement = "bde.pfmp.placement"
        return {
            "placement_count": (placement, self._get_placement_domain()),
            "no_host_count": (placement, self._get_no_host_domain()),
            "visit_late_count": (placement, self._get_visit_late_domain()),
            "rating_count": ("bde.host.rating", self._get_rating_domain()),
            "aplypro_blocked_count": (placement, self._get_aplypro_blocked_domain()),
        }

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    def _compute_school_year(self):
        for dashboard in self:
            dashboard.school_year = school_year_of(fields.Date.context_today(self))

    @api.depends("company_ids")
    def _compute_placement_figures(self):
        Placement = self.env["bde.pfmp.placement"].sudo()
        labels = dict(Placement._fields["state"]._description_selection(self.env))
        for dashboard in self:
            groups = Placement._read_group(
                dashboard._get_placement_domain(),
                ["class_id", "period_id", "state"],
                ["__count"],
            )
            matrix = dashboard._get_state_matrix(groups)
            dashboard.placement_count = sum(count for *_keys, count in groups)
            dashboard.placement_state_html = self.env["ir.qweb"]._render(
                "bde_pfmp.bde_pfmp_dashboard_states",
                {
                    "states": [(state, labels[state]) for state in matrix["states"]],
                    "rows": matrix["rows"],
                },
            )

    @api.model
    def _get_state_matrix(self, groups):
        """Placements counted per (class, period) row and state column, the
        columns limited to the states that occur, in the flow's order."""
        order = [state for state, _label in STATES]
        states = sorted(
            {state for _cls, _period, state, _count in groups}, key=order.index
        )
        rows = {}
        for school_class, period, state, count in groups:
            row = rows.setdefault(
                (school_class, period),
                {"class": school_class, "period": period, "counts": {}, "total": 0},
            )
            row["counts"][state] = count
            row["total"] += count
        return {
            "states": states,
            "rows": sorted(
                rows.values(),
                key=lambda row: (
                    row["class"].name or "",
                    row["period"].date_start or fields.Date.today(),
                ),
            ),
        }

    @api.depends("company_ids")
    def _compute_rating_figures(self):
        Rating = self.env["bde.host.rating"].sudo()
        for dashboard in self:
            [[average, count]] = Rating._read_group(
                dashboard._get_rating_domain(), aggregates=["score:avg", "__count"]
            )
            dashboard.rating_avg = average or 0.0
            dashboard.rating_count = count

    @api.depends("company_ids")
    def _compute_allowance_figures(self):
        Placement = self.env["bde.pfmp.placement"].sudo()
        for dashboard in self:
            [[days, amount]] = Placement._read_group(
                dashboard._get_placement_domain(),
                aggregates=["days_done:sum", "allowance_amount:sum"],
            )
            dashboard.allowance_days = days or 0
            dashboard.allowance_amount = amount or 0.0
            dashboard.aplypro_blocked_count = len(
                Placement._read_group(
                    dashboard._get_aplypro_blocked_domain(), ["student_id"]
                )
            )

    # ------------------------------------------------------------
    # Drill-down: each figure opens the records it counts
    # ------------------------------------------------------------

    def action_open_placements(self):
        action = self._action_open_figure(
            "placement_count",
            self.env._("Placements by class and period"),
            views=("pivot", "graph", "list", "form"),
        )
        action["context"] = {
            "create": False,
            "pivot_row_groupby": ["class_id", "period_id"],
            "pivot_column_groupby": ["state"],
        }
        return action

    def action_open_no_host(self):
        return self._action_open_figure("no_host_count")

    def action_open_visit_late(self):
        return self._action_open_figure("visit_late_count")

    def action_open_aplypro_blocked(self):
        return self._action_open_figure("aplypro_blocked_count")

    def action_open_ratings(self):
        return self._action_open_figure("rating_count")
