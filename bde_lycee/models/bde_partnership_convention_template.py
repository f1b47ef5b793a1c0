from odoo import fields, models

# The clauses a partnership convention must hold, in the order of its articles
# (fiche 6 of the Lycée des métiers guide). The preamble comes before them and
# is not numbered.
CLAUSE_FIELDS = [
    "clause_object",
    "clause_commitments_lycee",
    "clause_commitments_partner",
    "clause_terms",
    "clause_duration",
    "clause_follow_up",
    "clause_financial",
    "clause_confidentiality",
    "clause_safety",
    "clause_insurance",
    "clause_disputes",
]
TEXT_FIELDS = ["preamble", *CLAUSE_FIELDS]


class BdePartnershipClauseMixin(models.AbstractModel):
    """The texts of a partnership convention, shared by the conventions and
    the templates they are written from."""

    _name = "bde.partnership.clause.mixin"
    _description = "Clauses of a partnership convention"

    preamble = fields.Html(help="Context and reasons of the convention.")
    clause_object = fields.Html(
        string="Object of the convention",
        help="Article 1: what the lycée and the partner set out to do together.",
    )
    clause_commitments_lycee = fields.Html(string="Commitments of the lycée")
    clause_commitments_partner = fields.Html(string="Commitments of the partner")
    clause_terms = fields.Html(
        string="Terms of the partnership",
        help="How the actions are organised: contacts, schedule, places.",
    )
    clause_duration = fields.Html(string="Duration of the convention")
    clause_follow_up = fields.Html(
        string="Follow-up and renewal",
        help="How the partnership is reviewed and how the convention is renewed.",
    )
    clause_financial = fields.Html(string="Financial provisions")
    clause_confidentiality = fields.Html(string="Confidentiality")
    clause_safety = fields.Html(string="Safety")
    clause_insurance = fields.Html(string="Insurance of goods and people")
    clause_disputes = fields.Html(string="Settlement of disputes")


class BdePartnershipConventionTemplate(models.Model):
    """A model of convention (company, professional federation, association...)
    whose clauses fill a new convention; the académies publish such models."""

    _name = "bde.partnership.convention.template"
    _description = "Partnership convention template"
    _inherit = ["bde.partnership.clause.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        selection=[
            ("company", "Company"),
            ("federation", "Professional federation"),
            ("association", "Association"),
            ("public", "Public body"),
            ("other", "Other"),
        ],
        string="Kind of partner",
        required=True,
        default="company",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        help="Leave empty for a template shared by the lycées of the database.",
    )
    active = fields.Boolean(default=True)
    # Some académies put their visa on the conventions written from their
    # model: the académie then signs after the parties.
    academy_visa_required = fields.Boolean(
        string="Académie's visa",
        help="Conventions written from this template bear the académie's visa, "
        "signed by the académie's signatory below.",
    )
    academy_visa_partner_id = fields.Many2one(
        "res.partner",
        string="Académie's signatory",
        help="Who gives the académie's visa (e.g. the DAFPIC), with an e-mail "
        "address to receive the signature link.",
    )
