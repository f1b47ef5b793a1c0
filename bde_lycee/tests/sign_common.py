"""Documents to sign for the tests of the signing core: partnership
conventions of two lycées (the first model using bde.sign.mixin), their
head of school in the backend and the partner's representative outside."""

import base64
import io
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from PIL import Image

from .common import BdeLyceeCase
from .test_partnership_convention import CLAUSES


def signature_png():
    """A drawn signature as the signature pad sends it (base64 PNG)."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "navy").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


def sign_by_link(case, signer):
    """``signer`` signs through their own link, as the public user: the
    JSON-RPC route of sign_oca's signing page, their fields drawn."""
    value = "data:image/png;base64," + signature_png().decode()
    items = {
        key: dict(item, value=value) if item["role_id"] == signer.role_id.id else item
        for key, item in signer.request_id.signatory_data.items()
    }
    case.make_jsonrpc_request(
        f"/sign_oca/sign/{signer.id}/{signer.access_token}", {"items": items}
    )
    # The server signed in its own environment: read again what it wrote.
    case.env.invalidate_all()


class SignCase(BdeLyceeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.partner_id.email = "proviseur@lp-jaures.test"
        cls.lycee.write(
            {"bde_head_of_school_user_id": cls.user_manager.id, "city": "Lyon"}
        )
        cls.template = cls.env["bde.partnership.convention.template"].create(
            {"name": "Modèle de test", "kind": "company", **CLAUSES}
        )
        cls.signatory = cls.env["res.partner"].create(
            {
                "name": "Paul Fournier",
                "email": "paul.fournier@boulangerie.test",
                "parent_id": cls.company_partner.id,
            }
        )
        cls.Convention = cls.env["bde.partnership.convention"]
        cls.role_head = cls.env.ref("bde_lycee.sign_role_head")
        cls.role_partner = cls.env.ref("bde_lycee.sign_role_partner")
        cls.sign_type = cls.env.ref("bde_lycee.mail_activity_type_bde_sign")

    @classmethod
    def _convention(cls, lycee=None, **vals):
        convention = cls.Convention.create(
            {
                "partner_id": cls.company_partner.id,
                "partner_contact_id": cls.signatory.id,
                "signatory_lycee_id": cls.user_manager.id,
                "company_id": (lycee or cls.lycee).id,
                "template_id": cls.template.id,
                "formation_ids": [cls.formation.id],
                "date_start": date(2025, 9, 1),
                "date_end": date(2028, 8, 31),
                **vals,
            }
        )
        convention.action_to_negotiation()
        return convention

    @contextmanager
    def _rendered_once(self, pdf):
        """Send documents on one PDF rendered beforehand: each rendering by
        wkhtmltopdf takes a second."""
        model = self.registry["bde.partnership.convention"]
        with patch.object(model, "_bde_sign_render_pdf", lambda self: pdf):
            yield

    def _send(self, conventions):
        conventions.with_user(self.user_officer).action_bde_send_for_signature()
        return conventions.sign_request_id

    @staticmethod
    def _signer(convention, role):
        return convention.sign_request_id.signer_ids.filtered(
            lambda s: s.role_id == role
        )

    @staticmethod
    def _items(signer, value):
        """The request's fields, the signer's own filled with ``value``."""
        return {
            key: dict(item, value=value)
            if item["role_id"] == signer.role_id.id
            else item
            for key, item in signer.request_id.signatory_data.items()
        }

    def _sign_as_partner(self, convention):
        signer = self._signer(convention, self.role_partner).sudo()
        signer.action_sign(
            self._items(signer, signature_png().decode()),
            access_token=signer.access_token,
        )
        return signer
