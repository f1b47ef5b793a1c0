"""The checks that fiche 6 of the Lycée des métiers guide asks of the
lycée's partnerships, as searchable flags on companies (apart from
res_partner.py, which holds the partner's own data). They are computed at
each search from the relations, conventions and agreements, so that they stay
right as conventions start, end or are renewed."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

# France and the overseas territories that have their own country in Odoo:
# none of them is abroad for a French lycée.
FRENCH_COUNTRY_CODES = (
    "FR",
    "GP",
    "MQ",
    "GF",
    "RE",
    "YT",
    "PM",
    "BL",
    "MF",
    "NC",
    "PF",
    "WF",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    bde_without_convention = fields.Boolean(
        string="Active partner without a convention in force",
        compute="_compute_bde_without_convention",
        search="_search_bde_without_convention",
        help="An active partner of the current lycée with which the lycée has "
        "no convention in force: fiche 6 recommends a convention for each "
        "partnership.",
    )
    bde_is_foreign = fields.Boolean(
        string="Foreign partner",
        compute="_compute_bde_is_foreign",
        search="_search_bde_is_foreign",
        help="A partner abroad: partnerships with it are to be seen with the "
        "académie's European and international office (DAREIC).",
    )
    bde_under_framework_agreement = fields.Boolean(
        string="Under a framework agreement",
        compute="_compute_bde_under_framework_agreement",
        search="_search_bde_under_framework_agreement",
        help="The company is covered by a framework agreement in force.",
    )

    @api.model
    def _bde_without_convention_domain(self, company):
        """Domain of the active partners of ``company`` with which it has no
        convention in force."""
        # sudo: the checks count what the lycée has, whatever the user may
        # read of its relations and conventions; the lycée is explicit.
        active = (
            self.env["bde.partner.relation"]
            .sudo()
            ._search([("company_id", "=", company.id), ("status", "=", "active")])
        )
        in_force = (
            self.env["bde.partnership.convention"]
            .sudo()
            ._search([("company_id", "=", company.id), ("state", "=", "active")])
        )
        return [
            ("id", "in", active.subselect("partner_id")),
            ("id", "not in", in_force.subselect("partner_id")),
        ]

    @api.model
    def _bde_foreign_domain(self):
        return [
            ("country_id", "!=", False),
            ("country_id.code", "not in", FRENCH_COUNTRY_CODES),
        ]

    @api.model
    def _bde_under_framework_agreement_domain(self, day=None):
        """Domain of the companies covered on ``day`` (today by default) by a
        framework agreement."""
        day = day or fields.Date.context_today(self)
        in_force = [
            ("active", "=", True),
            "|",
            ("date_start", "=", False),
            ("date_start", "<=", day),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", day),
        ]
        return [("bde_framework_agreement_ids", "any", in_force)]

    @api.depends_context("company")
    def _compute_bde_without_convention(self):
        self._bde_compute_check(
            "bde_without_convention",
            self._bde_without_convention_domain(self.env.company),
        )

    def _search_bde_without_convention(self, operator, value):
        return self._bde_search_check(
            operator, value, self._bde_without_convention_domain(self.env.company)
        )

    @api.depends("country_id")
    def _compute_bde_is_foreign(self):
        for partner in self:
            code = partner.country_id.code
            partner.bde_is_foreign = bool(code) and code not in FRENCH_COUNTRY_CODES

    def _search_bde_is_foreign(self, operator, value):
        return self._bde_search_check(operator, value, self._bde_foreign_domain())

    def _compute_bde_under_framework_agreement(self):
        self._bde_compute_check(
            "bde_under_framework_agreement",
            self._bde_under_framework_agreement_domain(),
        )

    def _search_bde_under_framework_agreement(self, operator, value):
        return self._bde_search_check(
            operator, value, self._bde_under_framework_agreement_domain()
        )

    def _bde_compute_check(self, fname, domain):
        # One query for all the partners; sudo and archived partners included,
        # as in the domain's own subqueries.
        matching = set(
            self.sudo()
            .with_context(active_test=False)
            ._search([("id", "in", self._origin.ids), *domain])
        )
        for partner in self:
            partner[fname] = partner._origin.id in matching

    def _bde_search_check(self, operator, value, domain):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on a partnership check."))
        domain = expression.normalize_domain(domain)
        return domain if (operator == "=") == value else ["!", *domain]
