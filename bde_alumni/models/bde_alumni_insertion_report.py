from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from .bde_alumni_indicator import ID_EXPRESSION, PUBLICATION_THRESHOLD

# The outcomes of a cohort at a point, in the order the charts stack them, with
# their column in the counted cohorts (bde.alumni.indicator._counted_query).
OUTCOMES = [
    ("employed", "Salaried employment"),
    ("studies", "Further studies"),
    ("other", "Other"),
    ("seeking", "Job seeking"),
    ("unknown", "Unknown"),
]


class BdeAlumniInsertionReport(models.Model):
    """The insertion indicators in long form, one row per lycée, exit
    formation, exit year, follow-up point and outcome, with its count and its
    share of the cohort: what a chart stacks by outcome (the indicators have
    one column per outcome, and a chart draws one column at a time).

    Every cohort point has a row for each outcome, zero included, so that the
    outcomes of any group of cohort points sum to 100 %. The network reader's
    rule leaves out cohorts of fewer than 20 alumni (not published)."""

    _name = "bde.alumni.insertion.report"
    _description = "Alumni insertion rates by outcome"
    _auto = False
    _order = "exit_year desc, exit_formation_id, months_after_exit, company_id, id"

    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    exit_formation_id = fields.Many2one(
        "bde.formation", string="Formation", readonly=True
    )
    exit_year = fields.Integer(readonly=True, aggregator=None)
    months_after_exit = fields.Integer(
        string="Months after exit", readonly=True, aggregator=None
    )
    status = fields.Selection(
        OUTCOMES,
        string="Outcome",
        readonly=True,
        help="As InserJeunes counts them: apprentices are in further studies, "
        "the self-employed in other; an alumni whose situation at the point is "
        "not known is unknown.",
    )
    alumni_count = fields.Integer(string="Alumni", readonly=True)
    cohort_size = fields.Integer(readonly=True, aggregator=None)
    rate = fields.Float(
        string="Share of the cohort",
        readonly=True,
        aggregator="avg",
        help="Alumni with this outcome over the cohort. Over several cohorts, "
        "the average of their shares: the outcomes still sum to 100 %.",
    )
    is_small_cohort = fields.Boolean(
        string="Small cohort",
        readonly=True,
        help="Fewer than 20 alumni: not published outside the lycée.",
    )
    is_latest_cohort = fields.Boolean(
        string="Latest cohort",
        readonly=True,
        help="The last exit year of the formation in the lycée whose follow-up "
        "has begun (6 months after exit reached).",
    )

    @api.model
    def _query(self):
        outcomes = SQL(", ").join(
            SQL("(%s, %s, counted.%s)", index, status, SQL.identifier(f"n_{status}"))
            for index, (status, _label) in enumerate(OUTCOMES)
        )
        # A row's id: its cohort point's id in the indicators, times 8, plus
        # the outcome (formation ids below 1 million keep it below 2**53).
        return SQL(
            """
            WITH counted AS (%(counted)s)
            SELECT (%(cohort_point_id)s) * 8 + outcome.ordinal AS id,
                   counted.company_id,
                   counted.exit_formation_id,
                   counted.exit_year,
                   counted.months_after_exit,
                   outcome.status,
                   outcome.alumni_count,
                   counted.cohort_size,
                   outcome.alumni_count::float / counted.cohort_size AS rate,
                   counted.cohort_size < %(threshold)s AS is_small_cohort,
                   -- partitioned by the lycée: a filter on the lycée still
                   -- reaches the alumni it counts
                   counted.exit_year = max(counted.exit_year) OVER (
                       PARTITION BY counted.company_id, counted.exit_formation_id
                   ) AS is_latest_cohort
              FROM counted
             CROSS JOIN LATERAL (VALUES %(outcomes)s)
                   AS outcome(ordinal, status, alumni_count)
            """,
            cohort_point_id=SQL(ID_EXPRESSION),
            threshold=PUBLICATION_THRESHOLD,
            counted=self.env["bde.alumni.indicator"]._counted_query(),
            outcomes=outcomes,
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

    def action_view_alumni(self):
        """The alumni behind a count: those of the cohort whose outcome at
        the point is this row's, among the alumni the user may read (none for
        the network reader, by the rules on contacts)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT partner_id FROM (%s) AS classified
                    WHERE company_id = %s AND exit_formation_id = %s
                      AND exit_year = %s AND months_after_exit = %s
                      AND outcome = %s""",
                self.env["bde.alumni.indicator"]._classified_query(),
                self.company_id.id,
                self.exit_formation_id.id,
                self.exit_year,
                self.months_after_exit,
                self.status,
            )
        )
        # archived alumni count in their cohort
        alumni = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "in", [row[0] for row in self.env.cr.fetchall()])])
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_alumni.res_partner_action_alumni_all"
        )
        statuses = dict(self._fields["status"]._description_selection(self.env))
        action.update(
            name=self.env._(
                "%(formation)s %(year)s, %(months)s months: %(outcome)s",
                formation=self.exit_formation_id.display_name,
                year=self.exit_year,
                months=self.months_after_exit,
                outcome=statuses[self.status],
            ),
            domain=[("id", "in", alumni.ids)],
            context={"active_test": False, "create": False},
        )
        return action
