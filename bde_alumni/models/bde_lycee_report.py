from odoo import fields, models
from odoo.tools import SQL

from .bde_alumni_indicator import PUBLICATION_THRESHOLD


class BdeLyceeReport(models.Model):
    """The insertion of the cohort that left the lycée the school year
    before: further studies and salaried employment 6 and 12 months after
    exit, counted as the insertion indicators count them (the latest
    situation at the point, apprentices in further studies, employment over
    the leavers), all formations together. A rate is published only when 20
    alumni or more are counted at its point: below, it would point at
    individuals, so the column stays empty for everyone."""

    _inherit = "bde.lycee.report"

    alumni_cohort_size = fields.Integer(
        string="Alumni of last year",
        readonly=True,
        help="Alumni who left the lycée the school year before, with their "
        "exit formation.",
    )
    alumni_rate_studies_6 = fields.Float(
        string="Further studies at 6 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
        help="Further studies (apprentices included) over the cohort; empty "
        "for fewer than 20 alumni or before the point is reached.",
    )
    alumni_rate_employed_6 = fields.Float(
        string="Employment at 6 months (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
        help="Salaried employment over the leavers (the cohort minus further "
        "studies); empty for fewer than 20 alumni or before the point is "
        "reached.",
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

    # The ORM reads an empty float as 0: the views hide the rates of a point
    # that is not published rather than show a rate of 0 %.
    alumni_published_6 = fields.Boolean(
        string="Rates at 6 months published",
        readonly=True,
        help="20 alumni or more counted at 6 months.",
    )
    alumni_published_12 = fields.Boolean(
        string="Rates at 12 months published",
        readonly=True,
        help="20 alumni or more counted at 12 months.",
    )

    def _figure_joins(self):
        select = SQL(
            "COALESCE(ins.cohort_size, 0) AS alumni_cohort_size, %s",
            self._alumni_rate_columns(),
        )
        join = SQL(
            "LEFT JOIN (%s) ins ON ins.company_id = ly.company_id"
            " AND ins.school_year = ly.school_year",
            self._alumni_insertion_sql(),
        )
        return super()._figure_joins() + [(select, join)]

    def _alumni_rate_columns(self):
        """Whether each point is published and its rates, from the counts of
        ``ins`` (_alumni_insertion_sql's columns, a lycée's or summed over a
        network's lycées): further studies over the alumni counted,
        employment over the leavers."""
        columns = []
        for months in (6, 12):
            published = f"ins.counted_{months} >= {PUBLICATION_THRESHOLD}"
            columns.append(f"COALESCE({published}, FALSE) AS alumni_published_{months}")
            for kind, base in (("studies", "counted"), ("employed", "leavers")):
                columns.append(
                    f"CASE WHEN {published}"
                    f" THEN round(100.0 * ins.{kind}_{months}"
                    f" / NULLIF(ins.{base}_{months}, 0), 1)"
                    f" END AS alumni_rate_{kind}_{months}"
                )
        return SQL(", ".join(columns))

    def _alumni_insertion_sql(self):
        """Per lycée and school year, the cohort that left the school year
        before (exit year E counts in the school year E-(E+1)) and, at 6 and
        12 months, the alumni counted (the point reached), in further
        studies, employed, and the leavers."""
        points = []
        for months in (6, 12):
            at = f"months = {months} AND reached"
            points.append(
                f"""
                count(*) FILTER (WHERE {at}) AS counted_{months},
                count(*) FILTER (WHERE {at} AND in_studies) AS studies_{months},
                count(*) FILTER (WHERE {at} AND employed) AS employed_{months},
                count(*) FILTER (WHERE {at} AND NOT in_studies) AS leavers_{months}
                """
            )
        return SQL(
            """
            SELECT company_id, school_year,
                   count(*) FILTER (WHERE months = 6) AS cohort_size,
                   %s
              FROM (
                SELECT partner.company_id,
                       concat(partner.bde_exit_year, '-', partner.bde_exit_year + 1)
                           AS school_year,
                       points.months,
                       (partner.bde_exit_date IS NULL
                        OR partner.bde_exit_date
                           + make_interval(months => points.months) <= CURRENT_DATE)
                           AS reached,
                       COALESCE(latest.status = 'studies'
                                OR (latest.status = 'employed'
                                    AND latest.contract_type = 'apprenticeship'),
                                FALSE) AS in_studies,
                       COALESCE(latest.status = 'employed'
                                AND COALESCE(latest.contract_type, '')
                                    NOT IN ('apprenticeship', 'self_employed'),
                                FALSE) AS employed
                  FROM res_partner partner
                 CROSS JOIN (VALUES (6), (12)) AS points (months)
                  -- the latest situation at the point, one index look-up
                  LEFT JOIN LATERAL (
                      SELECT status, contract_type
                        FROM bde_alumni_situation
                       WHERE partner_id = partner.id
                         AND months_after_exit = points.months
                    ORDER BY date DESC, id DESC
                       LIMIT 1
                  ) AS latest ON TRUE
                 WHERE partner.bde_is_alumni
                   AND partner.company_id IS NOT NULL
                   AND partner.bde_exit_formation_id IS NOT NULL
                   AND partner.bde_exit_year IS NOT NULL
              ) AS outcome
          GROUP BY company_id, school_year
            """,
            SQL(", ".join(points)),
        )
