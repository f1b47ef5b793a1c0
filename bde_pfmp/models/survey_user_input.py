from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # Which placement a tutor's answer to a PFMP skills grid evaluates: the
    # record rules keep the answer to the placement's lycée.
    bde_pfmp_placement_id = fields.Many2one(
        "bde.pfmp.placement",
        string="PFMP placement",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )

    def _mark_done(self):
        res = super()._mark_done()
        evaluations = (
            self.env["bde.pfmp.evaluation"]
            .sudo()
            .search([("user_input_id", "in", self.ids)])
        )
        evaluations._bde_answer_done()
        return res
