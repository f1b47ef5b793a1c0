from odoo import fields, http
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.bde_lycee.controllers.main import CONTACT_HONEYPOT_FIELD, BdeWebsite

from ..models.bde_alumni_situation import CONTRACT_TYPES, STATUSES

ALUMNI_TEXT_FIELDS = (
    "name",
    "email",
    "employer_name",
    "job_title",
    "study_formation",
)
ALUMNI_CHECKBOXES = (
    "network_consent",
    "contact_consent",
    "willing_tutor",
    "willing_speaker",
    "willing_jury",
    "willing_mentor",
)
ALUMNI_REQUIRED_FIELDS = ("name", "email", "exit_year", "status")
# Oldest exit year accepted: the lycées of the suite keep no older records.
ALUMNI_FIRST_EXIT_YEAR = 1960


class BdeAlumniWebsite(BdeWebsite):
    """The alumni page reuses the BDE page's anti-spam (honeypot and signed
    timestamp): same helpers, same minimum delay parameter."""

    @http.route(
        "/bde/alumni",
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        readonly=True,
    )
    def bde_alumni_page(self, **kwargs):
        return request.render(
            "bde_alumni.bde_alumni_page", self._bde_alumni_page_values()
        )

    @http.route(
        "/bde/alumni/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def bde_alumni_submit(self, **post):
        if post.get(CONTACT_HONEYPOT_FIELD):
            # Answer as if all went well: a robot learns nothing.
            return request.redirect("/bde/alumni/thank-you")
        values = self._bde_alumni_values(post)
        errors = self._bde_alumni_errors(values, post.get("form_token"))
        if errors:
            return request.render(
                "bde_alumni.bde_alumni_page",
                self._bde_alumni_page_values(alumni=values, errors=errors),
            )
        self._bde_alumni_create_request(values)
        return request.redirect("/bde/alumni/thank-you")

    @http.route(
        "/bde/alumni/withdraw",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def bde_alumni_withdraw(self, **post):
        if post.get(CONTACT_HONEYPOT_FIELD):
            return request.redirect("/bde/alumni/thank-you")
        email = (post.get("email") or "").strip()
        errors = {}
        if not email_normalize(email):
            errors["withdraw_email"] = request.env._(
                "This e-mail address is not valid."
            )
        if not self._bde_token_is_valid(post.get("form_token")):
            errors["withdraw_form"] = self._bde_alumni_token_error()
        if errors:
            return request.render(
                "bde_alumni.bde_alumni_page",
                self._bde_alumni_page_values(errors=errors, withdraw_email=email),
            )
        # The mail goes out whether the address is known or not: the page
        # does not tell a visitor who is an alumni of the lycée.
        self._bde_alumni_create_request(
            {"name": email, "email": email, "request_type": "withdraw"}
        )
        return request.redirect("/bde/alumni/thank-you")

    @http.route(
        "/bde/alumni/thank-you",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def bde_alumni_thanks(self, **kwargs):
        return request.render(
            "bde_alumni.bde_alumni_thanks", self._bde_alumni_page_values()
        )

    @http.route(
        "/bde/alumni/confirm/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def bde_alumni_confirm(self, token, **kwargs):
        # sudo: the visitor is the public user; the secret token is their
        # right to apply their own request, and only that one.
        request_sudo = (
            request.env["bde.alumni.request"].sudo().search([("token", "=", token)])
        )
        confirmed = len(request_sudo) == 1 and request_sudo._confirm()
        values = self._bde_alumni_page_values()
        values.update(
            confirmed=confirmed,
            request_type=request_sudo[:1].request_type,
        )
        return request.render("bde_alumni.bde_alumni_confirmed", values)

    # Page values

    def _bde_alumni_page_values(self, alumni=None, errors=None, withdraw_email=""):
        values = self._bde_page_values(errors=errors)
        values.update(
            alumni=alumni or {},
            withdraw_email=withdraw_email,
            statuses=self._bde_selection("bde.alumni.situation", "status"),
            contract_types=self._bde_selection("bde.alumni.situation", "contract_type"),
            this_year=fields.Date.today().year,
        )
        return values

    def _bde_alumni_values(self, post):
        values = {name: (post.get(name) or "").strip() for name in ALUMNI_TEXT_FIELDS}
        values.update({name: bool(post.get(name)) for name in ALUMNI_CHECKBOXES})
        formations = self._bde_formations_sudo(request.website.company_id)
        formation_id = post.get("formation_id") or ""
        values["formation_id"] = (
            int(formation_id)
            if formation_id.isdigit() and int(formation_id) in formations.ids
            else False
        )
        status = post.get("status")
        values["status"] = status if status in dict(STATUSES) else False
        contract = post.get("contract_type")
        values["contract_type"] = (
            contract if contract in dict(CONTRACT_TYPES) else False
        )
        exit_year = (post.get("exit_year") or "").strip()
        values["exit_year"] = int(exit_year) if exit_year.isdigit() else False
        try:
            values["birthdate"] = fields.Date.to_date(post.get("birthdate") or False)
        except ValueError:
            values["birthdate"] = False
        return values

    def _bde_alumni_errors(self, values, token):
        env = request.env
        errors = {}
        for field in ALUMNI_REQUIRED_FIELDS:
            if not values[field]:
                errors[field] = env._("This field is required.")
        if values["email"] and not email_normalize(values["email"]):
            errors["email"] = env._("This e-mail address is not valid.")
        this_year = fields.Date.today().year
        if values["exit_year"] and not (
            ALUMNI_FIRST_EXIT_YEAR <= values["exit_year"] <= this_year
        ):
            errors["exit_year"] = env._(
                "Give the year you left the lycée, e.g. %(year)s.", year=this_year
            )
        if not self._bde_token_is_valid(token):
            errors["form"] = self._bde_alumni_token_error()
        return errors

    def _bde_alumni_token_error(self):
        return request.env._(
            "Your form was sent too quickly or the page is too old. "
            "Please check the form and send it again."
        )

    def _bde_alumni_create_request(self, values):
        # sudo: the public user may not create requests; the request stays
        # pending until the visitor confirms it from their mailbox.
        request_sudo = (
            request.env["bde.alumni.request"]
            .sudo()
            .create({**values, "company_id": request.website.company_id.id})
        )
        request_sudo._send_confirmation_mail()
        return request_sudo
