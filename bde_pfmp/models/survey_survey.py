from odoo import api, fields, models

GRID_TYPE = "pfmp_grid"


class SurveySurvey(models.Model):
    """A PFMP skills grid is a survey of its own type: survey's rules for its
    users and managers cover the other types only, so the tutors' answers
    follow the PFMP's rules (see bde_pfmp_security.xml)."""

    _inherit = "survey.survey"

    survey_type = fields.Selection(
        selection_add=[(GRID_TYPE, "PFMP skills grid")],
        ondelete={GRID_TYPE: "set default"},
    )
    bde_pfmp_formation_ids = fields.Many2many(
        "bde.formation",
        string="Formations",
        help="The formations whose placements are evaluated with this grid.",
    )
    bde_pfmp_diploma_code = fields.Char(
        string="Diploma code",
        help="The grid also evaluates the formations of this diploma code "
        "(8 characters of the national diploma code) that no grid names.",
    )
    bde_pfmp_company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        index="btree_not_null",
        help="Empty: the network's grid, shared by every lycée. Set: the "
        "lycée's own copy, which the lycée edits and uses before the "
        "network's.",
    )

    @api.depends("survey_type")
    @api.depends_context("uid")
    def _compute_allowed_survey_types(self):
        super()._compute_allowed_survey_types()
        if self.env.user.has_group("bde_lycee.group_bde_officer"):
            self.allowed_survey_types = (self.allowed_survey_types or []) + [GRID_TYPE]

    @api.model
    def _bde_pfmp_grid_for(self, formation, company):
        """The grid that evaluates a placement of ``formation`` in
        ``company``: the lycée's own copy before the network's, a grid naming
        the formation before one matching its diploma code only."""
        if not formation:
            return self.browse()
        match = [("bde_pfmp_formation_ids", "in", formation.ids)]
        if formation.diploma_code:
            match = [
                "|",
                *match,
                ("bde_pfmp_diploma_code", "=", formation.diploma_code),
            ]
        grids = self.sudo().search(
            [
                ("survey_type", "=", GRID_TYPE),
                ("bde_pfmp_company_id", "in", [company.id, False]),
                *match,
            ]
        )
        return grids.sorted(
            lambda grid: (
                not grid.bde_pfmp_company_id,
                formation not in grid.bde_pfmp_formation_ids,
                grid.id,
            )
        )[:1]

    def action_bde_pfmp_copy_for_lycee(self):
        """The lycée's own copy of a network's grid, to adapt it."""
        self.ensure_one()
        copy = self.copy(
            {
                "title": self.env._("%(title)s (copy)", title=self.title),
                "bde_pfmp_company_id": self.env.company.id,
                "bde_pfmp_formation_ids": self.bde_pfmp_formation_ids.ids,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.survey",
            "res_id": copy.id,
            "view_mode": "form",
        }
