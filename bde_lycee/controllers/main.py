import time

from odoo import Command, http
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import consteq, hmac

from odoo.addons.bde_lycee.models.crm_lead import PARTNERSHIP_KINDS

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
        errors = self._bde_contact_errors(values, post.get("form_token"))
        if errors:
            return request.render(
                "bde_lycee.bde_page",
                self._bde_page_values(contact=values, errors=errors),
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

    # Anti-spam token: the time the form was rendered, signed

    def _bde_form_token(self):
        timestamp = str(int(time.time()))
        return f"{timestamp}:{self._bde_sign(timestamp)}"

    def _bde_sign(self, timestamp):
        return hmac(request.env(su=True), CONTACT_HMAC_SCOPE, timestamp)

    def _bde_token_is_valid(self, token):
        timestamp, _sep, signature = (token or "").partition(":")
        if not timestamp.isdigit() or not consteq(signature, self._bde_sign(timestamp)):
            return False
        min_seconds = int(
            request.env["ir.config_parameter"]
            .sudo()
            .get_param(CONTACT_MIN_SECONDS_PARAM, CONTACT_MIN_SECONDS)
        )
        age = time.time() - int(timestamp)
        return min_seconds <= age <= CONTACT_MAX_SECONDS

    # Contact form

    def _bde_contact_values(self, post):
        valid_formations = self._bde_formations_sudo(request.website.company_id)
        formation_ids = {
            int(value)
            for value in request.httprequest.form.getlist("formation_ids")
            if value.isdigit()
        }
        kind = post.get("partnership_kind")
        return {
            "company_name": (post.get("company_name") or "").strip(),
            "contact_name": (post.get("contact_name") or "").strip(),
            "email": (post.get("email") or "").strip(),
            "phone": (post.get("phone") or "").strip(),
            "message": (post.get("message") or "").strip(),
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
                }
            )
        )
        return lead_sudo
