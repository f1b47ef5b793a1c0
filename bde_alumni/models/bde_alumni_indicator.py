from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from odoo.addons.bde_lycee.school_year import LYCEE_TODAY

# Below this cohort size, rates leaving the lycée would point at individuals.
PUBLICATION_THRESHOLD = 20
RATES = ("studies", "employed", "other", "seeking", "unknown")
# A row's id, from its grouping keys alone: the same row keeps its id whatever
# is searched, and PostgreSQL pushes a filter on the lycée, the exit year (or
# the id itself) down to the alumni it counts, where a row_number() over the
# whole view made it count every lycée first. Keys are packed in bits: the
# point (6 to 24 months) in 2, the exit year in 12 (below 4096), the lycée in
# 16 (ids below 65,536), the formation above; a bigint that stays below 2**53
# (what the web client reads exactly) for formation ids below 8 million.
ID_EXPRESSION = """
    ((exit_formation_id::bigint * 65536 + company_id) * 4096 + exit_year) * 4
    + months_after_exit / 6 - 1
"""


class BdeAlumniIndicator(models.Model):
    """Insertion indicators counted as InserJeunes counts them: one row per
    lycée, exit formation, exit year and follow-up point (6/12/18/24 months).

    A cohort is the alumni of one exit formation and exit year, archived ones
    included. At point M each alumni counts with their latest situation whose
    months_after_exit is M, else as unknown; a point appears once it is
    reached (exit date + M months, today at the latest). Further studies = studies or an
    apprenticeship; employment = salaried work over the leavers (cohort minus
    further studies); self-employed count as other."""

    _name = "bde.alumni.indicator"
    _description = "Alumni insertion indicator"
    _auto = False
    _order = "exit_year desc, exit_formation_id, months_after_exit, company_id"

    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    exit_formation_id = fields.Many2one(
        "bde.formation", string="Formation", readonly=True
    )
    exit_year = fields.Integer(readonly=True, aggregator=None)
    months_after_exit = fields.Integer(
        string="Months after exit", readonly=True, aggregator=None
    )
    cohort_size = fields.Integer(readonly=True)
    is_small_cohort = fields.Boolean(
        string="Small cohort",
        readonly=True,
        help="Fewer than 20 alumni: the rates are not published outside the lycée.",
    )
    # Counts reveal the rates of a small cohort: the lycée's BDE only.
    n_studies = fields.Integer(
        string="Further studies", readonly=True, groups="bde_lycee.group_bde_user"
    )
    n_employed = fields.Integer(
        string="Salaried employment", readonly=True, groups="bde_lycee.group_bde_user"
    )
    n_other = fields.Integer(
        string="Other", readonly=True, groups="bde_lycee.group_bde_user"
    )
    n_seeking = fields.Integer(
        string="Job seeking", readonly=True, groups="bde_lycee.group_bde_user"
    )
    n_unknown = fields.Integer(
        string="Unknown", readonly=True, groups="bde_lycee.group_bde_user"
    )
    leavers = fields.Integer(
        readonly=True,
        groups="bde_lycee.group_bde_user",
        help="Cohort minus further studies: the base of the employment rate.",
    )
    # Internal rates, shown to the lycée even for a small cohort.
    rate_studies = fields.Float(
        string="Further studies rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
        help="Further studies (apprentices included) over the cohort.",
    )
    rate_employed = fields.Float(
        string="Employment rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
        help="Salaried employment over the leavers.",
    )
    rate_other = fields.Float(
        string="Other rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
    )
    rate_seeking = fields.Float(
        string="Job seeking rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
    )
    rate_unknown = fields.Float(
        string="Unknown rate",
        readonly=True,
        aggregator=None,
        groups="bde_lycee.group_bde_user",
    )
    # Published rates: empty under 20 alumni.
    published_rate_studies = fields.Float(
        string="Further studies rate (published)", readonly=True, aggregator=None
    )
    published_rate_employed = fields.Float(
        string="Employment rate (published)", readonly=True, aggregator=None
    )
    published_rate_other = fields.Float(
        string="Other rate (published)", readonly=True, aggregator=None
    )
    published_rate_seeking = fields.Float(
        string="Job seeking rate (published)", readonly=True, aggregator=None
    )
    published_rate_unknown = fields.Float(
        string="Unknown rate (published)", readonly=True, aggregator=None
    )

    @api.model
    def _classified_query(self):
        """Each alumni of a cohort at each point reached, with their outcome:
        what the indicators count, and the alumni behind a count."""
        return SQL(
            """
            WITH points AS (
                SELECT unnest(ARRAY[6, 12, 18, 24]) AS months
            )
            SELECT partner.id AS partner_id,
                   partner.company_id,
                   partner.bde_exit_formation_id AS exit_formation_id,
                   partner.bde_exit_year AS exit_year,
                   points.months AS months_after_exit,
                   CASE
                       WHEN latest.status = 'studies'
                         OR (latest.status = 'employed'
                             AND latest.contract_type = 'apprenticeship')
                           THEN 'studies'
                       WHEN latest.status = 'employed'
                         AND latest.contract_type = 'self_employed'
                           THEN 'other'
                       WHEN latest.status IN ('employed', 'other', 'seeking')
                           THEN latest.status
                       ELSE 'unknown'
                   END AS outcome
              FROM res_partner partner
             CROSS JOIN points
              -- The latest situation of the alumni at the point, read
              -- alumni by alumni (an index look-up each): a lycée's
              -- indicators read its own alumni's situations only.
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
               -- a point counts once it is reached: before, every alumni
               -- would show as unknown
               AND (partner.bde_exit_date IS NULL
                    OR partner.bde_exit_date
                       + make_interval(months => points.months) <= %s)
            """,
            LYCEE_TODAY,
        )

    @api.model
    def _counted_query(self):
        """The cohorts counted at each point, one row per lycée, formation,
        exit year and point, with one count per outcome: the query both this
        view and the insertion report (one row per outcome) read, so that
        their figures are the same."""
        return SQL(
            """
            WITH classified AS (%s)
            SELECT company_id, exit_formation_id, exit_year, months_after_exit,
                   count(*) AS cohort_size,
                   count(*) FILTER (WHERE outcome = 'studies') AS n_studies,
                   count(*) FILTER (WHERE outcome = 'employed') AS n_employed,
                   count(*) FILTER (WHERE outcome = 'other') AS n_other,
                   count(*) FILTER (WHERE outcome = 'seeking') AS n_seeking,
                   count(*) FILTER (WHERE outcome = 'unknown') AS n_unknown,
                   count(*) FILTER (WHERE outcome != 'studies') AS leavers
              FROM classified
          GROUP BY company_id, exit_formation_id, exit_year, months_after_exit
            """,
            self._classified_query(),
        )

    @api.model
    def _query(self):
        rates = []
        for name in RATES:
            base = "cohort_size" if name == "studies" else "leavers"
            rate = f"n_{name}::float / NULLIF({base}, 0)"
            rates.append(f"{rate} AS rate_{name}")
            rates.append(
                f"CASE WHEN cohort_size >= {PUBLICATION_THRESHOLD} THEN {rate} END"
                f" AS published_rate_{name}"
            )
        return SQL(
            """
            WITH counted AS (%s)
            SELECT %s AS id,
                   counted.*,
                   cohort_size < %s AS is_small_cohort,
                   %s
              FROM counted
            """,
            self._counted_query(),
            SQL(ID_EXPRESSION),
            PUBLICATION_THRESHOLD,
            SQL(", ".join(rates)),
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
