from odoo import fields, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    company_id = fields.Many2one(
        related="user_input_id.company_id",
        store=True,
        index="btree_not_null",
        string="Lycée",
    )
