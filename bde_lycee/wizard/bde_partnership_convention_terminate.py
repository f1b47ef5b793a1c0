from odoo import fields, models


class BdePartnershipConventionTerminate(models.TransientModel):
    """Asks why a convention in force ends early: the reason stays on the
    convention and in its history."""

    _name = "bde.partnership.convention.terminate"
    _description = "Terminate a partnership convention"

    convention_ids = fields.Many2many(
        "bde.partnership.convention",
        relation="bde_convention_terminate_rel",
        column1="wizard_id",
        column2="convention_id",
        string="Conventions",
        required=True,
    )
    reason = fields.Text(required=True)
    date = fields.Date(
        string="Termination date", required=True, default=fields.Date.context_today
    )

    def action_terminate(self):
        self.ensure_one()
        self.convention_ids.action_terminate(self.reason, self.date)
        return {"type": "ir.actions.act_window_close"}
