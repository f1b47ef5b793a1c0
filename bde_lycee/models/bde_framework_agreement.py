from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCOPES = [
    ("national", "National"),
    ("academic", "Academic"),
    ("regional", "Regional"),
]


class BdeFrameworkAgreement(models.Model):
    """A framework agreement (convention-cadre) signed by the Ministry, the
    académie or the région with a company, a professional branch or a network:
    the lycées' conventions with the companies it covers may rest on it
    (circular, section 5). Shared by the whole network, hence no lycée."""

    _name = "bde.framework.agreement"
    _description = "Framework agreement"
    _order = "date_start desc, name"
    _rec_names_search = ["name", "reference"]

    name = fields.Char(required=True)
    reference = fields.Char(
        help="Reference of the agreement in the Bulletin officiel or at the "
        "académie, e.g. BO n° 12 of 23 March 2023.",
    )
    signatories = fields.Text(
        help="Who signed it, e.g. the Minister of National Education and the "
        "chairman of the company.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        relation="bde_framework_agreement_res_partner_rel",
        column1="agreement_id",
        column2="partner_id",
        string="Companies covered",
        domain=[("is_company", "=", True)],
        help="Companies, branches or networks the agreement covers.",
    )
    scope = fields.Selection(SCOPES, required=True, default="national")
    date_start = fields.Date(string="Start date")
    date_end = fields.Date(
        string="End date", help="Empty: signed for an indefinite period."
    )
    url = fields.Char(string="Link", help="Where the agreement is published.")
    note = fields.Html(string="Notes")
    active = fields.Boolean(default=True)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if (
                agreement.date_start
                and agreement.date_end
                and agreement.date_end < agreement.date_start
            ):
                raise ValidationError(
                    agreement.env._(
                        "The framework agreement %(name)s ends before it starts.",
                        name=agreement.name,
                    )
                )
