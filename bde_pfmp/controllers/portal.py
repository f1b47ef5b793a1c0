from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.bde_lycee.controllers.main import CONTROL_CHARACTERS
from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PLACEMENT_MODEL = "bde.pfmp.placement"
# A tutor's evaluation is a few paragraphs; a longer text is refused.
EVALUATION_MAX_LENGTH = 5000


class BdePfmpTutorPortal(portal.CustomerPortal):
    """The tutors' pages: a tutor with a portal account sees the placements
    they tutor under /my/pfmp; a tutor without one opens the page of a
    placement through the personal link (access token) the BDE sent them."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pfmp_count" in counters:
            Placement = request.env[PLACEMENT_MODEL]
            values["pfmp_count"] = (
                Placement.search_count(self._get_pfmp_domain())
                if Placement.has_access("read")
                else 0
            )
        return values

    def _get_pfmp_domain(self):
        # The record rule already limits a portal tutor to their placements;
        # the domain keeps /my/pfmp to the tutor's own trainees for internal
        # users too.
        return [
            ("tutor_id", "=", request.env.user.partner_id.id),
            ("state", "!=", "cancelled"),
        ]

    @http.route(
        ["/my/pfmp", "/my/pfmp/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_pfmp_placements(self, page=1, **kw):
        Placement = request.env[PLACEMENT_MODEL]
        domain = self._get_pfmp_domain()
        pager = portal_pager(
            url="/my/pfmp",
            total=Placement.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        placements = Placement.search(
            domain, limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_pfmp_history"] = placements.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Read as superuser: the placements were searched as the
                # tutor, but the tutor may not read the student's contact.
                "placements": placements.sudo(),
                "pager": pager,
                "page_name": "pfmp",
                "default_url": "/my/pfmp",
            }
        )
        return request.render("bde_pfmp.portal_my_pfmp_placements", values)

    @http.route(
        "/my/pfmp/<int:placement_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_pfmp_placement(self, placement_id, access_token=None, **kw):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        # Only the known confirmation keys are shown, never free text from
        # the URL.
        return self._render_pfmp_placement(
            placement_sudo, access_token, success=kw.get("success")
        )

    @http.route(
        "/my/pfmp/<int:placement_id>/document/<string:document>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_pfmp_document(self, placement_id, document, access_token=None):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        return self._pfmp_document_response(placement_sudo, document)

    def _pfmp_document_response(self, placement_sudo, document):
        """The PDF of one of the placement's documents, once it has it (the
        attestation after the placement ended)."""
        report_ref = (
            placement_sudo._get_tutor_documents().get(document, {}).get("report")
        )
        if not report_ref:
            raise NotFound()
        return self._show_report(
            model=placement_sudo,
            report_type="pdf",
            report_ref=report_ref,
            download=True,
        )

    @http.route(
        "/my/pfmp/<int:placement_id>/attendance",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_pfmp_attendance(
        self, placement_id, days_done=None, access_token=None, **kw
    ):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        tutor = self._pfmp_acting_partner(placement_sudo, access_token)
        try:
            days = int(days_done or "")
        except ValueError:
            return self._render_pfmp_placement(
                placement_sudo,
                access_token,
                error=request.env._("The days done must be a whole number."),
            )
        return self._pfmp_apply(
            placement_sudo,
            access_token,
            lambda: placement_sudo._confirm_attendance(days, tutor),
            "attendance",
        )

    @http.route(
        "/my/pfmp/<int:placement_id>/evaluation",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_pfmp_evaluation(
        self, placement_id, level=None, evaluation=None, access_token=None, **kw
    ):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        tutor = self._pfmp_acting_partner(placement_sudo, access_token)
        evaluation = CONTROL_CHARACTERS.sub("", evaluation or "")
        if len(evaluation) > EVALUATION_MAX_LENGTH:
            return self._render_pfmp_placement(
                placement_sudo,
                access_token,
                error=request.env._(
                    "The evaluation is limited to %(max)s characters.",
                    max=EVALUATION_MAX_LENGTH,
                ),
            )
        return self._pfmp_apply(
            placement_sudo,
            access_token,
            lambda: placement_sudo._submit_tutor_evaluation(level, evaluation, tutor),
            "evaluation",
        )

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _pfmp_check_access(self, placement_id, access_token):
        """The placement as superuser, for its tutor (record rule), the BDE
        staff, or the holder of its current tutor's valid link; a 404 for
        anyone else, so that the placements of other tutors are not even known
        to exist."""
        try:
            return self._document_check_access(PLACEMENT_MODEL, placement_id)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            placement_sudo = request.env[PLACEMENT_MODEL].sudo().browse(placement_id)
            if placement_sudo._tutor_link_is_valid(access_token):
                return placement_sudo
            raise NotFound() from error

    def _pfmp_acting_partner(self, placement_sudo, access_token):
        """Who confirms or evaluates: the holder of the placement's valid link
        is the tutor it was sent to; otherwise the logged-in user, whom the
        placement checks against its tutor."""
        if placement_sudo._tutor_link_is_valid(access_token):
            return placement_sudo.tutor_id
        return request.env.user.partner_id

    def _pfmp_apply(self, placement_sudo, access_token, operation, success):
        """Run a tutor's submission in a savepoint: refused input leaves the
        placement as it was and is shown on the page."""
        try:
            with request.env.cr.savepoint():
                operation()
        except (AccessError, UserError, ValidationError) as error:
            return self._render_pfmp_placement(
                placement_sudo, access_token, error=str(error)
            )
        return request.redirect(
            placement_sudo.get_portal_url(query_string=f"&success={success}")
        )

    def _render_pfmp_placement(self, placement_sudo, access_token, **kw):
        values = {
            "placement": placement_sudo,
            "page_name": "pfmp_placement",
            "documents": placement_sudo._get_tutor_documents(),
            "evaluation_levels": placement_sudo._fields[
                "tutor_evaluation_level"
            ]._description_selection(request.env),
        }
        values = self._get_page_view_values(
            placement_sudo, access_token, values, "my_pfmp_history", False, **kw
        )
        return request.render("bde_pfmp.portal_my_pfmp_placement", values)
