"""The signing core on partnership conventions: a request per document with
a signer per role and its field at the report's anchor, the head of school's
inbox (activity, "To sign", several documents signed at once, all or
nothing), one party on paper, the signed PDF and the certificate attached
after the last signature, reminders, who signs for the lycée."""

import io
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools.pdf import PdfFileReader

from odoo.addons.bde_lycee.sign_anchor import field_at, find_anchors

from .sign_common import SignCase, signature_png


class TestSignSend(SignCase):
    def test_request_with_a_signer_per_role_and_fields_at_the_anchors(self):
        convention = self._convention()
        request = self._send(convention)

        self.assertEqual(request.state, "0_sent")
        self.assertEqual(request.record_ref, convention)
        self.assertEqual(request.company_id, self.lycee)
        self.assertEqual(
            [(s.role_id, s.partner_id) for s in request.signer_ids.sorted("id")],
            [
                (self.role_head, self.user_manager.partner_id),
                (self.role_partner, self.signatory),
            ],
        )
        # Each field stands at its role's anchor in the real PDF: the
        # convention's layout has both, no page "Signatures" was added.
        anchors = find_anchors(request._bde_signed_pdf())
        self.assertTrue({"head", "partner"} <= set(anchors))
        items = sorted(request.signatory_data.values(), key=lambda i: i["id"])
        for item, code in zip(items, ("head", "partner"), strict=True):
            box = field_at(anchors[code])
            self.assertEqual(item["field_type"], "signature")
            self.assertTrue(item["required"])
            self.assertEqual(
                {k: item[k] for k in box}, box, f"the {code}'s field at its anchor"
            )
        # The partner's representative got their link by e-mail.
        partner_signer = self._signer(convention, self.role_partner)
        message = self.env["mail.message"].search(
            [("partner_ids", "in", self.signatory.ids)], order="id desc", limit=1
        )
        self.assertIn(partner_signer.access_url, message.body)
        # The head of school's inbox: an activity and the "To sign" filter.
        activity = convention.activity_ids.filtered(
            lambda a: a.activity_type_id == self.sign_type
        )
        self.assertEqual(activity.user_id, self.user_manager)
        as_head = self.Convention.with_user(self.user_manager)
        self.assertIn(convention, as_head.search([("bde_to_sign_by_me", "=", True)]))
        self.assertTrue(convention.with_user(self.user_manager).bde_to_sign_by_me)
        self.assertFalse(convention.with_user(self.user_officer).bde_to_sign_by_me)
        self.assertNotIn(
            convention,
            self.Convention.with_user(self.user_officer).search(
                [("bde_to_sign_by_me", "=", True)]
            ),
        )

    def test_fallback_page_when_a_role_has_no_anchor(self):
        convention = self._convention()
        pdf = convention._bde_sign_render_pdf()
        pages = len(PdfFileReader(io.BytesIO(pdf)).pages)
        # A role the layout has no anchor for (a change of layout).
        self.role_partner.bde_code = "witness"
        placed, boxes = convention._bde_sign_place_fields(
            pdf, self.role_head | self.role_partner
        )
        self.assertEqual(boxes[self.role_head], field_at(find_anchors(pdf)["head"]))
        self.assertEqual(boxes[self.role_partner]["page"], pages + 1)
        self.assertEqual(len(PdfFileReader(io.BytesIO(placed)).pages), pages + 1)

    def test_only_the_bde_manager_sends(self):
        convention = self._convention()
        with self.assertRaises(AccessError):
            convention.with_user(self.user_teacher).action_bde_send_for_signature()
        self.assertFalse(convention.sign_request_id)

    def test_sent_once_then_cancelled_and_sent_again(self):
        convention = self._convention()
        pdf = convention._bde_sign_render_pdf()
        with self._rendered_once(pdf):
            first = self._send(convention)
            with self.assertRaisesRegex(UserError, "already sent"):
                self._send(convention)
            convention.with_user(self.user_officer).action_bde_cancel_signature()
            self.assertEqual(first.state, "3_cancel")
            self.assertFalse(
                convention.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.sign_type
                )
            )
            self.assertFalse(convention.with_user(self.user_manager).bde_to_sign_by_me)
            second = self._send(convention)
        self.assertNotEqual(first, second)
        self.assertEqual(convention.sign_request_id, second)

    def test_signatory_without_email_is_named(self):
        self.signatory.email = False
        convention = self._convention()
        with self.assertRaisesRegex(UserError, "Paul Fournier"):
            self._send(convention)


class TestSignInbox(SignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pdf = cls._convention()._bde_sign_render_pdf()

    def _open_wizard(self, conventions, user):
        action = conventions.with_user(user).action_bde_sign()
        return (
            self.env["bde.sign.wizard"]
            .with_user(user)
            .with_context(action["context"])
            .create({"signature": signature_png()})
        )

    def test_head_signs_three_conventions_in_one_action(self):
        conventions = self._convention() | self._convention() | self._convention()
        with self._rendered_once(self.pdf):
            self._send(conventions)
        for convention in conventions:
            self._sign_as_partner(convention)
        wizard = self._open_wizard(conventions, self.user_manager)
        self.assertEqual(len(wizard.document_names.splitlines()), 3)
        wizard.action_sign()

        for convention in conventions:
            request = convention.sign_request_id
            head = self._signer(convention, self.role_head)
            self.assertEqual(request.state, "2_signed")
            self.assertTrue(head.signed_on)
            # The hooks: the convention's dates and state follow the request.
            self.assertEqual(convention.date_signed_lycee, head._bde_signed_day())
            self.assertIn(convention.state, ("signed", "active"))
            # The activity is done; the signed PDF and the certificate are
            # attached and posted.
            self.assertFalse(
                convention.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.sign_type
                )
            )
            attachments = self.env["ir.attachment"].search(
                [("res_model", "=", convention._name), ("res_id", "=", convention.id)]
            )
            signed = attachments.filtered(lambda a: a.name.endswith("signed.pdf"))
            certificate = attachments.filtered(lambda a: "certificate" in a.name)
            self.assertEqual(signed.raw, request._bde_signed_pdf())
            self.assertNotEqual(signed.raw, self.pdf)
            self.assertTrue(certificate.raw.startswith(b"%PDF"))
            self.assertEqual(
                convention.message_ids.attachment_ids & (signed | certificate),
                signed | certificate,
            )

    def test_not_a_signer_is_refused(self):
        convention = self._convention()
        with self._rendered_once(self.pdf):
            self._send(convention)
        with self.assertRaisesRegex(UserError, "waits for your signature"):
            convention.with_user(self.user_officer).action_bde_sign()
        # Nor through the wizard made by hand (RPC).
        wizard = (
            self.env["bde.sign.wizard"]
            .with_user(self.user_officer)
            .create(
                {
                    "res_model": convention._name,
                    "res_ids": convention.ids,
                    "signature": signature_png(),
                }
            )
        )
        with self.assertRaisesRegex(UserError, "does not wait for your signature"):
            wizard.action_sign()
        self.assertFalse(self._signer(convention, self.role_head).signed_on)

    def test_all_or_nothing(self):
        first, second = self._convention(), self._convention()
        with self._rendered_once(self.pdf):
            self._send(first | second)
        wizard = self._open_wizard(first | second, self.user_manager)
        # The second request is cancelled while the head signs.
        second.with_user(self.user_officer).action_bde_cancel_signature()
        # Odoo's assertRaises rolls back to a savepoint, as the failed RPC
        # call rolls back its transaction: the first document's signature,
        # made before, goes with it.
        with self.assertRaises(UserError) as caught:
            wizard.action_sign()
        self.assertIn(second.name, str(caught.exception))
        self.assertFalse(self._signer(first, self.role_head).signed_on)
        self.assertFalse(first.date_signed_lycee)
        self.assertTrue(first.with_user(self.user_manager).bde_to_sign_by_me)

    def test_one_party_on_paper_the_other_online(self):
        convention = self._convention()
        with self._rendered_once(self.pdf):
            self._send(convention)
        partner_signer = self._signer(convention, self.role_partner)
        day = fields.Date.today() - timedelta(days=2)
        with self.assertRaises(AccessError):
            self.env["bde.sign.paper.wizard"].with_user(self.user_teacher).with_context(
                default_signer_id=partner_signer.id
            ).create({"scan": b"JVBERi0x", "scan_filename": "x.pdf"})
        wizard_model = self.env["bde.sign.paper.wizard"].with_user(self.user_officer)
        action = partner_signer.action_bde_open_paper_wizard()
        wizard = wizard_model.with_context(action["context"]).create(
            {
                "date_signed": day,
                "scan": b"JVBERi0xLjQK",
                "scan_filename": "signature-partenaire.pdf",
            }
        )
        wizard.action_confirm()

        self.assertTrue(partner_signer.bde_signed_on_paper)
        self.assertEqual(partner_signer._bde_signed_day(), day)
        self.assertEqual(convention.date_signed_partner, day)
        scan = self.env["ir.attachment"].search(
            [
                ("res_model", "=", convention._name),
                ("res_id", "=", convention.id),
                ("name", "=", "signature-partenaire.pdf"),
            ]
        )
        self.assertEqual(len(scan), 1)
        self.assertEqual(convention.sign_request_state, "0_sent")
        # Twice is refused: the party signed.
        wizard = wizard_model.create(
            {
                "signer_id": partner_signer.id,
                "scan": b"JVBERi0x",
                "scan_filename": "x.pdf",
            }
        )
        with self.assertRaisesRegex(UserError, "nothing left to sign"):
            wizard.action_confirm()
        # The head signs online: the request is complete.
        self._open_wizard(convention, self.user_manager).action_sign()
        self.assertEqual(convention.sign_request_state, "2_signed")
        self.assertIn(convention.state, ("signed", "active"))


class TestSignReminder(SignCase):
    def test_reminder_once_per_period(self):
        convention = self._convention()
        self._send(convention)
        request = convention.sign_request_id
        self._sign_as_partner(convention)
        template = self.env.ref("bde_lycee.mail_template_bde_sign_reminder")
        Mail = self.env["mail.mail"]

        def reminders():
            return Mail.search(
                [
                    ("model", "=", "sign.oca.request.signer"),
                    ("res_id", "in", request.signer_ids.ids),
                ]
            )

        Signer = self.env["sign.oca.request.signer"]
        Signer._cron_bde_sign_reminder()
        self.assertFalse(reminders(), "not before the lycée's days")
        request.bde_sent_on = fields.Datetime.now() - timedelta(days=8)
        Signer._cron_bde_sign_reminder()
        Signer._cron_bde_sign_reminder()
        mails = reminders()
        head = self._signer(convention, self.role_head)
        # Only the head has not signed: one reminder, with their link.
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.res_id, head.id)
        self.assertEqual(mails.recipient_ids, self.user_manager.partner_id)
        self.assertIn(head.access_url, mails.body_html)
        self.assertIn("attend toujours votre signature", mails.body_html)
        self.assertEqual(head.bde_last_reminder_date, fields.Date.today())
        self.assertTrue(template)
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            Signer._cron_bde_sign_reminder()
        self.assertEqual(len(reminders()), 2, "again after the lycée's days")


class TestLyceeSignatories(SignCase):
    def test_head_of_school_or_ddfpt_by_delegation(self):
        ddfpt = new_test_user(
            self.env,
            login="bde_ddfpt",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=self.lycee.id,
            company_ids=[self.lycee.id],
        )
        self.lycee.bde_ddfpt_user_id = ddfpt
        self.assertEqual(self.lycee._bde_school_signatory(), self.user_manager)
        self.assertEqual(
            self.lycee._bde_school_signatory(delegable=True), self.user_manager
        )
        self.lycee.bde_sign_by_ddfpt = True
        self.assertEqual(self.lycee._bde_school_signatory(delegable=True), ddfpt)
        self.assertEqual(self.lycee._bde_school_signatory(), self.user_manager)
        self.assertEqual(self.lycee._bde_head_of_school_name(), self.user_manager.name)

    def test_no_head_of_school_is_named(self):
        self.other_lycee.bde_head_of_school = "Mme Test, proviseure"
        self.assertEqual(
            self.other_lycee._bde_head_of_school_name(), "Mme Test, proviseure"
        )
        with self.assertRaisesRegex(UserError, self.other_lycee.name):
            self.other_lycee._bde_school_signatory()

    def test_signatories_are_heads_of_school(self):
        with self.assertRaises(ValidationError):
            self.lycee.bde_head_of_school_user_id = self.user_officer
        with self.assertRaises(ValidationError):
            self.lycee.bde_ddfpt_user_id = self.user_teacher
