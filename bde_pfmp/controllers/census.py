from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class BdeCensus(http.Controller):
    """The host's census page, reached through the personal link of its
    request mail: no account, the token is the key."""

    def _get_census_request_sudo(self, request_id, token):
        # As superuser: the visitor is public; the token proves the host.
        census_sudo = request.env["bde.pfmp.census.request"].sudo().browse(request_id)
        if not census_sudo.exists() or not census_sudo._check_token(token):
            raise NotFound()
        return census_sudo

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
        return request.render(
            "bde_pfmp.census_page",
            {"census": census_sudo, "token": token, "saved": kwargs.get("saved")},
        )

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
        if census_sudo.campaign_id.state != "sent":
            return request.render(
                "bde_pfmp.census_page", {"census": census_sudo, "token": token}
            )
        answers = {
            offer: self._parse_places(post.get(f"places_{offer.id}"), offer.places)
            for offer in census_sudo.offer_ids
        }
        census_sudo._record_answer(answers, bool(post.get("accepts_minors")))
        return request.redirect(f"/bde/census/{request_id}/{token}?saved=1")

    @staticmethod
    def _parse_places(value, default):
        """Places typed by the host: a whole number, 0 to decline; anything
        else keeps the places offered."""
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return default
