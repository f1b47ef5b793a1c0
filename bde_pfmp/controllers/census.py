import logging
import re

from stdnum.fr import siret as stdnum_siret
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.bde_pfmp_census_campaign import MAX_CENSUS_PLACES

# The page posts numbers and a checkbox: any longer field is not from it.
MAX_FIELD_LENGTH = 100
PLACES_RE = re.compile(rf"\d{{1,{len(str(MAX_CENSUS_PLACES))}}}", re.ASCII)
_logger = logging.getLogger(__name__)


class BdeCensus(http.Controller):
    """The host's census page, reached through the personal link of its
    request mail: no account, the token is the key. The link records one
    answer; later visits show it."""

    def _get_census_request_sudo(self, request_id, token):
        # As superuser: the visitor is public; the token proves the host.
        census_sudo = request.env["bde.pfmp.census.request"].sudo().browse(request_id)
        if not census_sudo.exists() or not census_sudo._check_token(token):
            raise NotFound()
        return census_sudo

    def _render(self, census_sudo, token, errors=(), status=200, saved=False):
        return request.render(
            "bde_pfmp.census_page",
            {
                "census": census_sudo,
                "token": token,
                "errors": errors,
                "saved": saved,
                "max_places": MAX_CENSUS_PLACES,
            },
            status=status,
        )

    @http.route(
        "/bde/census/<int:request_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET"],
        readonly=True,
    )
    def census_page(self, request_id, token, **kwargs):
        census_sudo = self._get_census_request_sudo(request_id, token)
        return self._render(census_sudo, token, saved=bool(kwargs.get("saved")))

    @http.route(
        "/bde/census/<int:request_id>/<string:token>/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def census_submit(self, request_id, token, **post):
        census_sudo = self._get_census_request_sudo(request_id, token)
        if census_sudo.campaign_id.state != "sent" or census_sudo.state == "answered":
            # A replayed or late post: the page shows the answer or the closing.
            return self._render(census_sudo, token, status=409)
        answers, errors = self._parse_answers(census_sudo, post)
        siret, siret_errors = self._parse_siret(census_sudo, post)
        if errors or siret_errors:
            return self._render(
                census_sudo, token, errors=errors + siret_errors, status=400
            )
        try:
            census_sudo._record_answer(answers, bool(post.get("accepts_minors")))
        except UserError as error:
            # Answered by a simultaneous post, or closed meanwhile.
            return self._render(census_sudo, token, errors=[error.args[0]], status=409)
        if siret:
            self._record_siret(census_sudo.partner_id, siret)
        return request.redirect(f"/bde/census/{request_id}/{token}?saved=1")

    def _parse_answers(self, census_sudo, post):
        """The places typed for each offer and the messages on what cannot
        be read; nothing is guessed: a missing or wrong number is an error."""
        env = request.env
        if any(
            len(value) > MAX_FIELD_LENGTH or "\x00" in value
            for value in post.values()
            if isinstance(value, str)
        ):
            return {}, [
                env._(
                    "The answer holds a field too long or a character that is not "
                    "text: type the places again."
                )
            ]
        answers, errors = {}, []
        for offer in census_sudo.offer_ids:
            value = (post.get(f"places_{offer.id}") or "").strip()
            if PLACES_RE.fullmatch(value) and int(value) <= MAX_CENSUS_PLACES:
                answers[offer] = int(value)
            else:
                errors.append(
                    env._(
                        "%(formation)s: type the number of places, a whole number "
                        "from 0 to %(max)s (0 if none).",
                        formation=offer.formation_id.name,
                        max=MAX_CENSUS_PLACES,
                    )
                )
        return answers, errors

    def _parse_siret(self, census_sudo, post):
        """The SIRET a host without one typed (optional), and the message when
        it is not one."""
        siret = stdnum_siret.compact(post.get("siret") or "")
        if not siret or census_sudo.partner_id.siret:
            return False, []
        if not stdnum_siret.is_valid(siret):
            return False, [
                request.env._(
                    "The SIRET is not valid: type its 14 digits, or leave it empty."
                )
            ]
        return siret, []

    def _record_siret(self, host_sudo, siret):
        """The host's SIRET and the directory's data, once per answer (a
        request is answered once). A SIRET already another company's, or a
        directory that does not answer, is left to the BDE in a note."""
        try:
            known = host_sudo._bde_set_siret_from_directory(siret)
        except UserError as error:
            _logger.warning("Census SIRET of partner %s: %s", host_sudo.id, error)
            known = False
        if host_sudo.siret == siret:
            return
        body = request.env._(
            "The census answer gives the SIRET %(siret)s, not recorded: %(why)s",
            siret=siret,
            why=request.env._("it is the one of %s.", known.display_name)
            if known
            else request.env._("the SIRENE directory did not answer."),
        )
        host_sudo.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )
