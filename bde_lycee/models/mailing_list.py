from odoo import api, fields, models
from odoo.osv import expression

# Partner fields whose change may move a partner in or out of a synced list.
BDE_SYNC_TRIGGER_FIELDS = {
    "active",
    "bde_is_tutor",
    "bde_partner_status",
    "email",
    "name",
    "parent_id",
}


class MailingList(models.Model):
    _inherit = "mailing.list"

    bde_sync_rule = fields.Selection(
        selection=[
            ("partners", "Contacts of active partners"),
            ("tutors", "PFMP tutors"),
        ],
        string="Kept in sync with",
        help="The BDE keeps this list up to date every day and whenever a partner "
        "changes: qualifying contacts are added, the others removed. Contacts who "
        "opted out or are blacklisted are never added back.",
    )

    @api.model
    def _bde_sync_mailing_lists(self, partners=None):
        """Bring every synced list up to date, for ``partners`` only when given
        (partner hooks), for the whole address book otherwise (daily cron)."""
        for mailing_list in self.search([("bde_sync_rule", "!=", False)]):
            mailing_list._bde_sync_contacts(partners)

    def _bde_get_sync_partner_domain(self):
        self.ensure_one()
        domain = [("email", "!=", False), ("is_blacklisted", "=", False)]
        return domain + self._bde_get_sync_rule_domain()

    def _bde_get_sync_rule_domain(self):
        """What the list's rule asks of a partner; modules adding a rule
        extend it (an unknown rule holds nobody)."""
        self.ensure_one()
        if self.bde_sync_rule == "partners":
            return [
                ("is_company", "=", False),
                ("bde_is_student", "=", False),
                ("parent_id.bde_partner_status", "=", "active"),
            ]
        if self.bde_sync_rule == "tutors":
            return [("bde_is_tutor", "=", True)]
        return list(expression.FALSE_DOMAIN)

    def _bde_sync_contacts(self, partners=None):
        self.ensure_one()
        partner_domain = self._bde_get_sync_partner_domain()
        subscription_domain = [
            ("list_id", "=", self.id),
            ("contact_id.bde_partner_id", "!=", False),
        ]
        if partners is not None:
            partner_domain += [("id", "in", partners.ids)]
            subscription_domain += [("contact_id.bde_partner_id", "in", partners.ids)]
        # Archived partners leave the lists, even when the caller (archiving
        # a partner) works with active_test disabled.
        qualifying = (
            self.env["res.partner"]
            .with_context(active_test=True)
            .search(partner_domain)
        )
        subscriptions = self.env["mailing.subscription"].search(subscription_domain)
        # An opted-out subscription stays as it is: the person asked to leave
        # the list and must never be put back by the sync.
        subscribed_partners = subscriptions.contact_id.bde_partner_id
        subscriptions.filtered(
            lambda sub: (
                not sub.opt_out and sub.contact_id.bde_partner_id not in qualifying
            )
        ).unlink()
        self._bde_subscribe(qualifying - subscribed_partners)
        self._bde_refresh_contacts(qualifying & subscribed_partners)

    def _bde_subscribe(self, partners):
        self.ensure_one()
        if not partners:
            return
        contacts = self._bde_get_or_create_contacts(partners)
        self.env["mailing.subscription"].create(
            [{"list_id": self.id, "contact_id": contact.id} for contact in contacts]
        )

    @api.model
    def _bde_get_or_create_contacts(self, partners):
        """One mailing contact per partner, shared by the synced lists."""
        Contact = self.env["mailing.contact"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        contacts = Contact.search([("bde_partner_id", "in", partners.ids)])
        missing = partners - contacts.bde_partner_id
        contacts |= Contact.create(
            [self._bde_prepare_contact_values(partner) for partner in missing]
        )
        self._bde_refresh_contacts(partners, contacts)
        return contacts

    @api.model
    def _bde_prepare_contact_values(self, partner):
        return {
            "name": partner.name,
            "email": partner.email,
            "company_name": partner.commercial_company_name or False,
            "bde_partner_id": partner.id,
        }

    @api.model
    def _bde_refresh_contacts(self, partners, contacts=None):
        """Copy a changed name or e-mail of the partners to their contacts."""
        if contacts is None:
            contacts = self.env["mailing.contact"].search(
                [("bde_partner_id", "in", partners.ids)]
            )
        for contact in contacts:
            partner = contact.bde_partner_id
            if (contact.name, contact.email) != (partner.name, partner.email):
                contact.write({"name": partner.name, "email": partner.email})
