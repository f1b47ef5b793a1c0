from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.bde_lycee.school_year import school_year_of


class BdePfmpSchoolYearMixin(models.AbstractModel):
    """A record of one school year (its stored ``school_year`` field) that the
    PFMP board filters on the current school year by default, whatever the
    year: the filter is computed from today, never written in a view."""

    _name = "bde.pfmp.school.year.mixin"
    _description = "Record of a school year, filtered on the current one"

    is_current_school_year = fields.Boolean(
        string="Current school year",
        compute="_compute_is_current_school_year",
        search="_search_is_current_school_year",
    )

    @api.model
    def _get_current_school_year(self):
        return school_year_of(fields.Date.context_today(self))

    @api.depends("school_year")
    @api.depends_context("tz")
    def _compute_is_current_school_year(self):
        current = self._get_current_school_year()
        for record in self:
            record.is_current_school_year = record.school_year == current

    def _search_is_current_school_year(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("The current school year is searched as true or false.")
            )
        is_current = (operator == "=") == value
        current = self._get_current_school_year()
        return [("school_year", "=" if is_current else "!=", current)]
