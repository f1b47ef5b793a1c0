from odoo import fields, models

# Fields of a class that decide which allowance rate its placements get.
ALLOWANCE_CLASS_FIELDS = {"school_year", "mef_code", "mef_stat4"}


class BdeClass(models.Model):
    _inherit = "bde.class"

    pfmp_period_count = fields.Integer(
        string="PFMP periods", compute="_compute_pfmp_period_count"
    )

    def _compute_pfmp_period_count(self):
        counts = dict(
            self.env["bde.pfmp.period"]._read_group(
                [("class_id", "in", self.ids)], ["class_id"], ["__count"]
            )
        )
        for school_class in self:
            school_class.pfmp_period_count = counts.get(school_class._origin, 0)

    def write(self, vals):
        res = super().write(vals)
        if ALLOWANCE_CLASS_FIELDS & vals.keys():
            # As superuser: the amounts move whoever corrects the class's MEF.
            placements = (
                self.env["bde.pfmp.placement"]
                .sudo()
                .search([("class_id", "in", self.ids)])
            )
            placements._recompute_allowance()
        return res

    def action_view_pfmp_periods(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_period_action"
        )
        action["domain"] = [("class_id", "=", self.id)]
        action["context"] = {"default_class_id": self.id}
        return action
