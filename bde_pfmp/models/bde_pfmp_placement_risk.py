from odoo import fields, models

# Imported by the at-risk list (bde_pfmp_risk), a SQL view created once the
# lycée's settings exist: this file must not import it.
RISK_REASONS = [
    ("no_placement", "No placement"),
    ("no_host", "No host"),
    ("not_signed", "Convention not fully signed"),
    ("not_started", "Not started"),
]


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    risk_alert_reason = fields.Selection(
        RISK_REASONS,
        string="At-risk alert sent for",
        readonly=True,
        copy=False,
        help="The risk the referent teacher and the BDE were last alerted of; "
        "a new alert comes only for another risk, once the last one is done.",
    )
