from odoo import fields, models

# Personal data of an alumni who did not join the network is kept this many
# years after exit by default (the lycée may change it).
DEFAULT_RETENTION_YEARS = 5


class ResCompany(models.Model):
    _inherit = "res.company"

    bde_alumni_retention_years = fields.Integer(
        string="Alumni data kept (years)",
        default=DEFAULT_RETENTION_YEARS,
        help="Years after exit after which the personal data of an alumni who "
        "did not join the alumni network is anonymised. Never before the "
        "24-month follow-up is over; the insertion indicators still count them.",
    )

    _sql_constraints = [
        (
            "bde_alumni_retention_years_positive",
            "CHECK (bde_alumni_retention_years > 0)",
            "The retention period of alumni data must be at least one year.",
        ),
    ]
