from odoo import models
from odoo.exceptions import AccessError, UserError

# Fields that a plain ``write`` or ``create`` (RPC, the form, an import) never
# sets, each with its own path that checks who takes it and when: the state
# moves through the action_* steps, the tutor's confirmation and evaluation
# come from the tutors' portal, the allowance from its computation, the
# pedagogical validation from the referent teacher's buttons.
TUTOR_FIELDS = {
    "attendance_confirmed_date",
    "attendance_confirmed_by_id",
    "tutor_evaluation_level",
    "tutor_evaluation",
    "tutor_evaluation_date",
}
ALLOWANCE_RESULT_FIELDS = {
    "allowance_rate_id",
    "allowance_amount",
    "allowance_missing_rate",
}
PEDAGOGY_FIELDS = {
    "pedagogy_state",
    "pedagogy_validated_by_id",
    "pedagogy_validated_date",
    "pedagogy_refusal_reason",
}
# A placement is created before its convention is signed; the later states
# are reached through the steps.
CREATE_STATES = {"searching", "host_found", "to_sign"}
# The head of school alone signs the convention for the lycée.
HEAD_OF_SCHOOL_GROUP = "bde_lycee.group_bde_manager"


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Who writes what: the rules of ``write`` and ``create`` for every way in
    def _check_write_rules(self, vals):
        """Refuse the fields that only a step, the tutor or the computation
        sets, and the lycée's signature to anyone but the head of school.
        Code running as superuser (data files, the tutors' portal once it
        knows the tutor) is trusted: no client reaches it."""
        if self.env.su:
            return
        if "state" in vals:
            raise UserError(
                self.env._(
                    "The state of a placement changes only through its steps "
                    "(the buttons of the placement), which check who takes "
                    "them and when."
                )
            )
        self._check_protected_values(vals.keys())
        self._check_signatures_frozen(vals)
        self._check_request_frozen(vals)

    def _check_create_rules(self, vals):
        """A placement is created before its convention is signed, without
        the tutor's or the computation's values."""
        if self.env.su:
            return
        if vals.get("state", "searching") not in CREATE_STATES:
            raise UserError(
                self.env._(
                    "A placement is created while the student searches for a "
                    "host or before the convention is signed; the later states "
                    "are reached through its steps."
                )
            )
        self._check_protected_values([name for name, value in vals.items() if value])

    def _check_protected_values(self, field_names):
        names = set(field_names)
        if names & TUTOR_FIELDS:
            raise UserError(
                self.env._(
                    "The attendance confirmation and the evaluation of a "
                    "placement are given by its tutor, through the tutors' "
                    "portal or their personal link."
                )
            )
        if names & ALLOWANCE_RESULT_FIELDS:
            raise UserError(
                self.env._(
                    "The allowance of a placement is computed from its days "
                    "done and the national rates: it cannot be entered."
                )
            )
        if names & PEDAGOGY_FIELDS:
            raise UserError(
                self.env._(
                    "The pedagogical annex is validated or refused by the "
                    "referent teacher or the DDFPT, through the placement's "
                    "buttons."
                )
            )
        if "date_signed_school" in names and not self.env.user.has_group(
            HEAD_OF_SCHOOL_GROUP
        ):
            raise AccessError(
                self.env._(
                    "Only the head of school dates the lycée's signature of a "
                    "PFMP convention."
                )
            )
