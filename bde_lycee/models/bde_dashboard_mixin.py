from odoo import api, fields, models
from odoo.exceptions import AccessError


class BdeDashboardMixin(models.AbstractModel):
    """The lycées a dashboard counts, its figures and the lists they open.

    Dashboards read their figures as superuser, so that the academic
    correspondent (network reader), who reads no nominative record, still sees
    them: every figure's domain is restricted to _get_lycees() by hand.

    A dashboard names the list behind each figure in _get_figure_lists(); the
    figures in _count_fields count the records of their list
    (compute="_compute_counts"), and each drill-down button opens its list
    (_action_open_figure)."""

    _name = "bde.dashboard.mixin"
    _description = "Lycées of a BDE dashboard"
    _count_fields = ()

    company_ids = fields.Many2many(
        "res.company",
        string="Lycées",
        required=True,
        default=lambda self: self.env.user._bde_default_lycees(),
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    @api.depends("company_ids")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = ", ".join(dashboard.company_ids.mapped("name"))

    @api.depends("company_ids")
    def _compute_currency_id(self):
        for dashboard in self:
            dashboard.currency_id = (
                dashboard.company_ids[:1].currency_id or self.env.company.currency_id
            )

    @api.constrains("company_ids")
    def _check_company_ids(self):
        # The record rule keeps a dashboard out of reach once saved; a write
        # is checked against the rule before it changes the lycées.
        if self.env.su:
            return
        for dashboard in self:
            foreign = dashboard.company_ids - self.env.user.company_ids
            if foreign:
                raise AccessError(
                    self.env._(
                        "You do not belong to %(lycees)s: its figures are not "
                        "yours to read.",
                        lycees=", ".join(foreign.mapped("name")),
                    )
                )

    def _get_lycees(self):
        """The dashboard's lycées that the user belongs to: a lycée passed by
        hand (RPC, the onchange of an unsaved dashboard) that is not the
        user's counts nothing. Saved dashboards are held to the same by
        their record rule."""
        self.ensure_one()
        if self.env.su:
            return self.company_ids
        return self.company_ids & self.env.user.company_ids

    @api.model
    def action_open_dashboard(self):
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self._get_dashboard_title(),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _get_dashboard_title(self):
        raise NotImplementedError

    def _get_figure_lists(self):
        """The records behind each figure, by the figure's field:
        ``{field: (model, domain)}``."""
        raise NotImplementedError

    @api.depends("company_ids")
    def _compute_counts(self):
        for dashboard in self:
            lists = dashboard._get_figure_lists()
            for name in self._count_fields:
                model, domain = lists[name]
                dashboard[name] = self.env[model].sudo().search_count(domain)

    def _action_open_figure(self, name, title=None, views=("list", "form")):
        """The list of the records behind the figure ``name``, titled as the
        figure unless ``title`` says otherwise."""
        self.ensure_one()
        model, domain = self._get_figure_lists()[name]
        return {
            "type": "ir.actions.act_window",
            "name": title or self._fields[name]._description_string(self.env),
            "res_model": model,
            "domain": domain,
            "view_mode": ",".join(views),
            "views": [(False, view) for view in views],
            "context": {"create": False},
        }
