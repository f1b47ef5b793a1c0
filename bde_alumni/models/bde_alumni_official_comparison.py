from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from .bde_alumni_indicator import PUBLICATION_THRESHOLD
from .bde_alumni_official_indicator import OFFICIAL_HELP


class BdeAlumniOfficialComparison(models.Model):
    """InserJeunes' official rates beside the lycée's own: one row per
    official figure (lycée, formation, millésime, point), with the lycée's
    own indicators of the same formation and point cumulated over the same
    two exit years, as InserJeunes cumulates them."""

    _name = "bde.alumni.official.comparison"
    _description = "Official and own insertion indicators"
    _auto = False
    _order = "millesime desc, formation_label, months_after_exit, company_id"
    _rec_name = "formation_label"

    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    formation_id = fields.Many2one("bde.formation", string="Formation", readonly=True)
    formation_code = fields.Char(string="MEF_STAT_11", readonly=True)
    formation_label = fields.Char(string="Official label", readonly=True)
    millesime = fields.Char(
        string="Millésime",
        readonly=True,
        help="The two cumulated exit years, for both the official and the "
        "lycée's own figures.",
    )
    months_after_exit = fields.Integer(
        string="Months after exit", readonly=True, aggregator=None
    )
    is_latest = fields.Boolean(
        string="Latest millésime",
        readonly=True,
        help="The lycée's latest millésime imported.",
    )
    official_rate_employed = fields.Float(
        string="Official employment rate",
        readonly=True,
        aggregator=None,
        help=OFFICIAL_HELP,
    )
    official_rate_studies = fields.Float(
        string="Official further studies rate",
        readonly=True,
        aggregator=None,
        help=OFFICIAL_HELP,
    )
    official_rate_favourable = fields.Float(
        string="Official favourable outcome rate",
        readonly=True,
        aggregator=None,
        help="Further studies plus employment six months after exit, over the "
        "final-year students. " + OFFICIAL_HELP,
    )
    is_employed_published = fields.Boolean(
        string="Official employment rate published", readonly=True
    )
    is_studies_published = fields.Boolean(
        string="Official further studies rate published", readonly=True
    )
    is_outcome_published = fields.Boolean(
        string="Official outcome published", readonly=True
    )
    own_cohort_size = fields.Integer(
        string="Own cohort",
        readonly=True,
        help="The lycée's alumni of this formation over the same two exit "
        "years (the official dataset publishes no cohort size: its rates are "
        "empty under 20 people).",
    )
    is_small_cohort = fields.Boolean(
        string="Small own cohort",
        readonly=True,
        help="Fewer than 20 alumni: the lycée's own rates are not published "
        "outside the lycée.",
    )
    # The lycée's own rates, counted from its surveys as its indicators count
    # them: for its staff even under 20 alumni; published ones for others.
    own_rate_employed = fields.Float(
        string="Own employment rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
        help="Salaried employment over the leavers, from the lycée's surveys.",
    )
    own_rate_studies = fields.Float(
        string="Own further studies rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
        help="Further studies (apprentices included) over the cohort, from the "
        "lycée's surveys.",
    )
    own_published_rate_employed = fields.Float(
        string="Own employment rate (published)", readonly=True, aggregator=None
    )
    own_published_rate_studies = fields.Float(
        string="Own further studies rate (published)", readonly=True, aggregator=None
    )

    @api.model
    def _query(self):
        rates = {
            "employed": "own.n_employed::float / NULLIF(own.leavers, 0)",
            "studies": "own.n_studies::float / NULLIF(own.cohort_size, 0)",
        }
        columns = [
            f"{rate} AS own_rate_{name}, "
            f"CASE WHEN own.cohort_size >= {PUBLICATION_THRESHOLD} THEN {rate} END"
            f" AS own_published_rate_{name}"
            for name, rate in rates.items()
        ]
        return SQL(
            """
            SELECT official.id,
                   official.company_id,
                   official.formation_id,
                   official.formation_code,
                   official.formation_label,
                   official.millesime,
                   official.months_after_exit,
                   official.millesime = (
                       SELECT max(latest.millesime)
                         FROM bde_alumni_official_indicator latest
                        WHERE latest.company_id = official.company_id
                   ) AS is_latest,
                   official.rate_employed AS official_rate_employed,
                   official.rate_studies AS official_rate_studies,
                   official.rate_favourable AS official_rate_favourable,
                   official.is_employed_published,
                   official.is_studies_published,
                   official.is_outcome_published,
                   own.cohort_size AS own_cohort_size,
                   COALESCE(own.cohort_size, 0) < %s AS is_small_cohort,
                   %s
              FROM bde_alumni_official_indicator official
              LEFT JOIN (
                  -- the lycée's own counts of a formation at a point, summed
                  -- over the millésime's two exit years; a filter on the
                  -- lycée reaches its alumni through the join's equality
                  SELECT official.id AS official_id,
                         sum(indicator.cohort_size)::integer AS cohort_size,
                         sum(indicator.n_studies) AS n_studies,
                         sum(indicator.n_employed) AS n_employed,
                         sum(indicator.leavers) AS leavers
                    FROM bde_alumni_official_indicator official
                    JOIN bde_alumni_indicator indicator
                      ON indicator.company_id = official.company_id
                     AND indicator.exit_formation_id = official.formation_id
                     AND indicator.months_after_exit = official.months_after_exit
                     AND indicator.exit_year BETWEEN official.exit_year_first
                                                 AND official.exit_year_last
                GROUP BY official.id
              ) AS own ON own.official_id = official.id
            """,
            PUBLICATION_THRESHOLD,
            SQL(", ".join(columns)),
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
