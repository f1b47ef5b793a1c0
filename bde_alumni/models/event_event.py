from odoo import api, fields, models


class EventEvent(models.Model):
    _inherit = "event.event"

    bde_is_diploma_ceremony = fields.Boolean(
        string="Diploma ceremony", compute="_compute_bde_is_diploma_ceremony"
    )

    @api.depends("event_type_id")
    def _compute_bde_is_diploma_ceremony(self):
        ceremony = self.env.ref(
            "bde_lycee.event_type_diploma_ceremony", raise_if_not_found=False
        )
        for event in self:
            event.bde_is_diploma_ceremony = bool(ceremony) and (
                event.event_type_id == ceremony
            )

    def action_bde_invite_graduates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite graduates"),
            "res_model": "bde.alumni.ceremony.invitation",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_event_id": self.id},
        }
