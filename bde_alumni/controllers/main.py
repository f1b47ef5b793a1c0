import re

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.bde_lycee.controllers.main import (
    CONTACT_HONEYPOT_FIELD,
    RECORD_ID,
    BdeWebsite,
)

from ..models.bde_alumni_situation import CONTRACT_TYPES, STATUSES

# The sizes of what a person types, as on the BDE page's contact form.
ALUMNI_MAX_LENGTHS = {
    "name": 128,
    "email": 254,
    "employer_name": 128,
    "job_title": 128,
    "study_formation": 256,
}
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
YEAR = re.compile(r"[0-9]{4}")
# A confirmation token as the request model makes them (token_urlsafe(32)):
# anything else is refused before it reaches the database.
CONFIRMATION_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


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
        token = post.get("form_token")
        errors = self._bde_alumni_errors(values, token)
        if not errors:
            refusal = self._bde_submission_refusal(
                token, values["email"]
            ) or self._bde_alumni_create_request(values)
            errors = {"form": refusal} if refusal else {}
        if errors:
            return request.render(
                "bde_alumni.bde_alumni_page",
                self._bde_alumni_page_values(
                    alumni=self._bde_truncated(values, ALUMNI_MAX_LENGTHS),
                    errors=errors,
                ),
            )
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
        email = self._bde_text(post, "email")
        token = post.get("form_token")
        errors = {}
        if not email_normalize(email) or len(email) > ALUMNI_MAX_LENGTHS["email"]:
            errors["withdraw_email"] = request.env._(
                "This e-mail address is not valid."
            )
        if not self._bde_token_is_valid(token):
            errors["withdraw_form"] = self._bde_alumni_token_error()
        if not errors:
            # The mail goes out whether the address is known or not: the page
            # does not tell a visitor who is an alumni of the lycée.
            refusal = self._bde_submission_refusal(
                token, email
            ) or self._bde_alumni_create_request(
                {"name": email, "email": email, "request_type": "withdraw"}
            )
            errors = {"withdraw_form": refusal} if refusal else {}
        if errors:
            return request.render(
                "bde_alumni.bde_alumni_page",
                self._bde_alumni_page_values(
                    errors=errors,
                    withdraw_email=email[: ALUMNI_MAX_LENGTHS["email"]],
                ),
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
        methods=["GET"],
        readonly=True,
    )
    def bde_alumni_confirm_page(self, token, **kwargs):
        """The link of the mail opens the request and a button to confirm it:
        a link scanner, or a preview that follows links, confirms nothing."""
        request_sudo = self._bde_alumni_pending_request(token)
        if not request_sudo or request_sudo._is_expired():
            return self._bde_alumni_render_confirmed(False, request_sudo)
        values = self._bde_alumni_page_values()
        values.update(
            alumni_request_sudo=request_sudo,
            token=token,
            statuses=dict(values["statuses"]),
        )
        return request.render("bde_alumni.bde_alumni_confirm", values)

    @http.route(
        "/bde/alumni/confirm/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
    )
    def bde_alumni_confirm(self, token, **kwargs):
        request_sudo = self._bde_alumni_pending_request(token)
        confirmed = bool(request_sudo) and request_sudo._confirm()
        return self._bde_alumni_render_confirmed(confirmed, request_sudo)

    # Confirmation

    def _bde_alumni_pending_request(self, token):
        """The pending request a confirmation link names; the request checks
        its age itself when confirmed. A request to review is applied by the
        BDE, never through a link."""
        # sudo: the visitor is the public user; the secret token is their
        # right to see and apply their own request, and only that one.
        Request_sudo = request.env["bde.alumni.request"].sudo()
        if not CONFIRMATION_TOKEN.fullmatch(token):
            return Request_sudo
        request_sudo = Request_sudo.search([("token", "=", token)])
        if len(request_sudo) != 1 or request_sudo.to_review:
            return Request_sudo
        return request_sudo.filtered(lambda pending: pending.state == "pending")

    def _bde_alumni_render_confirmed(self, confirmed, request_sudo):
        values = self._bde_alumni_page_values()
        values.update(confirmed=confirmed, request_type=request_sudo.request_type)
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
        values = {name: self._bde_text(post, name) for name in ALUMNI_MAX_LENGTHS}
        values.update({name: bool(post.get(name)) for name in ALUMNI_CHECKBOXES})
        formations = self._bde_formations_sudo(request.website.company_id)
        formation_id = post.get("formation_id") or ""
        values["formation_id"] = (
            int(formation_id)
            if RECORD_ID.fullmatch(formation_id) and int(formation_id) in formations.ids
            else False
        )
        status = post.get("status")
        values["status"] = status if status in dict(STATUSES) else False
        contract = post.get("contract_type")
        values["contract_type"] = (
            contract if contract in dict(CONTRACT_TYPES) else False
        )
        exit_year = self._bde_text(post, "exit_year")
        values["exit_year"] = int(exit_year) if YEAR.fullmatch(exit_year) else False
        try:
            values["birthdate"] = fields.Date.to_date(
                self._bde_text(post, "birthdate") or False
            )
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
        errors.update(self._bde_length_errors(values, ALUMNI_MAX_LENGTHS))
        if not self._bde_token_is_valid(token):
            errors["form"] = self._bde_alumni_token_error()
        return errors

    def _bde_alumni_token_error(self):
        return request.env._(
            "Your form was sent too quickly or the page is too old. "
            "Please check the form and send it again."
        )

    def _bde_alumni_create_request(self, values):
        """Record the request and send its confirmation link; returns why it
        was refused (a link already waits in that mailbox), or False."""
        try:
            with request.env.cr.savepoint():
                # sudo: the public user may not create requests; the request
                # stays pending until it is confirmed from a mailbox.
                request.env["bde.alumni.request"].sudo()._submit(
                    {**values, "company_id": request.website.company_id.id}
                )
        except ValidationError as error:
            return error.args[0]
        return False
