from odoo import fields, models

# Situation fields an insertion survey question may feed.
BDE_ALUMNI_FIELDS = [
    ("status", "Situation"),
    ("contract_type", "Contract type"),
    ("employer_name", "Employer"),
    ("job_title", "Job"),
    ("study_formation", "Formation followed"),
    ("consent", "Consent"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    bde_alumni_field = fields.Selection(
        BDE_ALUMNI_FIELDS,
        string="Alumni situation field",
        help="The alumni's situation field this question's answer updates "
        "(insertion surveys of the BDE); the wording may change freely.",
    )
