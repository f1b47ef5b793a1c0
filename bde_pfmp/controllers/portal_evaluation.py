from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey

from .portal import BdePfmpTutorPortal


class BdePfmpEvaluationPortal(BdePfmpTutorPortal):
    """The tutor opens a skills evaluation of their trainee from the
    placement's page: the answer is created for them and the survey's own
    pages take over."""

    @http.route(
        "/my/pfmp/<int:placement_id>/skills/<string:phase>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_my_pfmp_skills(self, placement_id, phase, access_token=None, **kw):
        placement_sudo = self._pfmp_check_access(placement_id, access_token)
        tutor = self._pfmp_acting_partner(placement_sudo, access_token)
        evaluation = placement_sudo.evaluation_ids.filtered(
            lambda evaluation: evaluation.phase == phase
        )
        if not evaluation:
            raise NotFound()
        answers = []
        response = self._pfmp_apply(
            placement_sudo,
            access_token,
            lambda: answers.append(evaluation._bde_answer_for(tutor)),
            "skills",
        )
        if not answers:
            return response
        return request.redirect(answers[0].get_start_url())


class BdePfmpSurvey(Survey):
    def _check_validity(
        self, survey_token, answer_token, ensure_token=True, check_partner=True
    ):
        """A tutor's answer to a PFMP skills grid is open while its tutor's
        page is: the placement's current tutor, the link not expired."""
        validity = super()._check_validity(
            survey_token,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )
        if validity is not True:
            return validity
        answer_sudo = self._fetch_from_access_token(survey_token, answer_token)[1]
        if not answer_sudo.bde_pfmp_placement_id or answer_sudo.state == "done":
            return validity
        evaluation = (
            request.env["bde.pfmp.evaluation"]
            .sudo()
            .search([("user_input_id", "=", answer_sudo.id)], limit=1)
        )
        if not (evaluation and evaluation._bde_answer_open(answer_sudo)):
            return "answer_deadline"
        return validity
