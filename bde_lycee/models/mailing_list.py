from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

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
        (partner hooks), for the whole address book otherwise (daily cron).

        Set-wise, in one statement whatever the number of lists and people:
        who qualifies for each list (its domain, as SQL), who is subscribed,
        and the difference written at once. Contacts are created and
        subscriptions added or removed in SQL; a partner's changed name or
        e-mail is then copied to their contacts through the ORM (rarely more
        than a few, and their tracking is kept)."""
        if partners is not None and not partners:
            return
        lists = self._bde_get_lycee_lists(self.env["res.company"].search([]))
        if not lists:
            return
        # The statement copies these fields of the partners; the domains'
        # fields are flushed with their SQL.
        self.env["res.partner"].flush_model(
            ["name", "email", "email_normalized", "commercial_company_name"]
        )
        for model in ("mailing.contact", "mailing.subscription"):
            self.env[model].flush_model()
        stale = self.env.execute_query(
            SQL(
                "WITH wanted (list_id, company_id, partner_id) AS (%(wanted)s), "
                "%(diff)s %(stale)s",
                wanted=lists._bde_wanted_subscriptions_sql(partners),
                diff=self._bde_sync_diff_sql(lists, partners),
                stale=self._bde_stale_contacts_sql(),
            )
        )
        # The statement wrote contacts and subscriptions behind the ORM.
        for model in ("mailing.contact", "mailing.subscription", "mailing.list"):
            self.env[model].invalidate_model()
        self._bde_refresh_contacts(stale)

    def _bde_wanted_subscriptions_sql(self, partners=None):
        """``(list_id, company_id, partner_id)`` of the partners (among
        ``partners`` when given) qualifying for these lists, one SELECT per
        list joined in a UNION ALL."""
        Partner = self.env["res.partner"].sudo()
        selects = []
        for mailing_list in self:
            domain = mailing_list._bde_get_sync_partner_domain()
            if partners is not None:
                domain += [("id", "in", partners.ids)]
            # Archived partners leave the lists, even when the caller
            # (archiving a partner) works with active_test disabled; fields
            # that depend on the lycée (partnership status) are read as the
            # list's lycée.
            query = (
                Partner.with_company(mailing_list.company_id)
                .with_context(active_test=True)
                ._search(domain)
            )
            selects.append(
                SQL(
                    "(%s)",
                    query.select(
                        SQL("%s", mailing_list.id),
                        SQL("%s", mailing_list.company_id.id),
                        SQL.identifier(query.table, "id"),
                    ),
                )
            )
        return SQL(" UNION ALL ").join(selects)

    @api.model
    def _bde_sync_diff_sql(self, lists, partners=None):
        """The CTEs writing the difference between ``wanted`` and the lists'
        subscriptions: one contact per lycée and partner to subscribe, shared
        by the lycée's lists (a lycée never reads another's contacts), the
        subscriptions of those not yet subscribed, and the removal of those
        who no longer qualify. An opted-out subscription stays as it is: the
        person asked to leave the list and must never be put back, nor
        removed from the record of their choice."""
        now, uid = self.env.cr.now(), self.env.uid
        partner_filter = SQL()
        if partners is not None:
            partner_filter = SQL("AND c.bde_partner_id = ANY(%s)", partners.ids)
        return SQL(
            """
            to_add AS (
                SELECT w.* FROM wanted w WHERE NOT EXISTS (
                    SELECT FROM mailing_subscription s
                      JOIN mailing_contact c ON c.id = s.contact_id
                     WHERE s.list_id = w.list_id AND c.bde_partner_id = w.partner_id)
            ), new_contact AS (
                INSERT INTO mailing_contact (name, email, email_normalized,
                       company_name, bde_partner_id, company_id, message_bounce,
                       create_uid, create_date, write_uid, write_date)
                SELECT p.name, p.email, p.email_normalized,
                       p.commercial_company_name, p.id, a.company_id, 0,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (SELECT DISTINCT company_id, partner_id FROM to_add) a
                  JOIN res_partner p ON p.id = a.partner_id
                 WHERE NOT EXISTS (
                       SELECT FROM mailing_contact c
                        WHERE c.bde_partner_id = a.partner_id
                          AND c.company_id = a.company_id)
             RETURNING id, bde_partner_id, company_id
            ), added AS (
                INSERT INTO mailing_subscription (list_id, contact_id, company_id,
                       opt_out, create_uid, create_date, write_uid, write_date)
                SELECT a.list_id, c.id, a.company_id, FALSE,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM to_add a
                  JOIN (SELECT id, bde_partner_id, company_id FROM mailing_contact
                         WHERE bde_partner_id IS NOT NULL
                     UNION ALL SELECT * FROM new_contact) c
                    ON c.bde_partner_id = a.partner_id AND c.company_id = a.company_id
            ), removed AS (
                DELETE FROM mailing_subscription s USING mailing_contact c
                 WHERE c.id = s.contact_id AND s.list_id = ANY(%(lists)s)
                   AND NOT s.opt_out AND c.bde_partner_id IS NOT NULL
                   %(partner_filter)s
                   AND NOT EXISTS (
                       SELECT FROM wanted w
                        WHERE w.list_id = s.list_id
                          AND w.partner_id = c.bde_partner_id)
            )
            """,
            uid=uid,
            now=now,
            lists=lists.ids,
            partner_filter=partner_filter,
        )

    @api.model
    def _bde_stale_contacts_sql(self):
        """``(contact id, name, e-mail)`` of the contacts of partners who
        qualify for a list (in ``wanted``) whose name or e-mail changed."""
        return SQL(
            """
            SELECT c.id, p.name, p.email
              FROM mailing_contact c JOIN res_partner p ON p.id = c.bde_partner_id
             WHERE c.bde_partner_id IN (SELECT partner_id FROM wanted)
               AND (c.name, c.email) IS DISTINCT FROM (p.name, p.email)
            """
        )

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
            # Nobody of an establishment closed in the SIRENE directory.
            ("bde_sirene_closed", "=", False),
            "|",
            ("parent_id", "=", False),
            ("parent_id.bde_sirene_closed", "=", False),
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

    @api.model
    def _bde_refresh_contacts(self, stale):
        """Copy the partners' changed ``(contact id, name, e-mail)`` to their
        contacts."""
        Contact = self.env["mailing.contact"]
        for contact_id, name, email in stale:
            Contact.browse(contact_id).write({"name": name, "email": email})
