from odoo import api, fields, models
from odoo.osv import expression

# Partner fields whose change may move a partner in or out of a synced list.
BDE_SYNC_TRIGGER_FIELDS = {
    "active",
    "bde_is_tutor",
    "bde_partner_status",
    "company_id",
    "email",
    "name",
    "parent_id",
}


class MailingList(models.Model):
    _inherit = "mailing.list"

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        index=True,
        default=lambda self: self.env.company,
        help="Only the users of this lycée read the list and its contacts. "
        "Leave empty for a list shared by every lycée of the database.",
    )

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

    _sql_constraints = [
        (
            "bde_sync_rule_company_uniq",
            "unique (bde_sync_rule, company_id)",
            "A lycée has one list kept in sync per kind of contacts.",
        ),
    ]

    @api.model
    def _bde_sync_mailing_lists(self, partners=None):
        """Bring every synced list up to date, for ``partners`` only when given
        (partner hooks), for the whole address book otherwise (daily cron)."""
        lists = self._bde_get_lycee_lists(self.env["res.company"].search([]))
        # The subscriptions of every list in one query, not one per list: a
        # network has a few lists per lycée.
        domain = [
            ("list_id", "in", lists.ids),
            ("contact_id.bde_partner_id", "!=", False),
        ]
        if partners is not None:
            domain.append(("contact_id.bde_partner_id", "in", partners.ids))
        subscriptions = self.env["mailing.subscription"].search(domain)
        subscriptions_by_list = subscriptions.grouped("list_id")
        to_refresh = self.env["res.partner"]
        for mailing_list in lists:
            to_refresh |= mailing_list._bde_sync_contacts(
                partners, subscriptions_by_list.get(mailing_list, subscriptions[:0])
            )
        self._bde_refresh_contacts(to_refresh)

    @api.model
    def _bde_get_lycee_lists(self, companies, sync_rules=None):
        """The synced lists of ``companies`` (of every kind, or of the kinds
        ``sync_rules``), created for a lycée that has none yet: each lycée
        mails its own people, never another lycée's."""
        if sync_rules is None:
            sync_rules = [
                value for value, __ in self._fields["bde_sync_rule"].selection
            ]
        # As superuser and archived ones too, so that a list hidden from the
        # caller is not made twice.
        lists = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("bde_sync_rule", "in", list(sync_rules)),
                    ("company_id", "in", companies.ids),
                ]
            )
        )
        existing = {(lst.company_id, lst.bde_sync_rule) for lst in lists}
        missing = [
            (company, rule)
            for company in companies
            for rule in sync_rules
            if (company, rule) not in existing
        ]
        if missing:
            lists |= lists.create(
                [self._bde_prepare_lycee_list_values(*key) for key in missing]
            )
        return lists.with_env(self.env)

    @api.model
    def _bde_prepare_lycee_list_values(self, company, sync_rule):
        field = self._fields["bde_sync_rule"]
        rule_names = dict(field._description_selection(self.env))
        return {
            "name": f"{rule_names[sync_rule]} ({company.name})",
            "bde_sync_rule": sync_rule,
            "company_id": company.id,
            # The sync decides who is in the list: nobody subscribes to it from
            # the subscription page (where every lycée's public lists show).
            "is_public": False,
        }

    def _bde_get_sync_partner_domain(self):
        self.ensure_one()
        # The blacklist as a subquery: is_blacklisted's search runs a query of
        # its own, once per list.
        blacklist = self.env["mail.blacklist"].sudo()._search([("active", "=", True)])
        domain = [
            ("email", "!=", False),
            "|",
            ("email_normalized", "=", False),
            ("email_normalized", "not in", blacklist.subselect("email")),
        ]
        return domain + self._bde_get_sync_rule_domain()

    def _bde_get_sync_rule_domain(self):
        """What the list's rule asks of a partner of the list's lycée; modules
        adding a rule extend it (an unknown rule holds nobody)."""
        self.ensure_one()
        if self.bde_sync_rule == "partners":
            return [
                ("is_company", "=", False),
                ("bde_is_student", "=", False),
                ("company_id", "in", [False, self.company_id.id]),
                ("parent_id.bde_partner_status", "=", "active"),
            ]
        if self.bde_sync_rule == "tutors":
            return [("bde_is_tutor", "=", True)] + self._bde_get_tutor_domain()
        return list(expression.FALSE_DOMAIN)

    def _bde_get_tutor_domain(self):
        """Which tutors are the list's lycée's: those it recorded itself;
        bde_pfmp adds the tutors of its placements."""
        self.ensure_one()
        return [("company_id", "=", self.company_id.id)]

    def _bde_sync_contacts(self, partners, subscriptions):
        """Subscribe the qualifying ``partners`` (all when None) and remove
        the others from the list, given its current ``subscriptions`` of
        those partners. Return the subscribed partners who still qualify:
        their contact may need their new name or e-mail."""
        self.ensure_one()
        partner_domain = self._bde_get_sync_partner_domain()
        if partners is not None:
            partner_domain += [("id", "in", partners.ids)]
        # Archived partners leave the lists, even when the caller (archiving
        # a partner) works with active_test disabled; fields that depend on
        # the lycée (partnership status) are read as the list's lycée.
        qualifying = (
            self.env["res.partner"]
            .with_company(self.company_id)
            .with_context(active_test=True)
            .search(partner_domain)
        )
        # An opted-out subscription stays as it is: the person asked to leave
        # the list and must never be put back by the sync.
        subscribed_partners = subscriptions.contact_id.bde_partner_id
        subscriptions.filtered(
            lambda sub: (
                not sub.opt_out and sub.contact_id.bde_partner_id not in qualifying
            )
        ).unlink()
        self._bde_subscribe(qualifying - subscribed_partners)
        return qualifying & subscribed_partners

    def _bde_subscribe(self, partners):
        self.ensure_one()
        if not partners:
            return
        contacts = self._bde_get_or_create_contacts(partners)
        self.env["mailing.subscription"].create(
            [{"list_id": self.id, "contact_id": contact.id} for contact in contacts]
        )

    def _bde_get_or_create_contacts(self, partners):
        """One mailing contact per partner and lycée, shared by the lycée's
        synced lists: a lycée never reads the contacts of another's lists."""
        self.ensure_one()
        Contact = self.env["mailing.contact"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        contacts = Contact.search(
            [
                ("bde_partner_id", "in", partners.ids),
                ("company_id", "=", self.company_id.id),
            ]
        )
        missing = partners - contacts.bde_partner_id
        contacts |= Contact.create(
            [self._bde_prepare_contact_values(partner) for partner in missing]
        )
        self._bde_refresh_contacts(partners, contacts)
        return contacts

    def _bde_prepare_contact_values(self, partner):
        self.ensure_one()
        return {
            "name": partner.name,
            "email": partner.email,
            "company_name": partner.commercial_company_name or False,
            "bde_partner_id": partner.id,
            "company_id": self.company_id.id,
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
