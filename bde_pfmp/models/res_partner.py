import operator

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.bde_lycee.school_year import school_year_of

from ..geo import bounding_box, haversine_km, haversine_km_sql
from .bde_pfmp_placement import ENDED_STATES

# Comparisons allowed when searching a partner by a number computed on the fly.
COUNT_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


# What APLyPro's checks on a student read (see _bde_aplypro_issue_list).
APLYPRO_CHECK_FIELDS = (
    "bde_is_student",
    "bde_ine",
    "bde_birthdate",
    "street",
    "zip",
    "city",
    "bde_aplypro_own_bank_account",
    "bde_aplypro_mandate",
    "bde_student_placement_ids.state",
    "bde_student_placement_ids.date_start",
    "bde_student_placement_ids.date_end",
    "bde_student_placement_ids.school_year",
    "bde_student_placement_ids.age_at_start",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    bde_placement_count = fields.Integer(
        string="Placements",
        compute="_compute_bde_placement_count",
        groups="bde_lycee.group_bde_user",
        help="PFMP placements of this student, or hosted by this company.",
    )

    def _compute_bde_placement_count(self):
        placements = self.env["bde.pfmp.placement"]
        as_student = dict(
            placements._read_group(
                [("student_id", "in", self.ids)], ["student_id"], ["__count"]
            )
        )
        as_host = dict(
            placements._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            origin = partner._origin
            partner.bde_placement_count = as_student.get(origin, 0) + as_host.get(
                origin, 0
            )

    def action_bde_view_placements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_placement_action"
        )
        if self.bde_is_student:
            action["domain"] = [("student_id", "=", self.id)]
            action["context"] = {"default_student_id": self.id}
        else:
            action["domain"] = [("partner_id", "=", self.id)]
            action["context"] = {"default_partner_id": self.id}
        return action

    # Host directory: census, conditions, position, past placements
    bde_host_offer_ids = fields.One2many(
        "bde.pfmp.host.offer", "partner_id", string="Host offers"
    )
    bde_accepts_minors = fields.Boolean(
        string="Accepts minors",
        help="The host takes students under 18 in PFMP.",
    )
    bde_wheelchair_access = fields.Boolean(string="Wheelchair access")
    bde_accessibility = fields.Text(
        string="Accessibility",
        help="Access for students with a disability, public transport, work clothes...",
    )
    bde_places_left = fields.Integer(
        string="Places left",
        compute="_compute_bde_places_left",
        search="_search_bde_places_left",
        help="Places offered to your lycées for the current school year and not "
        "taken yet by a placement.",
    )
    bde_past_placement_count = fields.Integer(
        string="Past placements",
        compute="_compute_bde_past_placement_count",
        search="_search_bde_past_placement_count",
        help="Placements of your lycées that this company hosted to their end.",
    )
    bde_is_host = fields.Boolean(
        string="PFMP host",
        compute="_compute_bde_is_host",
        search="_search_bde_is_host",
        help="The company offers PFMP places or has hosted a placement.",
    )
    # base_geolocalize's coordinates, indexed for the box of the distance
    # search; most partners (tutors, contacts) have no position.
    partner_latitude = fields.Float(index="btree_not_null")
    bde_distance_km = fields.Float(
        string="Distance (km)",
        digits=(16, 1),
        compute="_compute_bde_distance_km",
        search="_search_bde_distance_km",
        help="As the crow flies from the current lycée (from the student's home "
        "in the directory opened from a student); 0 when a position is unknown.",
    )

    def _bde_places_left_sql(self, partner_ids=None):
        """SQL of the rows (partner_id, number) of the places left to the
        user's lycées this school year."""
        return self.env["bde.pfmp.host.offer"]._places_left_by_partner_sql(
            self.env.companies,
            school_year_of(fields.Date.context_today(self)),
            partner_ids,
        )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_bde_places_left(self):
        places = self._bde_fetch_counts(self._bde_places_left_sql(self._origin.ids))
        for partner in self:
            partner.bde_places_left = places.get(partner._origin.id, 0)

    def _search_bde_places_left(self, operator, value):
        return self._bde_search_by_count(self._bde_places_left_sql(), operator, value)

    def _bde_past_placement_domain(self):
        return [
            ("company_id", "in", self.env.companies.ids),
            ("state", "in", list(ENDED_STATES)),
            ("partner_id", "!=", False),
        ]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_bde_past_placement_count(self):
        # As superuser: a teacher reads only their students' placements, but
        # a host's past placements are a number, nothing nominative.
        counts = dict(
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group(
                [
                    *self._bde_past_placement_domain(),
                    ("partner_id", "in", self._origin.ids),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.bde_past_placement_count = counts.get(partner._origin, 0)

    def _search_bde_past_placement_count(self, operator, value):
        placements = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._search(self._bde_past_placement_domain())
        )
        host = SQL.identifier(placements.table, "partner_id")
        placements.groupby = host
        counts = placements.select(
            SQL("%s AS partner_id", host), SQL("COUNT(*) AS number")
        )
        return self._bde_search_by_count(counts, operator, value)

    def _bde_host_ids_sql(self):
        """SQL of the ids of the hosts of the user's lycées: the companies
        with an offer to them (any school year) or a past placement of
        theirs, for the search to run it as a subquery."""
        offers = self.env["bde.pfmp.host.offer"]._search(
            [("company_id", "in", self.env.companies.ids)]
        )
        placements = (
            self.env["bde.pfmp.placement"]
            .sudo()
            ._search(self._bde_past_placement_domain())
        )
        return SQL(
            "(%s UNION %s)",
            offers.subselect(SQL.identifier(offers.table, "partner_id")),
            placements.subselect(SQL.identifier(placements.table, "partner_id")),
        )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_bde_is_host(self):
        hosts = set(
            self.with_context(active_test=False)._search(
                [("id", "in", self._origin.ids), ("bde_is_host", "=", True)]
            )
        )
        for partner in self:
            partner.bde_is_host = partner._origin.id in hosts

    def _search_bde_is_host(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search PFMP hosts with = or != only."))
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", self._bde_host_ids_sql())]

    def _bde_fetch_counts(self, counts):
        """Run ``counts``, SQL of the rows (partner_id, number): partner id →
        number."""
        return dict(self.env.execute_query(counts))

    @api.model
    def _bde_search_by_count(self, counts, operator, value):
        """Domain of the partners whose number in ``counts`` (SQL of the rows
        (partner_id, number), one per partner; missing means 0) compares to
        ``value`` with ``operator``, as a subquery."""
        if operator not in COUNT_OPERATORS:
            raise UserError(
                self.env._("This search does not support %(op)s.", op=operator)
            )
        # The operator is one of COUNT_OPERATORS, which SQL spells the same.
        condition = SQL("counts.number %s %s", SQL(operator), value)
        if COUNT_OPERATORS[operator](0, value):
            # Partners without any count match too: exclude the others.
            return [
                (
                    "id",
                    "not in",
                    self._bde_counted_ids(counts, SQL("NOT %s", condition)),
                )
            ]
        return [("id", "in", self._bde_counted_ids(counts, condition))]

    @api.model
    def _bde_counted_ids(self, counts, condition):
        return SQL(
            "(SELECT counts.partner_id FROM (%s) counts WHERE %s)", counts, condition
        )

    @api.model
    def _bde_geocode_kind_domains(self):
        """The hosts of every lycée (an offer or a placement) and their sites
        (child addresses other than contacts, who share the host's) are
        placed on the map too."""
        hosts = SQL(
            "(SELECT partner_id FROM bde_pfmp_host_offer UNION "
            "SELECT partner_id FROM bde_pfmp_placement WHERE partner_id IS NOT NULL)"
        )
        return [
            *super()._bde_geocode_kind_domains(),
            [("id", "in", hosts)],
            [("parent_id", "in", hosts), ("type", "!=", "contact")],
        ]

    def _bde_has_position(self):
        self.ensure_one()
        return bool(self.partner_latitude or self.partner_longitude)

    def _bde_origin_position(self):
        """(latitude, longitude) where distances count from, or None when
        unknown: the partner named by the context's ``bde_distance_from_id``
        (a student's home, read with the user's rights: a student of another
        lycée is no origin), else the current lycée, whose own position is no
        secret to its users."""
        origin_id = self.env.context.get("bde_distance_from_id")
        if origin_id:
            origin = self.browse(origin_id)
            origin.check_access("read")
        else:
            origin = self.env.company.partner_id.sudo()
        origin.fetch(["partner_latitude", "partner_longitude"])
        if not origin._bde_has_position():
            return None
        return origin.partner_latitude, origin.partner_longitude

    @api.depends("partner_latitude", "partner_longitude")
    @api.depends_context("company", "bde_distance_from_id")
    def _compute_bde_distance_km(self):
        origin = self._bde_origin_position()
        for partner in self:
            if origin and partner._bde_has_position():
                partner.bde_distance_km = haversine_km(
                    *origin, partner.partner_latitude, partner.partner_longitude
                )
            else:
                partner.bde_distance_km = 0.0

    def _search_bde_distance_km(self, operator, value):
        """Partners with a known position within ``value`` km of the current
        lycée (``<``/``<=``); without the lycée's position, none. In SQL: the
        box around the lycée (on the index of the latitude) keeps the
        candidates, haversine_km's formula those within the distance."""
        if operator not in ("<", "<="):
            raise UserError(
                self.env._("Search distances with < or <= (within so many km).")
            )
        origin = self._bde_origin_position()
        if not origin:
            return [("id", "in", [])]
        self.flush_model(["partner_latitude", "partner_longitude"])
        # A position left empty reads 0, as in _bde_has_position.
        latitude = SQL("COALESCE(partner_latitude, 0)")
        longitude = SQL("COALESCE(partner_longitude, 0)")
        distance = haversine_km_sql(*origin, latitude, longitude)
        conditions = [
            SQL("(%s != 0 OR %s != 0)", latitude, longitude),
            SQL("%s %s %s", distance, SQL(operator), value),
        ]
        lat_min, lat_max, lon_min, lon_max = bounding_box(*origin, value)
        # The box, on the index of the latitude; none on a side where it holds
        # 0, which stands for an empty (NULL) coordinate too.
        if not lat_min <= 0 <= lat_max:
            conditions.append(
                SQL("partner_latitude BETWEEN %s AND %s", lat_min, lat_max)
            )
        if lon_min is not None and not lon_min <= 0 <= lon_max:
            conditions.append(
                SQL("partner_longitude BETWEEN %s AND %s", lon_min, lon_max)
            )
        return [
            (
                "id",
                "in",
                SQL(
                    "(SELECT id FROM res_partner WHERE %s)",
                    SQL(" AND ").join(conditions),
                ),
            )
        ]

    def action_bde_view_host_offers(self):
        return self._bde_action_partner_records("bde_pfmp.bde_pfmp_host_offer_action")

    def action_bde_view_hosts_near_home(self):
        """The host directory, distances counted from this student's home."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.res_partner_action_host_directory"
        )
        action["display_name"] = self.env._(
            "Hosts near %(student)s's home", student=self.name
        )
        action["context"] = {
            "default_is_company": True,
            "bde_distance_from_id": self.id,
            "search_default_filter_30km": 1,
        }
        return action

    def action_bde_view_search_steps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_search_step_action"
        )
        action["domain"] = [("student_id", "=", self.id)]
        action["context"] = {"default_student_id": self.id}
        return action

    bde_search_step_count = fields.Integer(
        string="Search steps",
        compute="_compute_bde_search_step_count",
        groups="bde_lycee.group_bde_user",
        help="Companies this student contacted to find a host.",
    )

    def _compute_bde_search_step_count(self):
        counts = dict(
            self.env["bde.pfmp.search.step"]._read_group(
                [("student_id", "in", self._origin.ids)], ["student_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bde_search_step_count = counts.get(partner._origin, 0)

    def _bde_mark_as_tutor(self):
        """A contact named tutor of a placement is a tutor: flagging it puts it
        in the tutors' mailing list of the placement's lycée kept in sync by
        bde_lycee (a tutor already flagged joins a new lycée's list). As
        superuser: the flag follows from the placement, whoever names the
        tutor."""
        newcomers = self.filtered(lambda partner: not partner.bde_is_tutor)
        newcomers.sudo().write({"bde_is_tutor": True})
        (self - newcomers)._bde_sync_mailing_lists()

    # APLyPro checks: what would block the national payment of the allowance
    bde_student_placement_ids = fields.One2many(
        "bde.pfmp.placement", "student_id", string="Placements as student"
    )
    bde_aplypro_own_bank_account = fields.Boolean(
        string="Bank account in own name",
        tracking=True,
        help="The student declared a bank account in their own name. The suite "
        "keeps no bank details: they are entered in APLyPro only.",
    )
    bde_aplypro_mandate = fields.Boolean(
        string="Payment mandate",
        tracking=True,
        help="The student gave a mandate for a third party (e.g. a parent) to "
        "receive the allowance.",
    )
    bde_aplypro_blocked = fields.Boolean(
        string="Blocking APLyPro",
        compute="_compute_bde_aplypro_blocked",
        store=True,
        help="A check of APLyPro fails for this student: the allowance would "
        "not be paid.",
    )
    bde_aplypro_issues = fields.Html(
        string="APLyPro issues",
        compute="_compute_bde_aplypro_issues",
        sanitize=False,
        help="Every check of APLyPro that fails for this student.",
    )

    @api.depends(*APLYPRO_CHECK_FIELDS)
    def _compute_bde_aplypro_blocked(self):
        for partner in self:
            partner.bde_aplypro_blocked = bool(partner._bde_aplypro_issue_list())

    @api.depends(*APLYPRO_CHECK_FIELDS)
    def _compute_bde_aplypro_issues(self):
        for partner in self:
            issues = partner._bde_aplypro_issue_list()
            partner.bde_aplypro_issues = (
                Markup("<ul>%s</ul>")
                % Markup().join(Markup("<li>%s</li>") % issue for issue in issues)
                if issues
                else False
            )

    def _bde_aplypro_issue_list(self):
        """The checks of APLyPro that fail for this student (domain.md), as
        sentences; empty for anyone who is not a student."""
        self.ensure_one()
        if not self.bde_is_student:
            return []
        issues = []
        if not self.bde_ine:
            issues.append(self.env._("The INE is missing."))
        if not self.bde_birthdate:
            issues.append(self.env._("The birth date is missing."))
        if not (self.street and self.zip and self.city):
            issues.append(
                self.env._("The address is incomplete (street, zip code and city).")
            )
        placements = self.sudo().bde_student_placement_ids.filtered(
            lambda placement: placement.state != "cancelled"
        )
        for placement in placements.sorted("date_start"):
            issues += placement._bde_aplypro_issue_list()
        return issues

    # Host-site quality: ratings, incidents and early endings of its placements
    bde_host_rating_ids = fields.One2many(
        "bde.host.rating",
        "partner_id",
        string="Host ratings",
        groups="bde_lycee.group_bde_user,bde_lycee.group_bde_network_reader",
    )
    bde_host_rating_avg = fields.Float(
        string="Host rating",
        digits=(16, 2),
        compute="_compute_bde_host_rating",
        store=True,
        aggregator="avg",
        help="Average score (1 to 5) of the ratings of this host by every lycée "
        "of the network.",
    )
    bde_host_rating_count = fields.Integer(
        string="Host ratings count",
        compute="_compute_bde_host_rating",
        store=True,
        help="Ratings of this host by every lycée of the network.",
    )
    bde_host_incident_count = fields.Integer(
        string="Incidents",
        compute="_compute_bde_host_incident_count",
        groups="base.group_user",
        help="Incidents recorded during the placements hosted by this company, "
        "in every lycée of the network.",
    )
    bde_host_early_end_count = fields.Integer(
        string="Early endings",
        compute="_compute_bde_host_early_end_count",
        groups="base.group_user",
        help="Placements hosted by this company that were interrupted before "
        "their end, in every lycée of the network.",
    )

    @api.depends("bde_host_rating_ids.score")
    def _compute_bde_host_rating(self):
        # A host is shared by the lycées of the network: its average counts the
        # ratings of every lycée, not only those the current user may read.
        groups = (
            self.env["bde.host.rating"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self._origin.ids)],
                ["partner_id"],
                ["score:avg", "__count"],
            )
        )
        stats = {partner.id: (avg, count) for partner, avg, count in groups}
        for partner in self:
            avg, count = stats.get(partner._origin.id, (0.0, 0))
            partner.bde_host_rating_avg = avg
            partner.bde_host_rating_count = count

    def _compute_bde_host_incident_count(self):
        # Counted over the network as superuser: a number, nothing nominative.
        counts = dict(
            self.env["bde.pfmp.incident"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bde_host_incident_count = counts.get(partner._origin, 0)

    def _compute_bde_host_early_end_count(self):
        # Counted over the network as superuser: a number, nothing nominative.
        counts = dict(
            self.env["bde.pfmp.placement"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self._origin.ids), ("state", "=", "interrupted")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.bde_host_early_end_count = counts.get(partner._origin, 0)

    def action_bde_view_host_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_host_rating_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        return action
