from odoo import fields, models
from odoo.tools import SQL


class BdeNetworkReport(models.Model):
    """The PFMP figures of a network: its lycées' counts summed, the
    signature rate from the summed counts and the hosts' average rating
    over every rating of its lycées (not an average of averages)."""

    _inherit = "bde.network.report"

    pfmp_placement_count = fields.Integer(string="Placements", readonly=True)
    pfmp_signed_count = fields.Integer(string="Placements fully signed", readonly=True)
    pfmp_signature_rate = fields.Float(
        string="Signature rate (%)", readonly=True, digits=(16, 1), aggregator=None
    )
    pfmp_no_host_count = fields.Integer(string="Students without host", readonly=True)
    pfmp_at_risk_count = fields.Integer(string="Students at risk", readonly=True)
    pfmp_visit_done_count = fields.Integer(string="Visits done", readonly=True)
    pfmp_visit_late_count = fields.Integer(string="Visits late", readonly=True)
    pfmp_rating_avg = fields.Float(
        string="Average host rating", readonly=True, digits=(3, 2), aggregator=None
    )
    pfmp_rating_count = fields.Integer(string="Host ratings", readonly=True)
    pfmp_days_done = fields.Integer(string="PFMP days done", readonly=True)
    pfmp_allowance_amount = fields.Monetary(string="PFMP allowances", readonly=True)
    pfmp_aplypro_blocked_count = fields.Integer(
        string="Students blocked in APLyPro", readonly=True
    )

    def _sum_fields(self):
        rates = {"pfmp_signature_rate", "pfmp_rating_avg"}
        return [name for name in super()._sum_fields() if name not in rates]

    def _query(self):
        return SQL(
            """
            SELECT network.*,
                   round(100.0 * network.pfmp_signed_count
                         / NULLIF(network.pfmp_placement_count, 0), 1)
                       AS pfmp_signature_rate,
                   rating.score_avg AS pfmp_rating_avg
              FROM (%s) network
         LEFT JOIN (
                SELECT rel.network_id, r.school_year, avg(r.score) AS score_avg
                  FROM bde_host_rating r
                  JOIN res_company lycee
                    ON lycee.id = r.company_id
                   AND lycee.bde_uai IS NOT NULL AND lycee.active
                  JOIN bde_network_res_company_rel rel
                    ON rel.company_id = r.company_id
              GROUP BY rel.network_id, r.school_year
            ) rating ON rating.network_id = network.network_id
                    AND rating.school_year = network.school_year
            """,
            super()._query(),
        )
