from odoo import fields, models


class BdeClass(models.Model):
    _inherit = "bde.class"

    alumni_count = fields.Integer(
        string="Alumni",
        compute="_compute_alumni_count",
        help="Students who left the lycée from this class.",
    )

    def _compute_alumni_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("bde_exit_class_id", "in", self.ids)],
                ["bde_exit_class_id"],
                ["__count"],
            )
        )
        for school_class in self:
            school_class.alumni_count = counts.get(school_class, 0)

    def action_view_alumni(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_alumni.res_partner_action_alumni_all"
        )
        action["domain"] = [("bde_exit_class_id", "=", self.id)]
        return action
