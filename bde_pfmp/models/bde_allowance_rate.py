from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.bde_lycee.models.bde_class import MEF_RE, MEF_STAT4_RE
from odoo.addons.bde_lycee.school_year import is_school_year

# Fields of a rate that change the amounts of the placements it applies to.
RATE_FIELDS = {"school_year", "mef_code", "mef_stat4", "daily_rate", "yearly_cap"}
# Upper bounds of a row, five times the highest amounts of the national
# tables since 2023 (20 € a day, 1,800 € a year): beyond is a typing mistake.
MAX_DAILY_RATE = 100
MAX_YEARLY_CAP = 10000


class BdeAllowanceRate(models.Model):
    """One row of the national table of PFMP allowances (APLyPro): the daily
    rate and the yearly cap of one MEF for one school year. A row without MEF
    code is the default of its MEF_STAT4 level, used for the MEFs the table
    does not list."""

    _name = "bde.allowance.rate"
    _description = "PFMP allowance rate"
    _order = "school_year desc, mef_stat4, mef_code, id"

    school_year = fields.Char(required=True, index=True, help="Written 2025-2026.")
    mef_code = fields.Char(
        string="MEF code",
        index=True,
        help="10-digit MEF code; leave empty for the default of the level.",
    )
    mef_stat4 = fields.Char(
        string="MEF_STAT4 level",
        required=True,
        help="4-character level of the MEF, e.g. 2383 for Tle pro.",
    )
    label = fields.Char(help="Long label of the MEF or of the level.")
    ministry = fields.Selection(
        selection=[
            ("menj", "Education (MENJ)"),
            ("masa", "Agriculture (MASA)"),
            ("mer", "Sea (MER)"),
        ],
        default="menj",
        help="Ministry (BOP) that pays the allowance of this MEF.",
    )
    daily_rate = fields.Float(string="Daily rate", required=True, digits=(16, 2))
    yearly_cap = fields.Float(string="Yearly cap", required=True, digits=(16, 2))

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK (daily_rate >= 0 AND yearly_cap >= 0)",
            "The daily rate and the yearly cap cannot be negative.",
        ),
        (
            "mef_year_uniq",
            "unique (school_year, mef_code)",
            "This MEF already has a rate for this school year.",
        ),
    ]

    @api.constrains("school_year", "mef_code", "mef_stat4")
    def _check_codes(self):
        for rate in self:
            if not is_school_year(rate.school_year):
                raise ValidationError(
                    self.env._(
                        "The school year %(year)s must read like 2025-2026.",
                        year=rate.school_year,
                    )
                )
            if rate.mef_code and not MEF_RE.match(rate.mef_code):
                raise ValidationError(
                    self.env._(
                        "The MEF code %(code)s must have 10 digits.", code=rate.mef_code
                    )
                )
            if not MEF_STAT4_RE.match(rate.mef_stat4 or ""):
                raise ValidationError(
                    self.env._(
                        "The MEF_STAT4 level %(level)s must have 4 characters "
                        "(digits or capital letters).",
                        level=rate.mef_stat4,
                    )
                )

    @api.constrains("daily_rate", "yearly_cap")
    def _check_amount_bounds(self):
        for rate in self:
            if rate.daily_rate > MAX_DAILY_RATE or rate.yearly_cap > MAX_YEARLY_CAP:
                raise ValidationError(
                    self.env._(
                        "A daily rate is at most %(rate)s € and a yearly cap at "
                        "most %(cap)s €: check the amounts of %(mef)s.",
                        rate=MAX_DAILY_RATE,
                        cap=MAX_YEARLY_CAP,
                        mef=rate.display_name,
                    )
                )

    @api.constrains("school_year", "mef_code", "mef_stat4")
    def _check_level_default_unique(self):
        # PostgreSQL treats empty MEF codes as distinct: check the defaults here.
        defaults = self.filtered(lambda rate: not rate.mef_code)
        if not defaults:
            return
        groups = self._read_group(
            [
                ("mef_code", "=", False),
                ("school_year", "in", defaults.mapped("school_year")),
                ("mef_stat4", "in", defaults.mapped("mef_stat4")),
            ],
            ["school_year", "mef_stat4"],
            ["__count"],
        )
        for school_year, mef_stat4, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "The level %(level)s already has a default rate for %(year)s.",
                        level=mef_stat4,
                        year=school_year,
                    )
                )

    @api.depends("school_year", "mef_code", "mef_stat4")
    def _compute_display_name(self):
        for rate in self:
            code = rate.mef_code or rate.mef_stat4
            rate.display_name = f"{rate.school_year} – {code}"

    @api.model_create_multi
    def create(self, vals_list):
        rates = super().create(vals_list)
        rates._recompute_placement_allowances()
        return rates

    def write(self, vals):
        if not RATE_FIELDS & vals.keys():
            return super().write(vals)
        before = self._affected_placements()
        res = super().write(vals)
        (before | self._affected_placements())._recompute_allowance()
        return res

    def unlink(self):
        placements = self._affected_placements()
        res = super().unlink()
        placements._recompute_allowance()
        return res

    def _affected_placements(self):
        if not self:
            return self.env["bde.pfmp.placement"]
        return (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search(
                [
                    ("school_year", "in", self.mapped("school_year")),
                    ("mef_stat4", "in", self.mapped("mef_stat4")),
                ]
            )
        )

    def _recompute_placement_allowances(self):
        """A changed national table changes the amounts of every placement of
        its school year and level, whoever edits the table (as superuser:
        placements of every lycée of the database use the same table)."""
        self._affected_placements()._recompute_allowance()

    @api.model
    def _apply_table(self, school_year, new_values, changed):
        """Create the new rows and write the changed ones ``(rate, values)``
        of one school year's table, then recompute every allowance of that
        school year in the database once, where ``create`` and ``write``
        would recompute once per row (a national table has a thousand).
        Return the recompute's ``AllowanceSummary``."""
        super().create([dict(values, school_year=school_year) for values in new_values])
        for rate, values in changed:
            super(BdeAllowanceRate, rate).write(values)
        placements = (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search([("school_year", "=", school_year)])
        )
        return placements._recompute_allowance()
