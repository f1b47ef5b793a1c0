from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    bde_placement_count = fields.Integer(
        string="Placements",
        compute="_compute_bde_placement_count",
        groups="bde_lycee.group_bde_user",
        help="PFMP placements of this student, or hosted by this company.",
    )

    def _compute_bde_placement_count(self):
        placements = self.env["bde.pfmp.placement"]
        as_student = dict(
            placements._read_group(
                [("student_id", "in", self.ids)], ["student_id"], ["__count"]
            )
        )
        as_host = dict(
            placements._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            origin = partner._origin
            partner.bde_placement_count = as_student.get(origin, 0) + as_host.get(
                origin, 0
            )

    def action_bde_view_placements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_placement_action"
        )
        if self.bde_is_student:
            action["domain"] = [("student_id", "=", self.id)]
            action["context"] = {"default_student_id": self.id}
        else:
            action["domain"] = [("partner_id", "=", self.id)]
            action["context"] = {"default_partner_id": self.id}
        return action
