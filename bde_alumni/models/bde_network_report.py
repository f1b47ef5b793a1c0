from odoo import fields, models
from odoo.tools import SQL

RATE_FIELDS = (
    "alumni_rate_studies_6",
    "alumni_rate_employed_6",
    "alumni_rate_studies_12",
    "alumni_rate_employed_12",
)


class BdeNetworkReport(models.Model):
    """The insertion of a network's lycées' cohorts of the school year
    before: the cohorts summed, the rates computed from the network's summed
    counts and published from 20 alumni counted in the network, as a
    lycée's."""

    _inherit = "bde.network.report"

    alumni_cohort_size = fields.Integer(string="Alumni of last year", readonly=True)
    alumni_published_6 = fields.Boolean(
        string="Rates at 6 months published", readonly=True
    )
    alumni_published_12 = fields.Boolean(
        string="Rates at 12 months published", readonly=True
    )
    alumni_rate_studies_6 = fields.Float(
        string="Further studies at 6 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
    )
    alumni_rate_employed_6 = fields.Float(
        string="Employment at 6 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
    )
    alumni_rate_studies_12 = fields.Float(
        string="Further studies at 12 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
    )
    alumni_rate_employed_12 = fields.Float(
        string="Employment at 12 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
    )

    def _sum_fields(self):
        return [name for name in super()._sum_fields() if name not in RATE_FIELDS]

    def _query(self):
        counts = [
            f"SUM(ins.{count}_{months}) AS {count}_{months}"
            for months in (6, 12)
            for count in ("counted", "studies", "employed", "leavers")
        ]
        Report = self.env["bde.lycee.report"]
        return SQL(
            """
            SELECT network.*, %s
              FROM (%s) network
         LEFT JOIN (
                SELECT rel.network_id, ins.school_year, %s
                  FROM (%s) ins
                  JOIN res_company lycee
                    ON lycee.id = ins.company_id
                   AND lycee.bde_uai IS NOT NULL AND lycee.active
                  JOIN bde_network_res_company_rel rel
                    ON rel.company_id = ins.company_id
              GROUP BY rel.network_id, ins.school_year
            ) ins ON ins.network_id = network.network_id
                 AND ins.school_year = network.school_year
            """,
            Report._alumni_rate_columns(),
            super()._query(),
            SQL(", ".join(counts)),
            Report._alumni_insertion_sql(),
        )
