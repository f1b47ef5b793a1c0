"""An external signer signs through sign_oca's token link, as the public
user: the document hears of it; a wrong token signs nothing."""

import json

from odoo.tests import HttpCase

from .sign_common import SignCase, signature_png


class TestSignThroughLink(HttpCase, SignCase):
    def _post_sign(self, signer, token, items):
        response = self.url_open(
            f"/sign_oca/sign/{signer.id}/{token}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"items": items},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_partner_signs_through_link_and_convention_follows(self):
        convention = self._convention()
        self._send(convention)
        signer = self._signer(convention, self.role_partner)
        items = self._items(signer, signature_png().decode())

        # The page and the PDF open with the link, not without.
        page = self.url_open(signer.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("sign_oca", page.text)
        pdf = self.url_open(f"/sign_oca/content/{signer.id}/{signer.access_token}")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

        self._post_sign(signer, "not-the-token", items)
        signer.invalidate_recordset()
        self.assertFalse(signer.signed_on, "a wrong token signs nothing")

        result = self._post_sign(signer, signer.access_token, items)
        self.assertNotIn("error", result)
        signer.invalidate_recordset()
        convention.invalidate_recordset()
        self.assertTrue(signer.signed_on)
        # The hook: the convention's date of the partner's signature.
        self.assertEqual(convention.date_signed_partner, signer._bde_signed_day())
        log = self.env["sign.oca.request.log"].search(
            [("signer_id", "=", signer.id), ("action", "=", "sign")]
        )
        self.assertEqual(log.access_token, signer.access_token)
        self.assertTrue(log.ip)
        # The head has still to sign: the request stays sent.
        self.assertEqual(convention.sign_request_state, "0_sent")
        self.assertTrue(convention.with_user(self.user_manager).bde_to_sign_by_me)

        # Signing twice through the link is refused.
        result = self._post_sign(signer, signer.access_token, items)
        self.assertIn("error", result)
