from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from .bde_lycee_report import CURRENT_SCHOOL_YEAR, school_year_sql


class BdeEventReport(models.Model):
    """The BDE's events with partners, one row per event, with who came.

    The same rules as bde.lycee.report: an event belongs to the school year
    of its start and is held once it ended; its attendance is its
    registrations marked attended; the partners counted are the companies
    whose participation is marked attended. Events without a lycée are the
    network's and belong to no lycée's figures."""

    _name = "bde.event.report"
    _description = "BDE events analysis"
    _auto = False
    _order = "date_begin desc, id desc"
    _rec_name = "event_id"

    event_id = fields.Many2one("event.event", string="Event", readonly=True)
    event_type_id = fields.Many2one(
        "event.type", string="Event template", readonly=True
    )
    company_id = fields.Many2one("res.company", string="Lycée", readonly=True)
    date_begin = fields.Datetime(string="Start date", readonly=True)
    school_year = fields.Char(readonly=True)
    is_current_school_year = fields.Boolean(string="Current school year", readonly=True)
    is_held = fields.Boolean(string="Held", readonly=True)
    event_count = fields.Integer(string="Events", readonly=True)
    registration_count = fields.Integer(
        string="Registrations",
        readonly=True,
        help="Registrations confirmed or attended.",
    )
    attendance = fields.Integer(
        string="Attendance", readonly=True, help="Registrations marked attended."
    )
    partner_count = fields.Integer(
        string="Partners who came",
        readonly=True,
        help="Participations of partner companies marked attended.",
    )

    def _query(self):
        return SQL(
            """
            SELECT e.id, e.id AS event_id, e.event_type_id, e.company_id,
                   e.date_begin, %(school_year)s AS school_year,
                   %(school_year)s = %(current)s AS is_current_school_year,
                   e.date_end < now() AT TIME ZONE 'UTC' AS is_held,
                   1 AS event_count,
                   COALESCE(r.registration_count, 0) AS registration_count,
                   COALESCE(r.attendance, 0) AS attendance,
                   COALESCE(p.partner_count, 0) AS partner_count
              FROM event_event e
              LEFT JOIN (
                  SELECT event_id,
                         count(*) FILTER (WHERE state IN ('open', 'done'))
                             AS registration_count,
                         count(*) FILTER (WHERE state = 'done') AS attendance
                    FROM event_registration
                   GROUP BY event_id
              ) r ON r.event_id = e.id
              LEFT JOIN (
                  SELECT event_id, count(*) AS partner_count
                    FROM bde_event_participation
                   WHERE state = 'attended'
                   GROUP BY event_id
              ) p ON p.event_id = e.id
             WHERE e.bde_is_bde_event AND e.company_id IS NOT NULL
            """,
            school_year=school_year_sql(SQL("e.date_begin")),
            current=CURRENT_SCHOOL_YEAR,
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
