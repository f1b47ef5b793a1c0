from odoo.tests import new_test_user, tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestBdeMailingLists(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The lists of the test lycée, whose active partner the company is;
        # the contacts and tutors below are the ones this lycée recorded.
        MailingList = cls.env["mailing.list"]
        cls.partners_list = MailingList._bde_get_lycee_lists(cls.lycee, ["partners"])
        cls.tutors_list = MailingList._bde_get_lycee_lists(cls.lycee, ["tutors"])
        Partner = cls.env["res.partner"]
        cls.company_partner.with_company(cls.lycee).bde_partner_status = "active"
        cls.contact = Partner.create(
            {
                "name": "Paul Meunier",
                "parent_id": cls.company_partner.id,
                "email": "paul.meunier@boulangerie-test.fr",
                "company_id": cls.lycee.id,
            }
        )
        cls.contact_no_email = Partner.create(
            {"name": "Anne Sansmail", "parent_id": cls.company_partner.id}
        )
        cls.prospect = Partner.create(
            {
                "name": "Fleuriste Test",
                "is_company": True,
                "bde_partner_status": "prospect",
            }
        )
        cls.prospect_contact = Partner.create(
            {
                "name": "Rose Lys",
                "parent_id": cls.prospect.id,
                "email": "rose.lys@fleuriste-test.fr",
            }
        )
        cls.tutor = Partner.create(
            {
                "name": "Marc Tuteur",
                "parent_id": cls.prospect.id,
                "email": "marc.tuteur@fleuriste-test.fr",
                "bde_is_tutor": True,
                "company_id": cls.lycee.id,
            }
        )

    def _subscribers(self, mailing_list):
        """Partners subscribed, and not opted out, to the list."""
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "=", mailing_list.id), ("opt_out", "=", False)]
        )
        return subscriptions.contact_id.bde_partner_id

    def _sync(self):
        self.env["mailing.list"]._bde_sync_mailing_lists()

    def test_sync_adds_qualifying_contacts(self):
        # Contacts made before the sync (as by an import without the hook).
        self.env["mailing.contact"].search(
            [("bde_partner_id", "in", (self.contact | self.tutor).ids)]
        ).unlink()
        self.assertNotIn(self.contact, self._subscribers(self.partners_list))
        self._sync()
        partners = self._subscribers(self.partners_list)
        self.assertIn(self.contact, partners)
        self.assertNotIn(self.contact_no_email, partners)
        self.assertNotIn(self.company_partner, partners, "companies are not persons")
        self.assertNotIn(self.prospect_contact, partners)
        self.assertIn(self.tutor, self._subscribers(self.tutors_list))
        self.assertNotIn(self.contact, self._subscribers(self.tutors_list))
        mailing_contact = self.env["mailing.contact"].search(
            [("bde_partner_id", "=", self.contact.id)]
        )
        self.assertRecordValues(
            mailing_contact,
            [{"name": "Paul Meunier", "email": "paul.meunier@boulangerie-test.fr"}],
        )

    def test_partner_losing_active_status_leaves_list(self):
        self.assertIn(self.contact, self._subscribers(self.partners_list))
        self.company_partner.with_company(self.lycee).bde_partner_status = "former"
        self.assertNotIn(self.contact, self._subscribers(self.partners_list))
        self.prospect.with_company(self.lycee).bde_partner_status = "active"
        self.assertIn(self.prospect_contact, self._subscribers(self.partners_list))
        self.assertIn(self.tutor, self._subscribers(self.partners_list))
        self.prospect_contact.action_archive()
        self.assertNotIn(self.prospect_contact, self._subscribers(self.partners_list))

    def test_new_tutor_and_email_change_follow(self):
        self.assertNotIn(self.contact, self._subscribers(self.tutors_list))
        self.contact.bde_is_tutor = True
        self.assertIn(self.contact, self._subscribers(self.tutors_list))
        self.contact.email = "p.meunier@boulangerie-test.fr"
        mailing_contacts = self.env["mailing.contact"].search(
            [("bde_partner_id", "=", self.contact.id)]
        )
        self.assertEqual(len(mailing_contacts), 1, "one contact shared by both lists")
        self.assertEqual(mailing_contacts.email, "p.meunier@boulangerie-test.fr")
        self.contact.bde_is_tutor = False
        self.assertNotIn(self.contact, self._subscribers(self.tutors_list))
        self.assertIn(self.contact, self._subscribers(self.partners_list))

    def test_sync_is_idempotent(self):
        self._sync()
        Subscription = self.env["mailing.subscription"]
        Contact = self.env["mailing.contact"]
        subscriptions = Subscription.search([])
        contacts = Contact.search([])
        self._sync()
        self.assertEqual(Subscription.search_count([]), len(subscriptions))
        self.assertEqual(Contact.search_count([]), len(contacts))
        self.assertEqual(Subscription.search([]), subscriptions)

    def test_blacklisted_email_excluded(self):
        self.env["mail.blacklist"]._add("jeanne.noir@fleuriste-test.fr")
        blacklisted = self.env["res.partner"].create(
            {
                "name": "Jeanne Noir",
                "parent_id": self.company_partner.id,
                "email": "jeanne.noir@fleuriste-test.fr",
                "bde_is_tutor": True,
                "company_id": self.lycee.id,
            }
        )
        self.assertNotIn(blacklisted, self._subscribers(self.partners_list))
        self.assertNotIn(blacklisted, self._subscribers(self.tutors_list))
        # A subscriber blacklisted later leaves the lists at the next sync.
        self.env["mail.blacklist"]._add(self.tutor.email)
        self._sync()
        self.assertNotIn(self.tutor, self._subscribers(self.tutors_list))

    def test_opt_out_respected(self):
        subscription = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.tutors_list.id),
                ("contact_id.bde_partner_id", "=", self.tutor.id),
            ]
        )
        subscription.opt_out = True
        self._sync()
        self.tutor.write({"email": "marc.t@fleuriste-test.fr"})
        subscriptions = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.tutors_list.id),
                ("contact_id.bde_partner_id", "=", self.tutor.id),
            ]
        )
        self.assertEqual(subscriptions, subscription)
        self.assertTrue(subscription.opt_out)
        # Still opted out after the partner stops and starts qualifying again.
        self.tutor.bde_is_tutor = False
        self.tutor.bde_is_tutor = True
        self.assertTrue(subscription.exists().opt_out)

    def test_hook_runs_for_users_without_mailing_rights(self):
        user = new_test_user(
            self.env,
            login="bde_partner_editor",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        self.tutor.with_user(user).email = "marc.nouveau@fleuriste-test.fr"
        self.assertEqual(
            self.env["mailing.contact"]
            .search([("bde_partner_id", "=", self.tutor.id)])
            .email,
            "marc.nouveau@fleuriste-test.fr",
        )

    def _count_sync_queries(self, count):
        tutors = self.env["res.partner"].create(
            [
                {
                    "name": f"Tuteur {count} {i}",
                    "email": f"t{count}.{i}@t.fr",
                    "bde_is_tutor": True,
                    "company_id": self.lycee.id,
                }
                for i in range(count)
            ]
        )
        # Forget their contacts so that the sync creates and subscribes them.
        self.env["mailing.contact"].search(
            [("bde_partner_id", "in", tutors.ids)]
        ).unlink()
        self.env.flush_all()
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        self._sync()
        self.env.flush_all()
        queries = self.cr.sql_log_count - queries_before
        self.assertEqual(self._subscribers(self.tutors_list) & tutors, tutors)
        return queries

    def test_sync_query_count_does_not_grow_per_partner(self):
        self._sync()
        self.assertEqual(self._count_sync_queries(5), self._count_sync_queries(20))
