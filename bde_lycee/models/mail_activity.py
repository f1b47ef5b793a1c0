from odoo import api, fields, models
from odoo.exceptions import AccessError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    bde_company_id = fields.Many2one(
        "res.company",
        string="Lycée of the activity",
        index="btree_not_null",
        readonly=True,
        help="Lycée of the user who planned this activity on a company shared "
        "by the lycées of the database: only that lycée's users read it. Empty "
        "for the activities every lycée reads.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._bde_set_company()
        return activities

    def write(self, vals):
        # The lycée follows from who planned the activity, never from a value
        # sent by a client.
        if not self.env.su:
            vals.pop("bde_company_id", None)
        return super().write(vals)

    def _check_access(self, operation):
        """Odoo lets whoever may write the document write or delete its
        activities, whatever the record rules say: on a shared company that
        is every lycée. Another lycée's activity is refused all the same."""
        result = super()._check_access(operation)
        if operation not in ("write", "unlink") or self.env.su:
            return result
        foreign = self.sudo().filtered(
            lambda activity: (
                activity.bde_company_id
                and activity.bde_company_id not in self.env.user.company_ids
            )
        )
        if not foreign:
            return result
        forbidden = (result[0] if result else self.browse()) | self.browse(foreign.ids)
        return forbidden, lambda: AccessError(
            self.env._(
                "This activity belongs to another lycée's partnership with the "
                "company: only that lycée's users change it."
            )
        )

    def _bde_set_company(self):
        """An activity a user plans on a shared company (a call, a visit to
        prepare, a note naming a student) is their current lycée's business,
        as its partnership is: the other lycées do not read it."""
        user = self.env.user
        if not user._is_internal() or user._is_superuser():
            return
        on_partners = self.filtered(lambda a: a.res_model == "res.partner")
        partners = self.env["res.partner"].sudo().browse(on_partners.mapped("res_id"))
        shared_ids = set(partners.exists().filtered(lambda p: not p.company_id).ids)
        on_partners.filtered(lambda a: a.res_id in shared_ids).sudo().write(
            {"bde_company_id": self.env.company.id}
        )
