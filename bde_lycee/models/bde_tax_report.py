from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..school_year import LYCEE_TODAY


class BdeTaxReport(models.Model):
    """Apprenticeship tax by campaign and formation, where every total is the
    sum of its rows.

    Rows: one per pledge and formation it supports, one per pledge that
    chose no formation, and one per campaign that carries only the campaign's
    target. A pledge to several formations is split between them, so that
    the formations' amounts add up to the pledge's, never counted once per
    formation.

    School year: the tax of campaign year Y belongs to school year "Y-1 - Y".
    The campaign opens in the spring of Y (its start date, March in the
    demo) and the companies make their choice on SOLTéA from late May, both
    in school year "Y-1 - Y"; what is paid after 1 September (the deadline
    runs to December) is still that choice's money. bde.lycee.report reads
    the same rule.

    Aggregates only: no column names a company or a person; the pledge is
    kept for the lycée's staff to open the records behind a figure."""

    _name = "bde.tax.report"
    _description = "Apprenticeship tax analysis"
    _auto = False
    _order = "year desc, campaign_id, formation_id"
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one("bde.tax.campaign", string="Campaign", readonly=True)
    pledge_id = fields.Many2one(
        "bde.tax.pledge",
        string="Pledge",
        readonly=True,
        groups="bde_lycee.group_bde_user",
    )
    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    year = fields.Integer(string="Campaign year", readonly=True, aggregator=False)
    school_year = fields.Char(readonly=True)
    is_current_school_year = fields.Boolean(string="Current school year", readonly=True)
    line_type = fields.Selection(
        selection=[
            ("target", "Campaign target"),
            ("formation", "Formation chosen"),
            ("no_formation", "No formation chosen"),
        ],
        string="Row",
        readonly=True,
    )
    formation_id = fields.Many2one("bde.formation", string="Formation", readonly=True)
    amount_target = fields.Monetary(string="Target", readonly=True)
    amount_promised = fields.Monetary(string="Promised", readonly=True)
    amount_received = fields.Monetary(string="Received", readonly=True)

    def _split_sql(self, amount):
        """A pledge's share of ``amount`` for one of its formations.

        Split rule: a pledge to N formations gives each formation the amount
        divided by N, in cents; the cents left over (at most N - 1) go one
        each to the first formations by id. 100 € for three formations is
        33.34 + 33.33 + 33.33: the shares always add up to the pledge."""
        cents = SQL("ROUND(%s * 100)::bigint", amount)
        return SQL(
            "(%(cents)s / pf.formation_count"
            " + CASE WHEN pf.rank <= mod(%(cents)s, pf.formation_count)"
            " THEN 1 ELSE 0 END) / 100.0",
            cents=cents,
        )

    def _query(self):
        school_year = SQL("(c.year - 1)::text || '-' || c.year::text")
        # School year "Y-1 - Y" is the current one when today, moved on by
        # 4 months (1 September becomes 1 January), falls in year Y.
        is_current = SQL(
            "c.year = EXTRACT(YEAR FROM %s + INTERVAL '4 months')::int", LYCEE_TODAY
        )
        # Ids: a campaign's target row keeps the campaign's id; a pledge's
        # rows are above 2^32, the formation (0: none) in the low 32 bits.
        return SQL(
            """
            WITH pf AS (
                SELECT rel.bde_tax_pledge_id AS pledge_id,
                       rel.bde_formation_id AS formation_id,
                       row_number() OVER w AS rank,
                       count(*) OVER (PARTITION BY rel.bde_tax_pledge_id)
                           AS formation_count
                  FROM bde_formation_bde_tax_pledge_rel rel
                WINDOW w AS (PARTITION BY rel.bde_tax_pledge_id
                             ORDER BY rel.bde_formation_id)
            )
            SELECT c.id::bigint AS id, c.id AS campaign_id,
                   NULL::int AS pledge_id, c.company_id, co.currency_id,
                   c.year, %(school_year)s AS school_year,
                   %(is_current)s AS is_current_school_year,
                   'target' AS line_type, NULL::int AS formation_id,
                   COALESCE(c.amount_target, 0) AS amount_target,
                   0 AS amount_promised, 0 AS amount_received
              FROM bde_tax_campaign c
              JOIN res_company co ON co.id = c.company_id
            UNION ALL
            SELECT (p.id::bigint << 32) + COALESCE(pf.formation_id, 0),
                   c.id, p.id, c.company_id, co.currency_id,
                   c.year, %(school_year)s, %(is_current)s,
                   CASE WHEN pf.formation_id IS NULL THEN 'no_formation'
                        ELSE 'formation' END,
                   pf.formation_id, 0,
                   CASE WHEN pf.formation_id IS NULL
                        THEN COALESCE(p.amount_promised, 0)
                        ELSE %(promised)s END,
                   CASE WHEN pf.formation_id IS NULL
                        THEN COALESCE(p.amount_received, 0)
                        ELSE %(received)s END
              FROM bde_tax_pledge p
              JOIN bde_tax_campaign c ON c.id = p.campaign_id
              JOIN res_company co ON co.id = c.company_id
              LEFT JOIN pf ON pf.pledge_id = p.id
            """,
            school_year=school_year,
            is_current=is_current,
            promised=self._split_sql(SQL("COALESCE(p.amount_promised, 0)")),
            received=self._split_sql(SQL("COALESCE(p.amount_received, 0)")),
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
