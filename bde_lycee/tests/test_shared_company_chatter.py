from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import BdeLyceeCase


@tagged("post_install", "-at_install", "bde_lycee")
class TestSharedCompanyChatter(BdeLyceeCase):
    """A company is shared by the lycées of the network; what one lycée writes
    on its chatter about its students stays with that lycée."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.note = cls._post(
            cls.user_officer, "Léa Martin était souvent en retard.", "mail.mt_note"
        )
        cls.other_note = cls._post(
            cls.user_other_lycee, "Noah Roux a quitté le stage.", "mail.mt_note"
        )

    @classmethod
    def _post(cls, user, body, subtype_xmlid="mail.mt_comment"):
        return cls.company_partner.with_user(user).message_post(
            body=body, message_type="comment", subtype_xmlid=subtype_xmlid
        )

    def _messages(self, user):
        return (
            self.env["mail.message"]
            .with_user(user)
            .search(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.company_partner.id),
                ]
            )
        )

    def test_note_belongs_to_its_author_lycee(self):
        self.assertFalse(self.company_partner.company_id, "a shared company")
        self.assertEqual(self.note.bde_company_id, self.lycee)
        self.assertEqual(self.other_note.bde_company_id, self.other_lycee)

    def test_other_lycee_does_not_read_the_note(self):
        other = self.user_other_lycee
        self.assertNotIn(self.note, self._messages(other))
        self.assertIn(self.other_note, self._messages(other))
        with self.assertRaises(AccessError):
            self.note.with_user(other).read(["body"])
        with self.assertRaises(AccessError):
            self.note.with_user(other).write({"body": "Rien à signaler."})
        with self.assertRaises(AccessError):
            self.note.with_user(other).unlink()
        self.assertNotIn(self.note, self.company_partner.with_user(other).message_ids)
        groups = (
            self.env["mail.message"]
            .with_user(other)
            .read_group(
                [
                    ("res_id", "=", self.company_partner.id),
                    ("model", "=", "res.partner"),
                ],
                ["bde_company_id"],
                ["bde_company_id"],
            )
        )
        self.assertEqual(
            [group["bde_company_id"][0] for group in groups if group["bde_company_id"]],
            [self.other_lycee.id],
        )
        # The chatter loads its messages through _message_fetch.
        fetched = (
            self.env["mail.message"]
            .with_user(other)
            ._message_fetch(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.company_partner.id),
                ]
            )["messages"]
        )
        self.assertNotIn(self.note, fetched)
        self.assertIn(self.other_note, fetched)

    def test_search_through_the_chatter_finds_no_other_lycee_note(self):
        Partner = self.env["res.partner"]
        for field in ("message_ids", "website_message_ids"):
            domain = [(f"{field}.body", "ilike", "souvent en retard")]
            self.assertFalse(
                Partner.with_user(self.user_other_lycee).search(domain), field
            )
            self.assertEqual(
                Partner.with_user(self.user_officer).search(domain),
                self.company_partner,
                field,
            )

    def test_network_reader_reads_no_lycee_note(self):
        reader = new_test_user(
            self.env,
            login="bde_reader_both",
            groups="base.group_user,bde_lycee.group_bde_network_reader",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id, self.other_lycee.id],
        )
        messages = self._messages(reader)
        self.assertNotIn(self.note, messages)
        self.assertNotIn(self.other_note, messages)
        with self.assertRaises(AccessError):
            self.note.with_user(reader).read(["body"])
        # The head of school, also a network reader, reads their lycée's notes.
        self.user_manager.groups_id |= self.env.ref(
            "bde_lycee.group_bde_network_reader"
        )
        self.assertIn(self.note, self._messages(self.user_manager))

    def test_own_lycee_reads_the_note(self):
        for user in (self.user_officer, self.user_teacher, self.user_manager):
            messages = self._messages(user)
            self.assertIn(self.note, messages, user.login)
            self.assertNotIn(self.other_note, messages, user.login)
        self.assertIn("souvent en retard", self.note.with_user(self.user_teacher).body)

    def test_message_to_the_company_belongs_to_the_lycee_too(self):
        message = self._post(self.user_officer, "Léa commence lundi.")
        self.assertEqual(message.bde_company_id, self.lycee)
        self.assertNotIn(message, self._messages(self.user_other_lycee))

    def test_other_lycee_followers_are_not_notified(self):
        users = self.user_teacher | self.user_other_lycee
        users.notification_type = "inbox"
        followers = users.partner_id
        self.company_partner.message_subscribe(partner_ids=followers.ids)
        message = self.company_partner.with_user(self.user_officer).message_post(
            body="Léa commence lundi.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            # Naming a user of the other lycée does not reach them either.
            partner_ids=self.user_other_lycee.partner_id.ids,
        )
        notified = message.sudo().notification_ids.res_partner_id
        self.assertIn(self.user_teacher.partner_id, notified)
        self.assertNotIn(self.user_other_lycee.partner_id, notified)
        # A message every lycée reads reaches every follower.
        shared = self.company_partner.message_post(
            body="Nouvelle adresse.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(
            self.user_other_lycee.partner_id,
            shared.sudo().notification_ids.res_partner_id,
        )

    def test_other_lycee_does_not_read_the_note_files(self):
        note = self.company_partner.with_user(self.user_officer).message_post(
            body="Bilan du stage de Léa.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[("bilan_lea_martin.txt", b"Lea Martin: absences")],
        )
        attachment = note.attachment_ids
        self.assertEqual(attachment.bde_company_id, self.lycee)
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", self.company_partner.id),
        ]
        Attachment = self.env["ir.attachment"]
        self.assertNotIn(
            attachment, Attachment.with_user(self.user_other_lycee).search(domain)
        )
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_other_lycee).read(["raw"])
        self.assertIn(
            attachment, Attachment.with_user(self.user_teacher).search(domain)
        )
        self.assertEqual(
            attachment.with_user(self.user_teacher).raw, b"Lea Martin: absences"
        )
        # Nobody moves the file out of its lycée.
        attachment.with_user(self.user_officer).write({"bde_company_id": False})
        self.assertEqual(attachment.bde_company_id, self.lycee)

    def test_activity_feedback_belongs_to_the_lycee(self):
        activity = self.company_partner.with_user(self.user_officer).activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Appeler au sujet de Léa",
            user_id=self.user_officer.id,
        )
        activity.with_user(self.user_officer).action_feedback(
            feedback="Léa Martin reprend son stage lundi."
        )
        message = self.company_partner.message_ids.filtered(
            lambda message: "reprend son stage" in str(message.body)
        )
        self.assertEqual(message.bde_company_id, self.lycee)
        self.assertNotIn(message, self._messages(self.user_other_lycee))
        self.assertIn(message, self._messages(self.user_teacher))

    def test_reply_follows_the_lycee_of_its_parent(self):
        reply = self.company_partner.message_post(
            body="Bien noté pour Léa.",
            message_type="email",
            parent_id=self.note.id,
        )
        self.assertEqual(reply.bde_company_id, self.lycee)
        self.assertNotIn(reply, self._messages(self.user_other_lycee))

    def test_system_and_tracking_messages_stay_shared(self):
        system = self.company_partner.message_post(
            body="Fusion de deux fiches.", message_type="comment"
        )
        tracking = self.company_partner.with_user(self.user_officer)._message_log(
            body="SIRET corrigé.", message_type="notification"
        )
        for message in (system, tracking):
            self.assertFalse(message.bde_company_id)
            self.assertIn(message, self._messages(self.user_other_lycee))
            self.assertIn(message, self._messages(self.user_officer))

    def test_lycee_partner_messages_are_not_stamped(self):
        # A lycée's own partner is hidden from the other lycées already.
        message = self.student.with_user(self.user_officer).message_post(
            body="Rendez-vous avec la famille.", message_type="comment"
        )
        self.assertFalse(message.bde_company_id)

    def test_client_cannot_choose_the_lycee(self):
        self.note.with_user(self.user_officer).write({"bde_company_id": False})
        self.assertEqual(self.note.bde_company_id, self.lycee)
        message = (
            self.env["mail.message"]
            .with_user(self.user_officer)
            .create(
                {
                    "model": "res.partner",
                    "res_id": self.company_partner.id,
                    "body": "Léa Martin, absente.",
                    "message_type": "comment",
                    "bde_company_id": False,
                }
            )
        )
        self.assertEqual(message.bde_company_id, self.lycee)
