from odoo import fields, models


class EventType(models.Model):
    _inherit = "event.type"

    bde_is_bde_type = fields.Boolean(
        string="BDE event type",
        help="Events of this type are organised by the Bureau des entreprises with "
        "its partners: they appear in the BDE menu and dashboard.",
    )
    bde_invitation_list_ids = fields.Many2many(
        "mailing.list",
        string="Invitation lists",
        help="Mailing lists invited by the Invite partners button of the events "
        "of this type. Without any, the BDE partners' contacts are invited.",
    )
