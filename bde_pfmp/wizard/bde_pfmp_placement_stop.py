from odoo import fields, models


class BdePfmpPlacementStop(models.TransientModel):
    """Asks why a placement is cancelled or interrupted before doing it."""

    _name = "bde.pfmp.placement.stop"
    _description = "Cancel or interrupt a PFMP placement"

    placement_ids = fields.Many2many("bde.pfmp.placement", required=True)
    stop = fields.Selection(
        selection=[("cancel", "Cancel"), ("interrupt", "Interrupt")],
        required=True,
        default="cancel",
    )
    reason = fields.Text(required=True)
    date_stopped = fields.Date(
        string="Last day",
        default=fields.Date.context_today,
        help="Last day the student spent in the host.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.placement_ids._action_stop(self.stop, self.reason, self.date_stopped)
        return {"type": "ir.actions.act_window_close"}
