from odoo import models
from odoo.osv import expression


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    def _get_recipients_domain(self):
        """A mailing to contacts of the address book never reaches an alumni
        who has not agreed to be contacted, whatever its domain says: a
        campaign's reminder, an invitation prepared before the consent was
        withdrawn."""
        domain = super()._get_recipients_domain()
        if self.mailing_model_real != "res.partner":
            return domain
        return expression.AND(
            [
                domain,
                [
                    "|",
                    ("bde_is_alumni", "=", False),
                    ("bde_alumni_contact_consent", "=", True),
                ],
            ]
        )
