from odoo import fields, models


class BdePfmpPedagogyRefuse(models.TransientModel):
    """Asks why the pedagogical annex is refused before sending it back."""

    _name = "bde.pfmp.pedagogy.refuse"
    _description = "Refuse the pedagogical annex of a PFMP placement"

    placement_ids = fields.Many2many("bde.pfmp.placement", required=True)
    reason = fields.Text(
        required=True,
        help="Sent to the student, and to the legal guardian of a minor.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.placement_ids._bde_refuse_pedagogy(self.reason)
        return {"type": "ir.actions.act_window_close"}
