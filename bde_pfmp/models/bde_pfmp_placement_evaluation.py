from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .bde_pfmp_evaluation import PHASES


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    evaluation_ids = fields.One2many(
        "bde.pfmp.evaluation", "placement_id", string="Skills evaluations"
    )

    def _write_trusted(self, vals):
        res = super()._write_trusted(vals)
        if vals.get("state") == "in_progress":
            # The tutor evaluates the skills from the placement's start.
            self._bde_create_evaluations()
        return res

    def _bde_tutor_has_evaluated(self):
        # With a skills grid, the final evaluation is the grid's: the overall
        # appreciation alone does not stop the tutor's reminders.
        return super()._bde_tutor_has_evaluated() and all(
            evaluation.state == "done"
            for evaluation in self.evaluation_ids
            if evaluation.phase == "final"
        )

    @api.model
    def _bde_reminder_unanswered_domain(self):
        return expression.OR(
            [
                super()._bde_reminder_unanswered_domain(),
                [
                    (
                        "evaluation_ids",
                        "any",
                        [("phase", "=", "final"), ("state", "!=", "done")],
                    )
                ],
            ]
        )

    def action_bde_create_evaluations(self):
        """Create the mid-term and final evaluations now (the BDE team, or
        the referent teacher of the placement)."""
        self.check_access("write")
        missing = self.filtered(lambda placement: not placement._bde_evaluation_grid())
        if missing:
            raise UserError(
                self.env._(
                    "No skills grid evaluates the formation %(formations)s: "
                    "link a grid to it in PFMP > Skills grids.",
                    formations=", ".join(missing.class_id.formation_id.mapped("name")),
                )
            )
        self._bde_create_evaluations()

    def _bde_evaluation_grid(self):
        self.ensure_one()
        return self.env["survey.survey"]._bde_pfmp_grid_for(
            self.class_id.formation_id, self.company_id
        )

    def _bde_create_evaluations(self):
        """One evaluation per phase on the grid of the student's formation;
        a placement whose formation has no grid gets none. Runs as superuser:
        the caller checked who acts (a step of the placement, or the staff)."""
        values = []
        # One search per formation and lycée, whatever the placements (a
        # whole class starts at once).
        grids = {}
        for placement in self.sudo():
            key = (placement.class_id.formation_id, placement.company_id)
            if key not in grids:
                grids[key] = placement._bde_evaluation_grid()
            grid = grids[key]
            existing = set(placement.evaluation_ids.mapped("phase"))
            values += [
                {"placement_id": placement.id, "phase": phase, "survey_id": grid.id}
                for phase, _label in PHASES
                if grid and phase not in existing
            ]
        return self.env["bde.pfmp.evaluation"].sudo().create(values)
