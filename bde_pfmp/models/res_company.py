from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    bde_pfmp_no_host_days = fields.Integer(
        string="Students without host: days before the period",
        default=21,
        help="A student still searching for a host this many days before the "
        "start of the period is listed as without host, and their referent "
        "teacher gets a reminder.",
    )
    bde_pfmp_risk_days = fields.Integer(
        string="Students at risk: days before the period",
        default=15,
        help="The students of a PFMP period starting within this many days, "
        "or under way, are checked for risks (no placement, no host, "
        "convention not fully signed, placement not started).",
    )
    bde_pfmp_tutor_reminder_days = fields.Integer(
        string="Tutors' reminder: days before the end",
        default=5,
        help="The tutor of a placement in progress is e-mailed their link to "
        "confirm the attendance and evaluate this many days before the end, "
        "and once again the day after the end if still missing.",
    )
    # The lycée's position is its partner's: the distances of the host
    # directory are counted from it.
    partner_latitude = fields.Float(
        related="partner_id.partner_latitude", readonly=False, string="Latitude"
    )
    partner_longitude = fields.Float(
        related="partner_id.partner_longitude", readonly=False, string="Longitude"
    )

    _sql_constraints = [
        (
            "bde_pfmp_no_host_days_positive",
            "CHECK (bde_pfmp_no_host_days >= 0)",
            "The days before a period for the students without host cannot be "
            "negative.",
        ),
        (
            "bde_pfmp_risk_days_positive",
            "CHECK (bde_pfmp_risk_days >= 0)",
            "The days before a period for the students at risk cannot be negative.",
        ),
        (
            "bde_pfmp_tutor_reminder_days_positive",
            "CHECK (bde_pfmp_tutor_reminder_days >= 0)",
            "The days before the end for the tutors' reminder cannot be negative.",
        ),
    ]
