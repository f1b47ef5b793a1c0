from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..school_year import LYCEE_TODAY
from .bde_lycee_report import CURRENT_SCHOOL_YEAR, school_year_sql
from .bde_partnership_convention import STATES


class BdeConventionReport(models.Model):
    """What happened to the lycée's partnership conventions in a school year:
    one row per convention signed (a new partnership or a renewal) and one
    per convention that ended, dated when it happened.

    The same rules as bde.lycee.report: a convention is signed on its second
    signature (a renewal is signed too, counted apart); it ends on its
    termination date, or on its end date when it expired, once that day is
    past. A renewed convention does not end: the partnership goes on."""

    _name = "bde.convention.report"
    _description = "Partnership conventions analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "convention_id"

    convention_id = fields.Many2one(
        "bde.partnership.convention",
        string="Convention",
        readonly=True,
        groups="bde_lycee.group_bde_user",
    )
    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    movement = fields.Selection(
        selection=[
            ("signed", "Signed (new partnership)"),
            ("renewed", "Signed (renewal)"),
            ("ended", "Ended"),
        ],
        readonly=True,
    )
    state = fields.Selection(STATES, string="Convention status", readonly=True)
    date = fields.Date(readonly=True)
    school_year = fields.Char(readonly=True)
    is_current_school_year = fields.Boolean(string="Current school year", readonly=True)

    def _query(self):
        signed = SQL("GREATEST(c.date_signed_lycee, c.date_signed_partner)")
        ended = SQL("COALESCE(c.date_terminated, c.date_end)")
        # Ids: a convention's signature row is twice its id, its end one more.
        return SQL(
            """
            SELECT m.*, %(school_year)s AS school_year,
                   %(school_year)s = %(current)s AS is_current_school_year
              FROM (
                SELECT c.id * 2 AS id, c.id AS convention_id, c.company_id,
                       CASE WHEN c.renewed_from_id IS NULL THEN 'signed'
                            ELSE 'renewed' END AS movement,
                       c.state, %(signed)s AS date
                  FROM bde_partnership_convention c
                 WHERE c.date_signed_lycee IS NOT NULL
                   AND c.date_signed_partner IS NOT NULL
                UNION ALL
                SELECT c.id * 2 + 1, c.id, c.company_id, 'ended', c.state,
                       %(ended)s
                  FROM bde_partnership_convention c
                 WHERE c.state IN ('expired', 'terminated')
                   AND %(ended)s <= %(today)s
              ) m
            """,
            school_year=school_year_sql(SQL("m.date")),
            current=CURRENT_SCHOOL_YEAR,
            signed=signed,
            ended=ended,
            today=LYCEE_TODAY,
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
