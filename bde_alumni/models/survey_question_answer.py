from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    bde_alumni_value = fields.Char(
        string="Alumni situation value",
        help="Technical value written into the alumni's situation when this "
        "answer is chosen: a status (employed, studies, seeking, other), a "
        "contract type (permanent, fixed_term, temp, apprenticeship, "
        "self_employed) or a consent (contact, network).",
    )
