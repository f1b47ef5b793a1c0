from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request

from odoo.addons.bde_lycee.controllers.main import CONTROL_CHARACTERS

from .portal import BdePfmpTutorPortal

ABSENCE_MODEL = "bde.pfmp.absence"
# A note on an absence is a sentence or two.
NOTE_MAX_LENGTH = 1000


class BdePfmpAttendancePortal(BdePfmpTutorPortal):
    """The tutor records and removes the absences of their trainee on the
    placement's page, with the same access as its other forms (portal account
    or personal link), then confirms the days done computed from them."""

    @http.route(
        "/my/pfmp/<int:placement_id>/absence",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_pfmp_absence(self, placement_id, access_token=None, **kw):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        tutor = self._pfmp_acting_partner(placement_sudo, access_token)
        try:
            vals = self._pfmp_absence_values(placement_sudo, kw)
        except ValueError as error:
            return self._render_pfmp_placement(
                placement_sudo, access_token, error=str(error)
            )
        return self._pfmp_apply(
            placement_sudo,
            access_token,
            lambda: request.env[ABSENCE_MODEL]._bde_tutor_record(
                placement_sudo, vals, tutor
            ),
            "absence",
        )

    @http.route(
        "/my/pfmp/<int:placement_id>/absence/<int:absence_id>/remove",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_pfmp_absence_remove(
        self, placement_id, absence_id, access_token=None, **kw
    ):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        tutor = self._pfmp_acting_partner(placement_sudo, access_token)
        absence_sudo = placement_sudo.absence_ids.filtered(
            lambda absence: absence.id == absence_id
        )
        if not absence_sudo:
            raise NotFound()
        return self._pfmp_apply(
            placement_sudo,
            access_token,
            lambda: absence_sudo._bde_tutor_remove(tutor),
            "absence_removed",
        )

    def _pfmp_absence_values(self, placement_sudo, form):
        """The absence's values from the form, each checked against its
        field: a bad date or choice is refused with a message."""
        Absence = request.env[ABSENCE_MODEL]
        try:
            day = fields.Date.to_date(form.get("date") or "")
        except ValueError:
            day = None
        if not day:
            raise ValueError(request.env._("Give the date of the absence."))
        vals = {"date": day, "justified": bool(form.get("justified"))}
        for name in ("duration", "reason"):
            choices = dict(Absence._fields[name]._description_selection(request.env))
            if form.get(name) not in choices:
                raise ValueError(request.env._("Choose the duration and the reason."))
            vals[name] = form[name]
        note = CONTROL_CHARACTERS.sub("", form.get("note") or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            raise ValueError(
                request.env._(
                    "The note is limited to %(max)s characters.", max=NOTE_MAX_LENGTH
                )
            )
        vals["note"] = note or False
        return vals

    @http.route()
    def portal_my_pfmp_attendance(
        self, placement_id, days_done=None, access_token=None, **kw
    ):
        # The page's form confirms the computed figure without sending one.
        if days_done in (None, ""):
            placement_sudo = self._pfmp_check_access(placement_id, access_token)
            tutor = self._pfmp_acting_partner(placement_sudo, access_token)
            return self._pfmp_apply(
                placement_sudo,
                access_token,
                lambda: placement_sudo._confirm_attendance(None, tutor),
                "attendance",
            )
        return super().portal_my_pfmp_attendance(
            placement_id, days_done=days_done, access_token=access_token, **kw
        )

    def _get_page_view_values(
        self, document, access_token, values, session_history, no_breadcrumbs, **kw
    ):
        if document._name == "bde.pfmp.placement":
            absence = request.env[ABSENCE_MODEL]
            values["absence_durations"] = absence._fields[
                "duration"
            ]._description_selection(request.env)
            values["absence_reasons"] = absence._fields[
                "reason"
            ]._description_selection(request.env)
        return super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kw
        )
