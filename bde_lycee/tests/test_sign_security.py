"""sign_oca's records of a lycée stay in it: requests, signers and logs read
by its staff only, never by another lycée's staff nor by the network reader;
nobody of the BDE alters a signature through sign_oca's models."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .sign_common import SignCase, signature_png


class TestSignSecurity(SignCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other_manager = new_test_user(
            cls.env,
            login="bde_other_head",
            groups="base.group_user,bde_lycee.group_bde_manager",
            company_id=cls.other_lycee.id,
            company_ids=[cls.other_lycee.id],
        )
        cls.user_reader.company_ids = cls.lycee | cls.other_lycee
        convention = cls._convention()
        convention.with_user(cls.user_officer).action_bde_send_for_signature()
        cls.convention = convention
        cls.request = convention.sign_request_id
        cls.signers = cls.request.signer_ids
        cls.logs = cls.env["sign.oca.request.log"].search(
            [("request_id", "=", cls.request.id)]
        )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_own_lycee_staff_read_requests_signers_logs(self):
        for user in (self.user_teacher, self.user_officer, self.user_manager):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._visible(user, "sign.oca.request", self.request), self.request
                )
                self.assertEqual(
                    self._visible(user, "sign.oca.request.signer", self.signers),
                    self.signers,
                )
        self.assertTrue(self.logs)
        self.assertEqual(
            self._visible(self.user_officer, "sign.oca.request.log", self.logs),
            self.logs,
        )

    def test_other_lycee_and_network_reader_read_nothing(self):
        for user in (self.user_other_lycee, self.user_other_manager, self.user_reader):
            with self.subTest(user=user.login):
                self.assertFalse(self._visible(user, "sign.oca.request", self.request))
                self.assertFalse(
                    self._visible(user, "sign.oca.request.signer", self.signers)
                )
                with self.assertRaises(AccessError):
                    self.request.with_user(user).read(["name", "data"])
                with self.assertRaises(AccessError):
                    self.signers.with_user(user).read(["partner_id"])
        self.assertFalse(
            self._visible(self.user_other_lycee, "sign.oca.request.log", self.logs)
        )
        with self.assertRaises(AccessError):
            self.logs.with_user(self.user_other_lycee).read(["ip"])

    def test_nobody_writes_a_signature_through_sign_oca(self):
        head = self._signer(self.convention, self.role_head)
        for user in (self.user_officer, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                head.with_user(user).write({"signed_on": "2025-09-01 10:00:00"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.request.with_user(user).write({"state": "2_signed"})

    def test_other_lycee_cannot_sign_or_record_paper(self):
        partner_signer = self._signer(self.convention, self.role_partner)
        with self.assertRaises(AccessError):
            self.env["bde.sign.paper.wizard"].with_user(self.user_other_lycee).create(
                {
                    "signer_id": partner_signer.id,
                    "scan": b"JVBERi0x",
                    "scan_filename": "x.pdf",
                }
            )
        sign = (
            self.env["bde.sign.wizard"]
            .with_user(self.user_other_manager)
            .create(
                {
                    "res_model": self.convention._name,
                    "res_ids": self.convention.ids,
                    "signature": signature_png(),
                }
            )
        )
        with self.assertRaises(AccessError):
            sign.action_sign()
        self.assertFalse(self.signers.filtered("signed_on"))

    def test_to_sign_filter_is_the_users_own(self):
        Convention = self.env["bde.partnership.convention"]
        self.assertEqual(
            Convention.with_user(self.user_manager).search(
                [("bde_to_sign_by_me", "=", True)]
            ),
            self.convention,
        )
        self.assertFalse(
            Convention.with_user(self.user_other_manager).search(
                [("bde_to_sign_by_me", "=", True)]
            )
        )
        self.assertNotIn(
            self.convention,
            Convention.with_user(self.user_manager).search(
                [("bde_to_sign_by_me", "=", False)]
            ),
        )
