from odoo import fields, models


class MailingList(models.Model):
    _inherit = "mailing.list"

    bde_sync_rule = fields.Selection(
        selection_add=[("alumni", "Alumni who agreed to be contacted")],
        ondelete={"alumni": "set null"},
    )

    def _bde_get_sync_rule_domain(self):
        if self.bde_sync_rule == "alumni":
            return [
                ("bde_is_alumni", "=", True),
                ("bde_alumni_contact_consent", "=", True),
                ("company_id", "=", self.company_id.id),
            ]
        return super()._bde_get_sync_rule_domain()
