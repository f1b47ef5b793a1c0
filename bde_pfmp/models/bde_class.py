from odoo import fields, models
from odoo.tools import formatLang

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
            summary = placements._recompute_allowance()
            self._log_allowance_changes(summary.changed_ids)
        return res

    def _log_allowance_changes(self, changed_ids):
        """One note on each class whose placements' allowances changed,
        rather than a tracked amount in each placement's chatter."""
        if not changed_ids or self.env.context.get("tracking_disable"):
            return
        placements = self.env["bde.pfmp.placement"].sudo()
        counts = {
            school_class.id: count
            for school_class, count in placements._read_group(
                [("id", "in", changed_ids)], ["class_id"], ["__count"]
            )
        }
        totals = {
            school_class.id: total
            for school_class, total in placements._read_group(
                [("class_id", "in", list(counts))],
                ["class_id"],
                ["allowance_amount:sum"],
            )
        }
        classes = self.filtered(lambda school_class: school_class.id in counts)
        classes._message_log_batch(
            {
                school_class.id: self.env._(
                    "The class's MEF or school year changed: %(count)s allowance "
                    "amount(s) changed; the allowances of its placements total "
                    "%(total)s.",
                    count=counts[school_class.id],
                    total=formatLang(
                        self.env,
                        totals[school_class.id],
                        currency_obj=school_class.company_id.currency_id,
                    ),
                )
                for school_class in classes
            }
        )

    def action_view_pfmp_periods(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_period_action"
        )
        action["domain"] = [("class_id", "=", self.id)]
        action["context"] = {"default_class_id": self.id}
        return action
