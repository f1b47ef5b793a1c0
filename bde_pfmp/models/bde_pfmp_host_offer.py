from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.bde_lycee.school_year import is_school_year, school_year_of

OFFER_STATES = [
    ("to_confirm", "To confirm"),
    ("confirmed", "Confirmed"),
    ("declined", "Declined"),
]
# Placements in these states hold no place of an offer.
UNTAKEN_STATES = ("searching", "cancelled")
# What the count of the places left reads of an offer, its id first.
OFFER_COLUMNS = (
    "id",
    "partner_id",
    "company_id",
    "formation_id",
    "period_id",
    "places",
)


class BdePfmpHostOffer(models.Model):
    """One line of the host-site census: the places a host company offers a
    lycée for one formation in one school year (or one PFMP period), with the
    conditions a student needs to know (site, tutors, minors, accessibility).
    """

    _name = "bde.pfmp.host.offer"
    _description = "Host offer of PFMP places"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "school_year desc, partner_id, formation_id, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Host",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    school_year = fields.Char(
        required=True,
        index=True,
        tracking=True,
        default=lambda self: school_year_of(fields.Date.context_today(self)),
        help="School year of the offer, e.g. 2026-2027.",
    )
    formation_id = fields.Many2one(
        "bde.formation", required=True, index=True, tracking=True
    )
    period_id = fields.Many2one(
        "bde.pfmp.period",
        string="PFMP period",
        check_company=True,
        domain="[('formation_id', '=', formation_id), "
        "('school_year', '=', school_year)]",
        help="Leave empty when the host takes students all year round.",
    )
    months = fields.Char(
        help="When the host can take students, when no period is given, "
        "e.g. November to March, not in December.",
    )

    # Places
    places = fields.Integer(required=True, default=1, tracking=True)
    places_taken = fields.Integer(
        compute="_compute_places_taken",
        help="Live placements of the lycée at this host for this formation and "
        "school year (or period).",
    )
    places_left = fields.Integer(compute="_compute_places_taken")

    # Conditions of the host
    site_id = fields.Many2one(
        "res.partner",
        string="Site",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="Establishment or address where the students work, when it is not "
        "the host's main address.",
    )
    tutor_ids = fields.Many2many(
        "res.partner",
        string="Tutors",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
    )
    accepts_minors = fields.Boolean(
        string="Accepts minors",
        default=True,
        help="The host takes students under 18 (minors' working hours, no "
        "night work, derogation for regulated work).",
    )
    wheelchair_access = fields.Boolean(string="Wheelchair access")
    accessibility = fields.Text(
        help="Access for students with a disability, public transport, work clothes...",
    )

    # Census answer
    state = fields.Selection(
        OFFER_STATES, required=True, default="to_confirm", tracking=True
    )
    date_confirmed = fields.Date(
        string="Answered on",
        tracking=True,
        copy=False,
        help="Day the host confirmed or declined the places.",
    )
    note = fields.Text()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("places_positive", "CHECK (places > 0)", "An offer has at least one place."),
    ]

    @api.constrains("school_year")
    def _check_school_year(self):
        for offer in self:
            if not is_school_year(offer.school_year):
                raise ValidationError(
                    self.env._(
                        "The school year %(year)s must read like 2026-2027.",
                        year=offer.school_year,
                    )
                )

    @api.constrains("period_id", "formation_id", "school_year")
    def _check_period(self):
        for offer in self.filtered("period_id"):
            period = offer.period_id
            if (period.formation_id, period.school_year) != (
                offer.formation_id,
                offer.school_year,
            ):
                raise ValidationError(
                    self.env._(
                        "The period %(period)s is not a period of %(formation)s "
                        "in %(year)s.",
                        period=period.display_name,
                        formation=offer.formation_id.name,
                        year=offer.school_year,
                    )
                )

    @api.depends(
        "partner_id", "formation_id", "school_year", "period_id", "places", "state"
    )
    def _compute_places_taken(self):
        """One grouped count for the batch, then a lookup per offer. As
        superuser: a teacher sees only their students' placements, but the
        places taken count them all (a number, nothing nominative). The same
        rule in SQL: _places_left_by_partner_sql."""
        placements_sudo = self.env["bde.pfmp.placement"].sudo()
        groups = placements_sudo._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("school_year", "in", list(set(self.mapped("school_year")))),
                ("company_id", "in", self.company_id.ids),
                ("state", "not in", UNTAKEN_STATES),
            ],
            ["partner_id", "company_id", "school_year", "class_id", "period_id"],
            ["__count"],
        )
        # Taken places per (host, lycée, year, formation), and per period too.
        by_formation = defaultdict(int)
        by_period = defaultdict(int)
        for partner, company, year, school_class, period, count in groups:
            key = (partner, company, year, school_class.formation_id)
            by_formation[key] += count
            by_period[key, period] += count
        for offer in self:
            key = (
                offer.partner_id,
                offer.company_id,
                offer.school_year,
                offer.formation_id,
            )
            offer.places_taken = (
                by_period[key, offer.period_id]
                if offer.period_id
                else by_formation[key]
            )
            offer.places_left = (
                max(offer.places - offer.places_taken, 0)
                if offer.state != "declined"
                else 0
            )

    @api.depends("partner_id", "formation_id", "school_year")
    def _compute_display_name(self):
        for offer in self:
            offer.display_name = self.env._(
                "%(host)s – %(formation)s (%(year)s)",
                host=offer.partner_id.name or "",
                formation=offer.formation_id.name or "",
                year=offer.school_year or "",
            )

    def action_confirm(self):
        self._record_answer("confirmed")

    def action_decline(self):
        self._record_answer("declined")

    def action_reset(self):
        self.write({"state": "to_confirm", "date_confirmed": False})

    def _record_answer(self, state, values=None):
        """The host's answer, given to the BDE or on the census page."""
        self.write(
            {
                **(values or {}),
                "state": state,
                "date_confirmed": fields.Date.context_today(self),
            }
        )

    @api.model
    def _places_left_by_partner_sql(self, companies, school_year, partner_ids=None):
        """SQL of the rows (partner_id, number): the places left at each host
        (of ``partner_ids``, or any) over the offers of ``school_year`` to
        ``companies`` that the user may read, in one query whatever the number
        of offers. The rule of _compute_places_taken: the placements of the
        offer's lycée, school year and formation (and period, if it has one)
        take its places; a declined offer has none."""
        self.env["bde.pfmp.placement"].flush_model(
            ["partner_id", "company_id", "school_year", "class_id"]
            + ["period_id", "state"]
        )
        self.env["bde.class"].flush_model(["formation_id"])
        self.flush_model([*OFFER_COLUMNS[1:], "school_year", "state"])
        domain = [
            ("company_id", "in", companies.ids),
            ("school_year", "=", school_year),
            ("state", "!=", "declined"),
        ]
        placements = SQL(
            "placement.company_id = ANY(%s) AND placement.school_year = %s",
            companies.ids,
            school_year,
        )
        if partner_ids is not None:
            domain.append(("partner_id", "in", partner_ids))
            placements = SQL(
                "%s AND placement.partner_id = ANY(%s)", placements, list(partner_ids)
            )
        offers = self._search(domain)
        # The placements are counted once, grouped, then joined to the offers
        # (a hash join); MATERIALIZED keeps the planner from counting them
        # again for each offer when the statistics of fresh rows are missing.
        return SQL(
            """
            WITH offer AS MATERIALIZED (%(offers)s),
            taken AS MATERIALIZED (
                SELECT placement.partner_id, placement.company_id,
                       class.formation_id, placement.period_id, COUNT(*) AS count
                  FROM bde_pfmp_placement placement
                  JOIN bde_class class ON class.id = placement.class_id
                 WHERE %(placements)s AND placement.state NOT IN %(untaken)s
              GROUP BY 1, 2, 3, 4
            ), offer_taken AS (
                SELECT offer.partner_id, offer.places,
                       COALESCE(SUM(taken.count), 0) AS count
                  FROM offer
             LEFT JOIN taken
                    ON taken.partner_id = offer.partner_id
                   AND taken.company_id = offer.company_id
                   AND taken.formation_id = offer.formation_id
                   AND (offer.period_id IS NULL
                        OR taken.period_id = offer.period_id)
              GROUP BY offer.id, offer.partner_id, offer.places
            )
            SELECT partner_id, SUM(GREATEST(places - count, 0)) AS number
              FROM offer_taken
          GROUP BY partner_id
            """,
            offers=offers.select(
                *(SQL.identifier(offers.table, column) for column in OFFER_COLUMNS)
            ),
            placements=placements,
            untaken=UNTAKEN_STATES,
        )
