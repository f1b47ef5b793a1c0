from odoo import api, models


class MailingSubscription(models.Model):
    _inherit = "mailing.subscription"

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        subscriptions.filtered("opt_out")._bde_alumni_withdraw_contact_consent()
        return subscriptions

    def write(self, vals):
        res = super().write(vals)
        if vals.get("opt_out") or vals.get("opt_out_datetime"):
            self._bde_alumni_withdraw_contact_consent()
        return res

    def _bde_alumni_withdraw_contact_consent(self):
        """Leaving the alumni list from a mailing's footer withdraws the
        alumni's consent to be contacted, so that no other way of mailing
        (surveys, invitations) reaches them either. As superuser: the footer
        is used by the public user."""
        alumni = (
            self.sudo()
            .filtered(lambda sub: sub.list_id.bde_sync_rule == "alumni")
            .contact_id.bde_partner_id.filtered("bde_alumni_contact_consent")
        )
        if alumni:
            alumni._bde_alumni_withdraw(contact=True)
            for partner in alumni:
                partner.message_post(
                    body=partner.env._(
                        "Unsubscribed from the alumni mailing list: consent to be "
                        "contacted withdrawn."
                    )
                )
