from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestMailingIsolation(BdeLyceeCase):
    """Each lycée has its own synced lists, filled with its own people, and
    reads no other lycée's lists, contacts, subscriptions, mailings or
    traces."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # The shared company is an active partner of the first lycée only.
        cls.company_partner.with_company(cls.lycee).bde_partner_status = "active"
        cls.company_partner.with_company(
            cls.other_lycee
        ).bde_partner_status = "prospect"
        cls.contact = Partner.create(
            {
                "name": "Paul Meunier",
                "parent_id": cls.company_partner.id,
                "email": "paul.meunier@boulangerie-test.fr",
            }
        )
        cls.tutor = Partner.create(
            {
                "name": "Marc Tuteur",
                "email": "marc.tuteur@example.com",
                "bde_is_tutor": True,
                "company_id": cls.lycee.id,
            }
        )
        cls.other_tutor = Partner.create(
            {
                "name": "Nina Tutrice",
                "email": "nina.tutrice@example.com",
                "bde_is_tutor": True,
                "company_id": cls.other_lycee.id,
            }
        )
        MailingList = cls.env["mailing.list"]
        MailingList._bde_sync_mailing_lists()
        cls.lists = MailingList._bde_get_lycee_lists(cls.lycee, ["partners", "tutors"])
        cls.other_lists = MailingList._bde_get_lycee_lists(
            cls.other_lycee, ["partners", "tutors"]
        )
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Forum des métiers",
                "body_html": "<p>Venez !</p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [(6, 0, cls.lists.ids)],
            }
        )
        cls.trace = cls.env["mailing.trace"].create(
            {
                "mass_mailing_id": cls.mailing.id,
                "model": "mailing.contact",
                "res_id": cls._contacts(cls.lycee, cls.tutor).id,
                "email": cls.tutor.email,
            }
        )
        cls.click = cls.env["link.tracker.click"].create(
            {
                "link_id": cls.env["link.tracker"]
                .create({"url": "https://example.com/forum"})
                .id,
                "mailing_trace_id": cls.trace.id,
                "mass_mailing_id": cls.mailing.id,
                "ip": "192.0.2.10",
            }
        )

    @classmethod
    def _contacts(cls, lycee, partners):
        return cls.env["mailing.contact"].search(
            [("bde_partner_id", "in", partners.ids), ("company_id", "=", lycee.id)]
        )

    def _list(self, lycee, rule):
        return self.env["mailing.list"].search(
            [("company_id", "=", lycee.id), ("bde_sync_rule", "=", rule)]
        )

    def _subscribers(self, mailing_list):
        return (
            self.env["mailing.subscription"]
            .search([("list_id", "=", mailing_list.id), ("opt_out", "=", False)])
            .contact_id.bde_partner_id
        )

    def test_one_list_per_lycee_and_kind(self):
        for lycee in (self.lycee, self.other_lycee):
            for rule in ("partners", "tutors"):
                mailing_list = self._list(lycee, rule)
                self.assertEqual(len(mailing_list), 1)
                self.assertFalse(mailing_list.is_public, "filled by the sync only")
        self.env["mailing.list"]._bde_sync_mailing_lists()
        self.assertEqual(len(self._list(self.lycee, "tutors")), 1, "made once")

    def test_sync_fills_each_lycee_list_with_its_own_people(self):
        tutors, other_tutors = (
            self._subscribers(self._list(lycee, "tutors"))
            for lycee in (self.lycee, self.other_lycee)
        )
        self.assertIn(self.tutor, tutors)
        self.assertNotIn(self.other_tutor, tutors)
        self.assertIn(self.other_tutor, other_tutors)
        self.assertNotIn(self.tutor, other_tutors)
        partners_list = self._list(self.lycee, "partners")
        self.assertIn(self.contact, self._subscribers(partners_list))
        self.assertNotIn(
            self.contact, self._subscribers(self._list(self.other_lycee, "partners"))
        )
        # Each lycée has its own contact for the people it mails.
        self.assertEqual(self._contacts(self.lycee, self.tutor).company_id, self.lycee)
        self.assertFalse(self._contacts(self.other_lycee, self.tutor))

    def test_partner_changing_lycee_status_moves_between_lists(self):
        self.company_partner.with_company(
            self.other_lycee
        ).bde_partner_status = "active"
        self.assertIn(
            self.contact, self._subscribers(self._list(self.other_lycee, "partners"))
        )
        self.company_partner.with_company(self.lycee).bde_partner_status = "former"
        self.assertNotIn(
            self.contact, self._subscribers(self._list(self.lycee, "partners"))
        )

    def test_other_lycee_reads_nothing_of_the_lists(self):
        other = self.user_other_lycee
        contacts = self._contacts(self.lycee, self.tutor | self.contact)
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "in", self.lists.ids)]
        )
        self.assertTrue(contacts and subscriptions)
        checks = [
            ("mailing.list", self.lists),
            ("mailing.contact", contacts),
            ("mailing.subscription", subscriptions),
            ("mailing.mailing", self.mailing),
            ("mailing.trace", self.trace),
            ("link.tracker.click", self.click),
        ]
        for model, records in checks:
            Model = self.env[model].with_user(other)
            self.assertFalse(Model.search([("id", "in", records.ids)]), model)
            self.assertFalse(
                Model.read_group(
                    [("id", "in", records.ids)], ["create_uid"], ["create_uid"]
                ),
                model,
            )
            with self.assertRaises(AccessError, msg=model):
                records.with_user(other).read(["display_name"])
        self.assertFalse(
            self.env["mailing.contact"].with_user(other).name_search("Marc Tuteur")
        )
        self.assertEqual(
            self.env["mailing.list"]
            .with_user(other)
            .search([("bde_sync_rule", "!=", False)]),
            self.env["mailing.list"]._bde_get_lycee_lists(self.other_lycee),
        )

    def test_own_lycee_reads_its_lists(self):
        officer = self.user_officer
        contacts = self._contacts(self.lycee, self.tutor | self.contact)
        self.assertEqual(
            self.env["mailing.contact"]
            .with_user(officer)
            .search([("id", "in", contacts.ids)]),
            contacts,
        )
        self.assertEqual(self.mailing.with_user(officer).company_id, self.lycee)
        self.assertEqual(
            self.env["mailing.trace"]
            .with_user(officer)
            .search([("mass_mailing_id", "=", self.mailing.id)]),
            self.trace,
        )
        self.assertEqual(
            self.env["link.tracker.click"]
            .with_user(officer)
            .search([("mass_mailing_id", "=", self.mailing.id)]),
            self.click,
        )
        self.assertEqual(
            self.env["mailing.list"]
            .with_user(officer)
            .search([("bde_sync_rule", "!=", False)]),
            self.env["mailing.list"]._bde_get_lycee_lists(self.lycee),
        )

    def test_other_lycee_cannot_mail_or_fill_the_lists(self):
        other = self.user_other_lycee
        mailing = (
            self.env["mailing.mailing"]
            .with_user(other)
            .create(
                {
                    "subject": "Forum Lumière",
                    "body_html": "<p>Venez !</p>",
                    "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                    "contact_list_ids": [(6, 0, self.other_lists.ids)],
                }
            )
        )
        self.assertEqual(mailing.company_id, self.other_lycee)
        with self.assertRaises(UserError):
            mailing.contact_list_ids = [(4, self.lists[0].id)]
        contact = self._contacts(self.other_lycee, self.other_tutor)
        with self.assertRaises(AccessError):
            self.env["mailing.subscription"].with_user(other).create(
                {
                    "list_id": self._list(self.lycee, "tutors").id,
                    "contact_id": contact.id,
                }
            )

    def test_event_invites_its_lycee_lists(self):
        event = self.env["event.event"].create(
            {
                "name": "Forum Lumière",
                "company_id": self.other_lycee.id,
                "event_type_id": self.env.ref(
                    "bde_lycee.event_type_tutor_reception"
                ).id,
                "date_begin": "2026-03-10 08:00:00",
                "date_end": "2026-03-10 12:00:00",
            }
        )
        action = event.with_user(self.user_other_lycee).action_bde_invite_partners()
        mailing = self.env["mailing.mailing"].browse(action["res_id"])
        self.assertEqual(
            mailing.contact_list_ids, self._list(self.other_lycee, "tutors")
        )
        self.assertEqual(mailing.company_id, self.other_lycee)


@tagged("post_install", "-at_install", "bde_lycee")
class TestMailingSubscriptionPage(HttpCase):
    def test_page_offers_the_public_lists_of_the_mailing_lycee(self):
        Company = self.env["res.company"]
        lycee = Company.create({"name": "LP Page Jaurès"})
        other_lycee = Company.create({"name": "LP Page Lumière"})
        MailingList = self.env["mailing.list"]
        own_list = MailingList.create(
            {"name": "Lettre Jaurès", "company_id": lycee.id, "is_public": True}
        )
        MailingList.create(
            {"name": "Lettre Lumière", "company_id": other_lycee.id, "is_public": True}
        )
        contact = self.env["mailing.contact"].create(
            {
                "name": "Paul Meunier",
                "email": "paul.meunier@example.com",
                "company_id": lycee.id,
            }
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Forum",
                "body_html": "<p>Venez !</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [(6, 0, own_list.ids)],
            }
        )
        url = mailing._get_unsubscribe_url(contact.email, contact.id)
        response = self.url_open(url.replace("confirm_unsubscribe", "unsubscribe"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Lettre Jaurès", response.text)
        self.assertNotIn("Lettre Lumière", response.text)
