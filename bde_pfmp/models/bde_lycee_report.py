from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.bde_lycee.school_year import LYCEE_TODAY, lycee_today

from .bde_pfmp_placement import HOSTED_STATES


class BdeLyceeReport(models.Model):
    """The PFMP figures of a lycée's school year: placements, signatures,
    students without host, visits, hosts' ratings and allowances, each counted
    in the school year of the placement's class."""

    _inherit = "bde.lycee.report"

    pfmp_placement_count = fields.Integer(
        string="Placements", readonly=True, help="Cancelled placements excepted."
    )
    pfmp_signed_count = fields.Integer(
        string="Placements fully signed",
        readonly=True,
        help="Placements whose convention every party signed, or signed on "
        "paper with its scan attached.",
    )
    pfmp_signature_rate = fields.Float(
        string="Signature rate (%)",
        readonly=True,
        digits=(16, 1),
        aggregator=None,
        help="Placements fully signed over the placements, in percent.",
    )
    pfmp_no_host_count = fields.Integer(
        string="Students without host",
        readonly=True,
        help="Students of the year's classes whose PFMP period is under way or "
        "starts within the lycée's number of days (21 by default), with no "
        "placement at a host for it.",
    )
    pfmp_at_risk_count = fields.Integer(
        string="Students at risk",
        readonly=True,
        help="Students of the year's classes, one per PFMP period under way or "
        "starting within the lycée's number of days (15 by default), with no "
        "placement, no host, a convention not fully signed or a placement not "
        "started.",
    )
    pfmp_visit_done_count = fields.Integer(
        string="Visits done", readonly=True, help="Visits or calls done."
    )
    pfmp_visit_late_count = fields.Integer(
        string="Visits late",
        readonly=True,
        help="Placements in progress past their middle without a visit or call done.",
    )
    pfmp_rating_avg = fields.Float(
        string="Average host rating",
        readonly=True,
        digits=(3, 2),
        aggregator=None,
        help="Average score (1 to 5) of the hosts' ratings of the school "
        "year's placements.",
    )
    pfmp_rating_count = fields.Integer(string="Host ratings", readonly=True)
    pfmp_days_done = fields.Integer(string="PFMP days done", readonly=True)
    pfmp_allowance_amount = fields.Monetary(string="PFMP allowances", readonly=True)
    pfmp_aplypro_blocked_count = fields.Integer(
        string="Students blocked in APLyPro",
        readonly=True,
        help="Students with a placement this school year whose allowance a "
        "check of APLyPro would block.",
    )

    # ------------------------------------------------------------
    # Drill-down: the records behind each figure, for the lycée's staff
    # ------------------------------------------------------------

    def _get_figure_domains(self):
        domains = super()._get_figure_domains()
        placement = "bde.pfmp.placement"
        placements = [
            ("company_id", "=", self.company_id.id),
            ("school_year", "=", self.school_year),
            ("state", "!=", "cancelled"),
        ]
        # As the view counts them, by the placement's school year.
        visits = [
            ("placement_id.company_id", "=", self.company_id.id),
            ("placement_id.school_year", "=", self.school_year),
        ]
        domains.update(
            {
                "pfmp_placement_count": (placement, placements),
                "pfmp_signed_count": (
                    placement,
                    placements + [("signature_progress", ">=", 100)],
                ),
                "pfmp_no_host_count": (
                    "res.partner",
                    [("id", "in", self._get_no_host_student_ids())],
                ),
                "pfmp_at_risk_count": (
                    "bde.pfmp.risk",
                    [
                        ("company_id", "=", self.company_id.id),
                        ("school_year", "=", self.school_year),
                        ("is_at_risk", "=", True),
                    ],
                ),
                "pfmp_visit_done_count": (
                    "bde.pfmp.visit",
                    visits + [("state", "=", "done")],
                ),
                "pfmp_visit_late_count": (
                    placement,
                    placements
                    + [
                        ("state", "=", "in_progress"),
                        ("date_middle", "<", lycee_today()),
                        ("visit_ids", "not any", [("state", "=", "done")]),
                    ],
                ),
                "pfmp_rating_count": (
                    "bde.host.rating",
                    [
                        ("company_id", "=", self.company_id.id),
                        ("school_year", "=", self.school_year),
                    ],
                ),
                "pfmp_aplypro_blocked_count": (
                    "res.partner",
                    [
                        ("bde_aplypro_blocked", "=", True),
                        ("bde_student_placement_ids", "any", placements),
                    ],
                ),
            }
        )
        return domains

    def _get_no_host_student_ids(self):
        self.env.cr.execute(
            SQL(
                "SELECT student_id FROM (%s) no_host"
                " WHERE company_id = %s AND school_year = %s",
                self._pfmp_no_host_sql(),
                self.company_id.id,
                self.school_year,
            )
        )
        return [student_id for (student_id,) in self.env.cr.fetchall()]

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    def _figure_joins(self):
        return super()._figure_joins() + [
            self._pfmp_placement_join(),
            self._pfmp_no_host_join(),
            self._pfmp_at_risk_join(),
            self._pfmp_visit_join(),
            self._pfmp_rating_join(),
        ]

    def _pfmp_placement_join(self):
        select = SQL(
            """
            COALESCE(pl.placement_count, 0) AS pfmp_placement_count,
            COALESCE(pl.signed_count, 0) AS pfmp_signed_count,
            round(100.0 * pl.signed_count / NULLIF(pl.placement_count, 0), 1)
                AS pfmp_signature_rate,
            COALESCE(pl.visit_late_count, 0) AS pfmp_visit_late_count,
            COALESCE(pl.days_done, 0) AS pfmp_days_done,
            COALESCE(pl.allowance_amount, 0) AS pfmp_allowance_amount,
            COALESCE(ab.blocked_count, 0) AS pfmp_aplypro_blocked_count
            """
        )
        join = SQL(
            """
            CROSS JOIN LATERAL (
                SELECT count(*) AS placement_count,
                       count(*) FILTER (WHERE p.signature_progress >= 100)
                           AS signed_count,
                       -- as the placement's search for late visits
                       count(*) FILTER (
                           WHERE p.state = 'in_progress'
                             AND p.date_middle < %(today)s
                             AND NOT EXISTS (
                                 SELECT 1 FROM bde_pfmp_visit v
                                  WHERE v.placement_id = p.id AND v.state = 'done'))
                           AS visit_late_count,
                       sum(p.days_done) AS days_done,
                       sum(p.allowance_amount) AS allowance_amount
                  FROM bde_pfmp_placement p
                 WHERE p.company_id = ly.company_id
                   AND p.school_year = ly.school_year
                   AND p.state != 'cancelled'
            ) pl
            CROSS JOIN LATERAL (
                SELECT count(DISTINCT p.student_id) AS blocked_count
                  FROM bde_pfmp_placement p
                  JOIN res_partner student ON student.id = p.student_id
                 WHERE p.company_id = ly.company_id
                   AND p.school_year = ly.school_year
                   AND p.state != 'cancelled'
                   AND student.bde_aplypro_blocked
            ) ab
            """,
            today=LYCEE_TODAY,
        )
        return select, join

    def _pfmp_no_host_sql(self):
        """Students without host: one row (company_id, school_year,
        student_id) per student of a class of the year whose PFMP period is
        under way or starts within the lycée's bde_pfmp_no_host_days, and who
        has no placement at a host over that period. The report counts them,
        the drill-down lists them."""
        return SQL(
            """
            SELECT DISTINCT cls.company_id, cls.school_year, student.id AS student_id
              FROM bde_pfmp_period period
              JOIN bde_class cls ON cls.id = period.class_id AND cls.active
              JOIN res_company lycee ON lycee.id = cls.company_id
              JOIN res_partner student
                ON student.bde_class_id = cls.id
               AND student.bde_is_student AND student.active
             WHERE period.active
               AND period.date_end >= %(today)s
               AND period.date_start <= %(today)s + lycee.bde_pfmp_no_host_days
               AND NOT EXISTS (
                   SELECT 1 FROM bde_pfmp_placement p
                    WHERE p.student_id = student.id
                      AND p.partner_id IS NOT NULL
                      AND p.state IN %(hosted)s
                      AND p.date_start <= period.date_end
                      AND p.date_end >= period.date_start)
            """,
            today=LYCEE_TODAY,
            hosted=tuple(sorted(HOSTED_STATES)),
        )

    def _pfmp_no_host_join(self):
        select = SQL("COALESCE(nh.no_host_count, 0) AS pfmp_no_host_count")
        join = SQL(
            """
            CROSS JOIN LATERAL (
                SELECT count(*) AS no_host_count
                  FROM (%s) no_host
                 WHERE no_host.company_id = ly.company_id
                   AND no_host.school_year = ly.school_year
            ) nh
            """,
            self._pfmp_no_host_sql(),
        )
        return select, join

    def _pfmp_at_risk_join(self):
        # The at-risk list's own query, not its view: the same rows counted.
        select = SQL("COALESCE(ar.at_risk_count, 0) AS pfmp_at_risk_count")
        join = SQL(
            """
            CROSS JOIN LATERAL (
                SELECT count(*) AS at_risk_count
                  FROM (%s) at_risk
                 WHERE at_risk.company_id = ly.company_id
                   AND at_risk.school_year = ly.school_year
                   AND at_risk.is_at_risk
            ) ar
            """,
            self.env["bde.pfmp.risk"]._query(),
        )
        return select, join

    def _pfmp_visit_join(self):
        select = SQL("COALESCE(vi.done_count, 0) AS pfmp_visit_done_count")
        join = SQL(
            """
            CROSS JOIN LATERAL (
                SELECT count(*) AS done_count
                  FROM bde_pfmp_visit v
                  JOIN bde_pfmp_placement p ON p.id = v.placement_id
                 WHERE p.company_id = ly.company_id
                   AND p.school_year = ly.school_year
                   AND v.state = 'done'
            ) vi
            """
        )
        return select, join

    def _pfmp_rating_join(self):
        # A rating counts in its placement's school year: last year's
        # ratings never weigh on this year's average.
        select = SQL(
            """
            round(ra.score_avg, 2) AS pfmp_rating_avg,
            COALESCE(ra.rating_count, 0) AS pfmp_rating_count
            """
        )
        join = SQL(
            """
            CROSS JOIN LATERAL (
                SELECT avg(r.score) AS score_avg, count(*) AS rating_count
                  FROM bde_host_rating r
                 WHERE r.company_id = ly.company_id
                   AND r.school_year = ly.school_year
            ) ra
            """
        )
        return select, join
