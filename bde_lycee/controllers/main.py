import logging
import re
import secrets
import time
from datetime import datetime

from stdnum.fr import siret as stdnum_siret

from odoo import Command, fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import consteq, hmac

from odoo.addons.bde_lycee.models.crm_lead import PARTNERSHIP_KINDS

_logger = logging.getLogger(__name__)

# A person needs some seconds to read and fill the form; robots post at once.
# The delay can be lowered (tests) or raised through this system parameter.
CONTACT_MIN_SECONDS_PARAM = "bde_lycee.contact_min_seconds"
CONTACT_MIN_SECONDS = 5
# A page left open for more than a day is stale: its token is not accepted.
CONTACT_MAX_SECONDS = 24 * 3600
CONTACT_HMAC_SCOPE = "bde-contact"
CONTACT_REQUIRED_FIELDS = ("company_name", "contact_name", "email")
# Never shown: a person leaves it empty, a form-filling robot does not.
CONTACT_HONEYPOT_FIELD = "company_website"
# What a person types in each field, with room to spare; a longer text is a
# robot's or an attack's, refused with a message rather than stored.
CONTACT_MAX_LENGTHS = {
    "company_name": 128,
    "contact_name": 128,
    "email": 254,  # RFC 5321's longest path
    "phone": 32,
    "siret": 20,  # 14 digits, with the spaces people type
    "message": 5000,
}
# PostgreSQL refuses NUL in text; the other control characters only hide
# text. Line breaks and tabs stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# An id of a record chosen in the form: ASCII digits, short enough for int().
RECORD_ID = re.compile(r"[0-9]{1,9}")
# How many public forms of the BDE (contact, alumni page) one network address
# and one e-mail address may send within an hour: enough for a person who
# corrects a mistake, too few for a flood. System parameters change them.
FORM_LIMIT_PARAMS = {
    "client": ("bde_lycee.form_max_per_client_hour", 10),
    "email": ("bde_lycee.form_max_per_email_hour", 3),
}
FORM_LIMIT_HMAC_SCOPE = "bde-form-limit"


class BdeWebsite(http.Controller):
    @http.route(
        "/bde", type="http", auth="public", website=True, sitemap=True, readonly=True
    )
    def bde_page(self, **kwargs):
        return request.render("bde_lycee.bde_page", self._bde_page_values())

    @http.route(
        "/bde/contact",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def bde_contact(self, **post):
        if post.get(CONTACT_HONEYPOT_FIELD):
            # Answer as if all went well: a robot learns nothing.
            return request.redirect("/bde/thank-you")
        values = self._bde_contact_values(post)
        token = post.get("form_token")
        errors = self._bde_contact_errors(values, token)
        if not errors:
            refusal = self._bde_submission_refusal(token, values["email"])
            errors = {"form": refusal} if refusal else {}
        if errors:
            return request.render(
                "bde_lycee.bde_page",
                self._bde_page_values(
                    contact=self._bde_truncated(values, CONTACT_MAX_LENGTHS),
                    errors=errors,
                ),
            )
        self._bde_create_lead(values)
        return request.redirect("/bde/thank-you")

    @http.route(
        "/bde/thank-you",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def bde_contact_thanks(self, **kwargs):
        return request.render("bde_lycee.bde_contact_thanks", self._bde_page_values())

    # Page values

    def _bde_page_values(self, contact=None, errors=None):
        # sudo: the BDE's details (manager's name, place, hours, phone, e-mail)
        # are made public on purpose, as the circular asks; the public user may
        # read neither the users nor the formations. Only these public fields
        # are shown by the templates.
        company_sudo = request.website.company_id.sudo()
        return {
            "company_sudo": company_sudo,
            "formations_sudo": self._bde_formations_sudo(company_sudo),
            "formation_levels": dict(self._bde_selection("bde.formation", "level")),
            "partnership_kinds": self._bde_selection(
                "crm.lead", "bde_partnership_kind"
            ),
            "contact": contact or {},
            "contact_max_lengths": CONTACT_MAX_LENGTHS,
            "errors": errors or {},
            "form_token": self._bde_form_token(),
        }

    def _bde_formations_sudo(self, company_sudo):
        """Formations the lycée teaches: those with a class in it."""
        return (
            request.env["bde.formation"]
            .sudo()
            .search([("class_ids.company_id", "=", company_sudo.id)])
        )

    def _bde_selection(self, model, field):
        """Labels of a selection field in the visitor's language."""
        return request.env[model]._fields[field]._description_selection(request.env)

    # Anti-spam token: the time the form was rendered and a nonce, signed.
    # The nonce makes each token single-use (see _bde_submission_refusal).

    def _bde_form_token(self):
        issued = f"{int(time.time())}:{secrets.token_urlsafe(16)}"
        return f"{issued}:{self._bde_sign(issued)}"

    def _bde_sign(self, issued):
        return hmac(request.env(su=True), CONTACT_HMAC_SCOPE, issued)

    def _bde_token_is_valid(self, token):
        timestamp, nonce, signature = self._bde_token_parts(token)
        if not timestamp.isdigit() or not consteq(
            signature, self._bde_sign(f"{timestamp}:{nonce}")
        ):
            return False
        min_seconds = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param(CONTACT_MIN_SECONDS_PARAM, CONTACT_MIN_SECONDS)
        )
        age = time.time() - int(timestamp)
        return min_seconds <= age <= CONTACT_MAX_SECONDS

    def _bde_token_parts(self, token):
        """Timestamp, nonce and signature of a form token; empty strings for
        a token of another shape."""
        parts = (token or "").split(":")
        return parts if len(parts) == 3 else ("", "", "")

    # Single use and limits of the public forms

    def _bde_submission_refusal(self, token, email):
        """Count this sending of a public form (its token is valid) and return
        why it is refused, or False: a token serves once, and a network
        address or an e-mail address sends a few forms an hour at most. The
        counts live in the database, so that every worker sees them."""
        env = request.env
        # sudo: the visitor is the public user; the counters are nobody's.
        Counter = env["bde.form.counter"].sudo()
        timestamp, nonce, _signature = self._bde_token_parts(token)
        issued = datetime.fromtimestamp(int(timestamp))
        if Counter._increment(f"nonce:{nonce}", issued) > 1:
            return env._(
                "This form was already sent. Check the form and send it again."
            )
        hour = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        client = request.httprequest.remote_addr or ""
        if Counter._increment(self._bde_limit_key("client", client), hour) > (
            self._bde_form_limit("client")
        ):
            return env._(
                "Too many forms were sent from your connection within the hour. "
                "Please try again later."
            )
        normalized = email_normalize(email)
        if normalized and Counter._increment(
            self._bde_limit_key("email", normalized), hour
        ) > self._bde_form_limit("email"):
            return env._(
                "Too many forms were sent for this e-mail address within the "
                "hour. Please try again later."
            )
        return False

    def _bde_limit_key(self, kind, value):
        # A keyed hash: the counters never hold an address in clear.
        return f"{kind}:{hmac(request.env(su=True), FORM_LIMIT_HMAC_SCOPE, value)}"

    def _bde_form_limit(self, kind):
        param, default = FORM_LIMIT_PARAMS[kind]
        value = request.env["ir.config_parameter"].sudo().get_param(param, "")
        return int(value) if value.isdigit() else default

    # Visitors' text

    def _bde_text(self, post, name):
        """What the visitor typed in ``name``, without control characters."""
        return CONTROL_CHARACTERS.sub("", post.get(name) or "").strip()

    def _bde_length_errors(self, values, max_lengths):
        return {
            field: request.env._(
                "This field is limited to %(max)s characters.", max=max_length
            )
            for field, max_length in max_lengths.items()
            if len(values[field] or "") > max_length
        }

    def _bde_truncated(self, values, max_lengths):
        """The values shown again in the form: a refused text comes back cut
        to the field's size, not as the megabyte that was sent."""
        return {
            field: value[: max_lengths[field]] if field in max_lengths else value
            for field, value in values.items()
        }

    # Contact form

    def _bde_contact_values(self, post):
        valid_formations = self._bde_formations_sudo(request.website.company_id)
        formation_ids = {
            int(value)
            for value in request.httprequest.form.getlist("formation_ids")
            if RECORD_ID.fullmatch(value)
        }
        kind = post.get("partnership_kind")
        return {
            **{name: self._bde_text(post, name) for name in CONTACT_MAX_LENGTHS},
            "formation_ids": valid_formations.filtered(
                lambda formation: formation.id in formation_ids
            ).ids,
            "partnership_kind": kind if kind in dict(PARTNERSHIP_KINDS) else False,
        }

    def _bde_contact_errors(self, values, token):
        env = request.env
        errors = {}
        for field in CONTACT_REQUIRED_FIELDS:
            if not values[field]:
                errors[field] = env._("This field is required.")
        if values["email"] and not email_normalize(values["email"]):
            errors["email"] = env._("This e-mail address is not valid.")
        if values["siret"] and not stdnum_siret.is_valid(values["siret"]):
            errors["siret"] = env._(
                "This SIRET is not valid: 14 digits with a correct key, or leave "
                "it empty."
            )
        errors.update(self._bde_length_errors(values, CONTACT_MAX_LENGTHS))
        if not self._bde_token_is_valid(token):
            errors["form"] = env._(
                "Your message was sent too quickly or the page is too old. "
                "Please check the form and send it again."
            )
        return errors

    def _bde_create_lead(self, values):
        company_sudo = request.website.company_id.sudo()
        team = request.env.ref("bde_lycee.crm_team_bde")
        # sudo: the visitor is the public user, who may not create leads.
        lead_sudo = (
            request.env["crm.lead"]
            .sudo()
            .create(
                {
                    "name": request.env._(
                        "%(company)s: contact from the BDE page",
                        company=values["company_name"],
                    ),
                    "type": "opportunity",
                    "team_id": team.id,
                    "stage_id": request.env.ref(
                        "bde_lycee.crm_stage_bde_identified"
                    ).id,
                    "user_id": company_sudo.bde_manager_id.id,
                    "company_id": company_sudo.id,
                    "partner_name": values["company_name"],
                    "contact_name": values["contact_name"],
                    "email_from": values["email"],
                    "phone": values["phone"],
                    "description": values["message"]
                    and plaintext2html(values["message"]),
                    "bde_formation_ids": [Command.set(values["formation_ids"])],
                    "bde_partnership_kind": values["partnership_kind"],
                    "bde_siret": stdnum_siret.compact(values["siret"]) or False,
                }
            )
        )
        if lead_sudo.bde_siret:
            self._bde_lead_from_directory(lead_sudo)
        return lead_sudo

    def _bde_lead_from_directory(self, lead_sudo):
        """The known company of the SIRET typed, or the directory's name and
        address of it. Once per accepted message, never while typing: the
        form's limits bound the directory's calls. A directory that does not
        answer loses nothing of the message."""
        known = lead_sudo._bde_known_company()
        if known:
            lead_sudo.partner_id = known
            return
        try:
            raw = lead_sudo.env["res.partner"]._bde_sirene_lookup(lead_sudo.bde_siret)
        except UserError as error:
            _logger.warning("BDE contact form: %s", error)
            return
        if raw:
            lead_sudo._bde_apply_sirene(raw)
