from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """A message that belongs to a lycée (see mail.message's
        ``bde_company_id``) notifies no user of another lycée: they could not
        read it, the notification must not show it either."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        lycee = message.sudo().bde_company_id
        if not lycee:
            return recipients
        user_ids = [data["uid"] for data in recipients if data.get("uid")]
        outsiders = (
            self.env["res.users"]
            .sudo()
            .browse(user_ids)
            .filtered(lambda user: not user.share and lycee not in user.company_ids)
        )
        return [data for data in recipients if data.get("uid") not in outsiders.ids]
