from odoo import api, fields, models
from odoo.tools import float_round

# The host owes at least 15 % of the hourly social-security ceiling per hour
# done (Code de l'éducation D.124-8; Code de la sécurité sociale D.242-2-1).
GRATIFICATION_SHARE = 0.15


class BdeGratificationRate(models.Model):
    """The legal minimum of the gratification a host owes a student whose
    time with it exceeds two months in a school year, from a date on: 15 % of
    the hourly social-security ceiling of that year, rounded to the cent. The
    rate of a placement is the last one starting on or before its first day."""

    _name = "bde.gratification.rate"
    _description = "Minimum hourly gratification"
    _order = "date_from desc"
    _rec_name = "date_from"

    date_from = fields.Date(string="From", required=True, index=True)
    hourly_ceiling = fields.Float(
        string="Hourly social-security ceiling",
        required=True,
        digits=(16, 2),
        help="Plafond horaire de la sécurité sociale of the year, in euros.",
    )
    hourly_amount = fields.Float(
        string="Minimum hourly gratification",
        compute="_compute_hourly_amount",
        store=True,
        digits=(16, 2),
        help="15 % of the hourly ceiling, rounded to the cent.",
    )

    _sql_constraints = [
        (
            "date_from_uniq",
            "unique (date_from)",
            "A gratification rate already starts on this date.",
        ),
        (
            "hourly_ceiling_positive",
            "CHECK (hourly_ceiling > 0)",
            "The hourly ceiling must be positive.",
        ),
    ]

    @api.depends("hourly_ceiling")
    def _compute_hourly_amount(self):
        for rate in self:
            rate.hourly_amount = float_round(
                rate.hourly_ceiling * GRATIFICATION_SHARE, precision_digits=2
            )

    @api.model
    def _rate_on(self, day):
        """The rate in force on ``day`` (the last one starting on or before
        it), or an empty recordset."""
        if not day:
            return self.browse()
        return self.search([("date_from", "<=", day)], order="date_from desc", limit=1)
