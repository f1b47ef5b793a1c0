from odoo.tests import tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestMailingSyncSetwise(BdeLyceeCase):
    """The sync writes the difference between who qualifies and who is
    subscribed in one statement: its query count does not grow with the
    lycées (lists) nor with their people; imports batch the partner hooks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.MailingList = cls.env["mailing.list"]
        cls.tutors_list = cls.MailingList._bde_get_lycee_lists(cls.lycee, ["tutors"])
        cls.other_tutors_list = cls.MailingList._bde_get_lycee_lists(
            cls.other_lycee, ["tutors"]
        )

    def _subscribers(self, mailing_list):
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "=", mailing_list.id), ("opt_out", "=", False)]
        )
        return subscriptions.contact_id.bde_partner_id

    def _make_tutors(self, lycees, count):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Tuteur {lycee.id} {i}",
                    "email": f"tuteur.{lycee.id}.{i}@setwise.example.com",
                    "bde_is_tutor": True,
                    "company_id": lycee.id,
                }
                for lycee in lycees
                for i in range(count)
            ]
        )

    def _count_sync_queries(self, scale):
        """Queries of the first fill and of the steady state of a network
        grown by ``scale`` lycées of ``4 × scale`` tutors each."""
        lycees = self.env["res.company"].create(
            [{"name": f"LP Setwise {scale} {i}"} for i in range(scale)]
        )
        tutors = self._make_tutors(lycees, 4 * scale)
        self.MailingList._bde_sync_mailing_lists()
        # Forget every synced contact: the sync fills the lists from nothing.
        self.env.flush_all()
        self.cr.execute("DELETE FROM mailing_contact WHERE bde_partner_id IS NOT NULL")
        counts = []
        for _run in ("first fill", "steady state"):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.MailingList._bde_sync_mailing_lists()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        lists = self.MailingList._bde_get_lycee_lists(lycees, ["tutors"])
        for mailing_list in lists:
            self.assertEqual(
                self._subscribers(mailing_list),
                tutors.filtered(
                    lambda t, lst=mailing_list: t.company_id == lst.company_id
                ),
                "each lycée's list holds its own tutors, and only them",
            )
        return counts

    def test_query_count_does_not_grow_with_lists_nor_people(self):
        self.assertEqual(self._count_sync_queries(1), self._count_sync_queries(5))

    def test_partner_hook_query_count_does_not_grow_with_lists(self):
        tutor = self._make_tutors(self.lycee, 1)
        counts = []
        for scale in (1, 5):
            self.env["res.company"].create(
                [{"name": f"LP Hook {scale} {i}"} for i in range(scale)]
            )
            self.MailingList._bde_get_lycee_lists(self.env["res.company"].search([]))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            tutor.email = f"hook.{scale}@setwise.example.com"
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        contact = self.env["mailing.contact"].search(
            [("bde_partner_id", "=", tutor.id), ("company_id", "=", self.lycee.id)]
        )
        self.assertEqual(contact.email, "hook.5@setwise.example.com")
        self.assertEqual(contact.email_normalized, "hook.5@setwise.example.com")

    def test_batch_mode_syncs_once_at_the_end(self):
        Partner = self.env["res.partner"].with_context(bde_mailing_sync_batch=True)
        tutors = self.env["res.partner"]
        before = self.cr.sql_log_count
        for i in range(5):
            tutors |= Partner.create(
                {
                    "name": f"Tuteur importé {i}",
                    "email": f"import.{i}@setwise.example.com",
                    "bde_is_tutor": True,
                    "company_id": self.lycee.id,
                }
            )
        self.assertFalse(self._subscribers(self.tutors_list) & tutors)
        self.env["res.partner"]._bde_sync_pending_mailing_lists()
        self.assertEqual(self._subscribers(self.tutors_list) & tutors, tutors)
        self.assertFalse(self._subscribers(self.other_tutors_list) & tutors)
        self.assertLess(self.cr.sql_log_count - before, 5 * 20)

    def test_batch_mode_skips_nothing_before_commit(self):
        """A partner leaving a list in batch mode leaves it before the
        transaction commits, even when the caller never asks for the sync."""
        tutor = self._make_tutors(self.lycee, 1)
        self.assertIn(tutor, self._subscribers(self.tutors_list))
        tutor.with_context(bde_mailing_sync_batch=True).bde_is_tutor = False
        self.assertIn(tutor, self._subscribers(self.tutors_list))
        # What a commit runs first: the ORM's flush and the precommit hooks.
        self.env.cr.flush()
        self.assertNotIn(tutor, self._subscribers(self.tutors_list))

    def test_opted_out_tutor_is_never_put_back(self):
        tutor = self._make_tutors(self.lycee, 1)
        subscription = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.tutors_list.id),
                ("contact_id.bde_partner_id", "=", tutor.id),
            ]
        )
        subscription.opt_out = True
        tutor.bde_is_tutor = False
        tutor.bde_is_tutor = True
        self.MailingList._bde_sync_mailing_lists()
        subscriptions = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.tutors_list.id),
                ("contact_id.bde_partner_id", "=", tutor.id),
            ]
        )
        self.assertEqual(subscriptions, subscription)
        self.assertTrue(subscription.opt_out)

    def test_renamed_tutor_renames_their_contact(self):
        tutor = self._make_tutors(self.lycee, 1)
        tutor.name = "Tuteur Renommé"
        contacts = self.env["mailing.contact"].search(
            [("bde_partner_id", "=", tutor.id)]
        )
        self.assertEqual(contacts.company_id, self.lycee)
        self.assertEqual(contacts.mapped("name"), ["Tuteur Renommé"])
