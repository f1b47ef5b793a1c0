from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..school_year import LYCEE_TODAY


def school_year_sql(date_sql):
    """SQL of the school year (``'2025-2026'``) of a date or timestamp: moved
    back 8 months, 1 September falls on 1 January of the year the school year
    starts (school_year.school_year_of, in SQL)."""
    start = SQL("EXTRACT(YEAR FROM (%s) - INTERVAL '8 months')::int", date_sql)
    return SQL("(%s)::text || '-' || (%s + 1)::text", start, start)


CURRENT_SCHOOL_YEAR = school_year_sql(LYCEE_TODAY)


class BdeLyceeReport(models.Model):
    """The BDE's figures of one lycée for one school year, as the académie
    compares them: one row per lycée (a company with a UAI) and school year
    (those of its classes, and the current one). Aggregates only: no
    partner's, student's or staff member's name is ever a column.

    The view is composed by _query() from _figure_joins(): each module adds
    its figures by overriding _figure_joins() (a column list and a LEFT JOIN
    of a subquery grouped by company_id and school_year, or a LATERAL one
    that reads ``ly.date_ref``) and declaring the fields they fill."""

    _name = "bde.lycee.report"
    _description = "Figures of a lycée per school year"
    _auto = False
    _order = "school_year desc, lycee_name, company_id"
    _rec_name = "lycee_name"

    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    lycee_name = fields.Char(string="Lycée name", readonly=True)
    uai = fields.Char(string="UAI", readonly=True)
    school_year = fields.Char(readonly=True)
    is_current_school_year = fields.Boolean(string="Current school year", readonly=True)
    # Partners: the status history is not kept, so a past year reads today's
    # statuses with their dates (an active partner then former counts as
    # active in the years before it became former).
    partner_active_count = fields.Integer(
        string="Active partners",
        readonly=True,
        help="Companies that were active partners of the lycée at the end of "
        "the school year (today for the current one).",
    )
    partner_prospect_count = fields.Integer(
        string="Prospects",
        readonly=True,
        help="Companies that are prospects of the lycée since that day or before.",
    )
    # Conventions
    convention_active_count = fields.Integer(
        string="Conventions in force",
        readonly=True,
        help="Conventions in force at the end of the school year (today for "
        "the current one).",
    )
    convention_signed_count = fields.Integer(
        string="Conventions signed",
        readonly=True,
        help="Conventions whose second signature was given in the school year.",
    )
    convention_renewed_count = fields.Integer(
        string="Conventions renewed",
        readonly=True,
        help="Renewals signed in the school year.",
    )
    convention_ended_count = fields.Integer(
        string="Conventions ended",
        readonly=True,
        help="Conventions terminated, or expired without renewal, in the school year.",
    )
    # Pipeline, events, skill needs
    lead_count = fields.Integer(
        string="Leads",
        readonly=True,
        help="Leads of the BDE's pipeline created in the school year, won and "
        "lost ones included.",
    )
    event_count = fields.Integer(
        string="Events held",
        readonly=True,
        help="BDE events held (ended) in the school year.",
    )
    event_attendance = fields.Integer(
        string="Attendance",
        readonly=True,
        help="Attendees checked in at the BDE events held in the school year.",
    )
    event_partner_count = fields.Integer(
        string="Partners taking part",
        readonly=True,
        help="Participations of companies that attended the BDE events held in "
        "the school year.",
    )
    skill_need_headcount = fields.Integer(
        string="Skill needs (headcount)",
        readonly=True,
        help="Headcount of the skill needs recorded in the school year.",
    )
    # Apprenticeship tax
    currency_id = fields.Many2one("res.currency", readonly=True)
    tax_amount_promised = fields.Monetary(string="Tax promised", readonly=True)
    tax_amount_received = fields.Monetary(string="Tax received", readonly=True)
    # School
    class_count = fields.Integer(string="Classes", readonly=True)
    student_count = fields.Integer(
        string="Students",
        readonly=True,
        help="Students in the school year's classes.",
    )

    def _lycee_years_sql(self):
        """One row per lycée and school year with the year's bounds and the
        day the stocks are counted on (``date_ref``): the end of the school
        year, today for the current one."""
        return SQL(
            """
            SELECT c.id AS company_id, c.name AS lycee_name, c.bde_uai AS uai,
                   c.currency_id, y.school_year,
                   make_date(left(y.school_year, 4)::int, 9, 1) AS date_start,
                   make_date(left(y.school_year, 4)::int + 1, 8, 31) AS date_end,
                   LEAST(make_date(left(y.school_year, 4)::int + 1, 8, 31),
                         %s) AS date_ref
              FROM res_company c
              JOIN (SELECT company_id, school_year FROM bde_class
                     WHERE school_year ~ '^[0-9]{4}-[0-9]{4}$'
                     UNION
                    SELECT id, %s FROM res_company) y ON y.company_id = c.id
             WHERE c.bde_uai IS NOT NULL AND c.active
            """,
            LYCEE_TODAY,
            CURRENT_SCHOOL_YEAR,
        )

    def _figure_joins(self):
        """The figures' columns and joins: a list of ``(select, join)`` SQL
        pairs. ``select`` names its columns after the report's fields
        (``COALESCE(x.n, 0) AS field``); ``join`` joins ``ly``, the lycée's
        school year (_lycee_years_sql), e.g. ``LEFT JOIN (... GROUP BY
        company_id, school_year) x ON x.company_id = ly.company_id AND
        x.school_year = ly.school_year``. Override with super() to add yours."""
        return [
            self._partner_join(),
            self._convention_stock_join(),
            self._convention_flow_join(),
            self._lead_join(),
            self._event_join(),
            self._skill_need_join(),
            self._tax_join(),
            self._class_join(),
        ]

    def _partner_join(self):
        return (
            SQL(
                "COALESCE(pr.active_count, 0) AS partner_active_count, "
                "COALESCE(pr.prospect_count, 0) AS partner_prospect_count"
            ),
            SQL(
                """
                LEFT JOIN LATERAL (
                    SELECT count(*) FILTER (
                               WHERE r.date_partner_since <= ly.date_ref
                                 AND (r.status = 'active'
                                      OR (r.status = 'former'
                                          AND r.date_status > ly.date_ref))
                           ) AS active_count,
                           count(*) FILTER (
                               WHERE r.status = 'prospect'
                                 AND r.date_status <= ly.date_ref
                           ) AS prospect_count
                      FROM bde_partner_relation r
                     WHERE r.company_id = ly.company_id
                ) pr ON TRUE
                """
            ),
        )

    def _convention_stock_join(self):
        # In force on the day: started, not yet ended, not terminated before;
        # drafts and conventions under negotiation never were.
        return (
            SQL("COALESCE(cs.active_count, 0) AS convention_active_count"),
            SQL(
                """
                LEFT JOIN LATERAL (
                    SELECT count(*) AS active_count
                      FROM bde_partnership_convention c
                     WHERE c.company_id = ly.company_id
                       AND c.state IN ('active', 'expired', 'renewed', 'terminated')
                       AND c.date_start <= ly.date_ref
                       AND c.date_end >= ly.date_ref
                       AND (c.date_terminated IS NULL
                            OR c.date_terminated > ly.date_ref)
                ) cs ON TRUE
                """
            ),
        )

    def _convention_flow_join(self):
        # A convention is signed on its second signature; it ends on its
        # termination, or on its end date when it expired without renewal.
        signed = SQL("GREATEST(c.date_signed_lycee, c.date_signed_partner)")
        ended = SQL("COALESCE(c.date_terminated, c.date_end)")
        return (
            SQL(
                "COALESCE(cf.signed_count, 0) AS convention_signed_count, "
                "COALESCE(cf.renewed_count, 0) AS convention_renewed_count, "
                "COALESCE(cf.ended_count, 0) AS convention_ended_count"
            ),
            SQL(
                """
                LEFT JOIN (
                    SELECT company_id, school_year,
                           count(*) FILTER (WHERE kind = 'signed') AS signed_count,
                           count(*) FILTER (WHERE kind = 'renewed') AS renewed_count,
                           count(*) FILTER (WHERE kind = 'ended') AS ended_count
                      FROM (SELECT c.company_id, %(signed_year)s AS school_year,
                                   'signed' AS kind
                              FROM bde_partnership_convention c
                             WHERE c.date_signed_lycee IS NOT NULL
                               AND c.date_signed_partner IS NOT NULL
                            UNION ALL
                            SELECT c.company_id, %(signed_year)s, 'renewed'
                              FROM bde_partnership_convention c
                             WHERE c.renewed_from_id IS NOT NULL
                               AND c.date_signed_lycee IS NOT NULL
                               AND c.date_signed_partner IS NOT NULL
                            UNION ALL
                            SELECT c.company_id, %(ended_year)s, 'ended'
                              FROM bde_partnership_convention c
                             WHERE c.state IN ('expired', 'terminated')
                               AND %(ended)s <= %(today)s
                           ) f
                     GROUP BY company_id, school_year
                ) cf ON cf.company_id = ly.company_id
                    AND cf.school_year = ly.school_year
                """,
                signed_year=school_year_sql(signed),
                ended_year=school_year_sql(ended),
                ended=ended,
                today=LYCEE_TODAY,
            ),
        )

    def _lead_join(self):
        return (
            SQL("COALESCE(ld.lead_count, 0) AS lead_count"),
            SQL(
                """
                LEFT JOIN (
                    SELECT l.company_id, %s AS school_year, count(*) AS lead_count
                      FROM crm_lead l
                      JOIN ir_model_data d
                        ON d.model = 'crm.team' AND d.res_id = l.team_id
                       AND d.module = 'bde_lycee' AND d.name = 'crm_team_bde'
                     GROUP BY 1, 2
                ) ld ON ld.company_id = ly.company_id
                    AND ld.school_year = ly.school_year
                """,
                school_year_sql(SQL("l.create_date")),
            ),
        )

    def _event_join(self):
        # Held: ended before now. Events without a lycée are the network's
        # and belong to no lycée's figures.
        return (
            SQL(
                "COALESCE(ev.event_count, 0) AS event_count, "
                "COALESCE(ev.attendance, 0) AS event_attendance, "
                "COALESCE(ev.partner_count, 0) AS event_partner_count"
            ),
            SQL(
                """
                LEFT JOIN (
                    SELECT e.company_id, %s AS school_year,
                           count(*) AS event_count,
                           sum((SELECT count(*) FROM event_registration g
                                 WHERE g.event_id = e.id AND g.state = 'done'))
                               AS attendance,
                           sum((SELECT count(*) FROM bde_event_participation p
                                 WHERE p.event_id = e.id AND p.state = 'attended'))
                               AS partner_count
                      FROM event_event e
                     WHERE e.bde_is_bde_event AND e.date_end < now() AT TIME ZONE 'UTC'
                       AND e.company_id IS NOT NULL
                     GROUP BY 1, 2
                ) ev ON ev.company_id = ly.company_id
                    AND ev.school_year = ly.school_year
                """,
                school_year_sql(SQL("e.date_begin")),
            ),
        )

    def _skill_need_join(self):
        return (
            SQL("COALESCE(sn.headcount, 0) AS skill_need_headcount"),
            SQL(
                """
                LEFT JOIN (
                    SELECT n.company_id, %s AS school_year,
                           sum(n.headcount) AS headcount
                      FROM bde_skill_need n
                     WHERE n.active
                     GROUP BY 1, 2
                ) sn ON sn.company_id = ly.company_id
                    AND sn.school_year = ly.school_year
                """,
                school_year_sql(SQL("n.date")),
            ),
        )

    def _tax_join(self):
        # The same rule as bde.tax.report: the tax of campaign year Y is
        # paid in its spring (SOLTéA), within school year "Y-1 - Y".
        return (
            SQL(
                "COALESCE(tx.promised, 0) AS tax_amount_promised, "
                "COALESCE(tx.received, 0) AS tax_amount_received"
            ),
            SQL(
                """
                LEFT JOIN (
                    SELECT t.company_id,
                           (t.year - 1)::text || '-' || t.year::text AS school_year,
                           sum(t.amount_promised) AS promised,
                           sum(t.amount_received) AS received
                      FROM bde_tax_pledge t
                     GROUP BY 1, 2
                ) tx ON tx.company_id = ly.company_id
                    AND tx.school_year = ly.school_year
                """
            ),
        )

    def _class_join(self):
        return (
            SQL(
                "COALESCE(cl.class_count, 0) AS class_count, "
                "COALESCE(cl.student_count, 0) AS student_count"
            ),
            SQL(
                """
                LEFT JOIN (
                    SELECT k.company_id, k.school_year,
                           count(DISTINCT k.id) AS class_count,
                           count(s.id) AS student_count
                      FROM bde_class k
                      LEFT JOIN res_partner s
                        ON s.bde_class_id = k.id AND s.bde_is_student AND s.active
                     GROUP BY 1, 2
                ) cl ON cl.company_id = ly.company_id
                    AND cl.school_year = ly.school_year
                """
            ),
        )

    def _query(self):
        joins = self._figure_joins()
        selects = [SQL(", %s", select) for select, _join in joins]
        return SQL(
            """
            WITH ly AS (%s)
            SELECT ly.company_id * 10000 + left(ly.school_year, 4)::int AS id,
                   ly.company_id, ly.lycee_name, ly.uai, ly.currency_id,
                   ly.school_year,
                   ly.school_year = %s AS is_current_school_year
                   %s
              FROM ly
                   %s
            """,
            self._lycee_years_sql(),
            CURRENT_SCHOOL_YEAR,
            SQL("").join(selects),
            SQL("\n").join(join for _select, join in joins),
        )

    @api.model
    def action_open_home(self):
        """What the BDE's menu opens: the network's figures for the academic
        correspondent, who works in no lycée; the BDE's board for the staff."""
        if self.env.user._bde_is_network_reader_only():
            xmlid = "bde_lycee.bde_lycee_report_action"
        else:
            xmlid = "bde_lycee.bde_dashboard_board_action"
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
