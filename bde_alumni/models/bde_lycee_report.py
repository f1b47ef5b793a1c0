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
        studies, employed, and the leavers: the insertion indicators' counts
        (_counted_query) summed over the lycée's formations."""
        points = []
        for months in (6, 12):
            at = f"FILTER (WHERE months_after_exit = {months})"
            points.append(
                f"""
                SUM(cohort_size) {at} AS counted_{months},
                SUM(n_studies) {at} AS studies_{months},
                SUM(n_employed) {at} AS employed_{months},
                SUM(leavers) {at} AS leavers_{months}
                """
            )
        return SQL(
            """
            SELECT cohort.company_id,
                   concat(cohort.exit_year, '-', cohort.exit_year + 1)
                       AS school_year,
                   cohort.cohort_size, point.*
              FROM (
                -- every alumni of the cohort, whether a point is reached
                SELECT company_id, bde_exit_year AS exit_year,
                       count(*) AS cohort_size
                  FROM res_partner
                 WHERE bde_is_alumni
                   AND company_id IS NOT NULL
                   AND bde_exit_formation_id IS NOT NULL
                   AND bde_exit_year IS NOT NULL
              GROUP BY company_id, bde_exit_year
              ) cohort
         LEFT JOIN LATERAL (
                SELECT %s
                  FROM (%s) counted
                 WHERE counted.company_id = cohort.company_id
                   AND counted.exit_year = cohort.exit_year
              ) point ON TRUE
            """,
            SQL(", ".join(points)),
            self.env["bde.alumni.indicator"]._counted_query(),
        )
