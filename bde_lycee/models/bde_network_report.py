from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

# Fields of the view that are no figure of the lycées to add up.
KEY_FIELDS = {"id", "network_id", "network_type", "academy", "school_year"}


class BdeNetworkReport(models.Model):
    """The figures of a network (bassin, Campus des métiers, académie...) per
    school year: the sums of its lycées' rows of bde.lycee.report. A lycée
    in several networks counts once in each, never twice in one.

    Every count and amount this model declares under the name of a
    bde.lycee.report field is summed (_sum_fields): a module adding a figure
    to both adds it here. Rates and averages (declared with aggregator=None)
    are not summed: the module computes them from their summed parts."""

    _name = "bde.network.report"
    _description = "Figures of a network of lycées per school year"
    _auto = False
    _order = "school_year desc, network_id"
    _rec_name = "network_id"

    network_id = fields.Many2one("bde.network", string="Network", readonly=True)
    network_type = fields.Selection(
        selection=lambda self: (
            self.env["bde.network"]._fields["network_type"].selection
        ),
        string="Type",
        readonly=True,
    )
    academy = fields.Char(string="Académie", readonly=True)
    school_year = fields.Char(readonly=True)
    is_current_school_year = fields.Boolean(string="Current school year", readonly=True)
    lycee_count = fields.Integer(string="Lycées", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_active_count = fields.Integer(string="Active partners", readonly=True)
    partner_prospect_count = fields.Integer(string="Prospects", readonly=True)
    convention_active_count = fields.Integer(
        string="Conventions in force", readonly=True
    )
    convention_signed_count = fields.Integer(string="Conventions signed", readonly=True)
    convention_renewed_count = fields.Integer(
        string="Conventions renewed", readonly=True
    )
    convention_ended_count = fields.Integer(string="Conventions ended", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    event_count = fields.Integer(string="Events held", readonly=True)
    event_attendance = fields.Integer(string="Attendance", readonly=True)
    event_partner_count = fields.Integer(string="Partners taking part", readonly=True)
    skill_need_headcount = fields.Integer(
        string="Skill needs (headcount)", readonly=True
    )
    tax_amount_promised = fields.Monetary(string="Tax promised", readonly=True)
    tax_amount_received = fields.Monetary(string="Tax received", readonly=True)
    class_count = fields.Integer(string="Classes", readonly=True)
    student_count = fields.Integer(string="Students", readonly=True)

    def _sum_fields(self):
        """The lycées' figures this view adds up, in the fields' order."""
        lycee_fields = self.env["bde.lycee.report"]._fields
        return [
            name
            for name, field in self._fields.items()
            if name in lycee_fields
            and name not in KEY_FIELDS
            and field.store
            and field.type in ("integer", "float", "monetary")
            # a rate or an average (aggregator=None) is no sum of its lycées'
            and field.aggregator == "sum"
        ]

    def _query(self):
        # The lycées' query itself rather than its view: a module that
        # extends bde.lycee.report recreates its view, which would drop this
        # one along with it.
        sums = [
            SQL(", SUM(l.%s) AS %s", SQL.identifier(name), SQL.identifier(name))
            for name in self._sum_fields()
        ]
        return SQL(
            """
            SELECT n.id * 10000 + left(l.school_year, 4)::int AS id,
                   n.id AS network_id,
                   n.network_type, n.academy, l.school_year,
                   bool_or(l.is_current_school_year) AS is_current_school_year,
                   count(*) AS lycee_count, min(l.currency_id) AS currency_id
                   %s
              FROM bde_network n
              JOIN bde_network_res_company_rel r ON r.network_id = n.id
              JOIN (%s) l ON l.company_id = r.company_id
             WHERE n.active
             GROUP BY n.id, l.school_year
            """,
            SQL("").join(sums),
            self.env["bde.lycee.report"]._query(),
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
