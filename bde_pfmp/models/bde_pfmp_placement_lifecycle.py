import logging

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.bde_lycee.school_year import lycee_today

from .bde_pfmp_placement import ENDED_STATES, HOSTED_STATES

_logger = logging.getLogger(__name__)

# The reports printed for a class from its period or the placements' list.
CONVENTION_REPORT = "bde_pfmp.action_report_bde_pfmp_convention"
ATTESTATION_REPORT = "bde_pfmp.action_report_bde_pfmp_attestation"
# The BDE team runs the class-level actions; a teacher acts on one placement.
OFFICER_GROUP = "bde_lycee.group_bde_officer"


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # "Done" needs the days done confirmed
    def _bde_days_done_confirmed(self):
        """Whether the days done of this placement are confirmed: by its tutor
        here; the day-by-day attendance also accepts the staff's entry."""
        self.ensure_one()
        return bool(self.attendance_confirmed_date)

    def action_done(self):
        self._check_state_from({"in_progress"})
        unconfirmed = self.filtered(lambda p: not p._bde_days_done_confirmed())
        if unconfirmed:
            raise UserError(
                self.env._(
                    "The days done of %(students)s are not confirmed yet: the "
                    "placement ends once its tutor has confirmed them.",
                    students=", ".join(unconfirmed.student_id.mapped("name")),
                )
            )
        return super().action_done()

    # The life cycle on the placements' dates
    @api.model
    def _cron_pfmp_lifecycle(self):
        """Start the signed placements on their first day and end, the day
        after their last, those whose days done are confirmed; the others
        stay in progress while their tutor is reminded. One search per
        state for every lycée: they all live on Paris time. A second run
        finds nothing to do."""
        placements = self.sudo()
        today = lycee_today()
        to_start = placements.search(
            [("state", "=", "signed"), ("date_start", "<=", today)]
        )
        to_start._bde_automatic_move(
            "action_start", self.env._("Started on its first day (automatic).")
        )
        ended = placements.search(
            [("state", "=", "in_progress"), ("date_end", "<", today)]
        )
        to_end = ended.filtered(lambda p: p._bde_days_done_confirmed())
        to_end._bde_automatic_move(
            "action_done",
            self.env._("Ended after its last day, days done confirmed (automatic)."),
        )

    def _bde_automatic_move(self, step, body):
        """Run the placements' ``step`` on the whole batch; when one of them
        refuses (its own rules), on each in turn, so that the others still
        move and the refused one is named in the log."""
        moving = self.with_context(mail_notrack=True)
        try:
            with self.env.cr.savepoint():
                getattr(moving, step)()
            moved = self
        except (UserError, ValidationError):
            moved = self.browse()
            for placement in moving:
                try:
                    with self.env.cr.savepoint():
                        getattr(placement, step)()
                    moved |= placement
                except (UserError, ValidationError) as error:
                    _logger.warning(
                        "PFMP life cycle: placement %s not moved: %s",
                        placement.id,
                        error,
                    )
        moved._bde_log_automatic_move(body)

    def _bde_log_automatic_move(self, body):
        """One message per placement, written at once: the steps run without
        the state's tracking, which would post them one by one."""
        if self:
            self._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    # Class-level actions, from a period or the placements' list
    def action_bde_start_all(self):
        return self._bde_apply_to_all("start", self.env._("Started"))

    def action_bde_done_all(self):
        return self._bde_apply_to_all("done", self.env._("Ended"))

    def action_bde_send_tutor_links(self):
        return self._bde_apply_to_all("send_link", self.env._("Link sent"))

    def action_bde_print_conventions(self):
        return self._bde_apply_to_all("convention", self.env._("Convention printed"))

    def action_bde_print_attestations(self):
        return self._bde_apply_to_all("attestation", self.env._("Attestation printed"))

    def _bde_apply_to_all(self, action, done_label):
        """Apply one placement's step to every placement of ``self`` that it
        suits, under the same rules as its button, and say which were left
        out and why. A placement the user may not change refuses the whole
        batch, and a step that fails on one placement undoes the others:
        nothing is ever half done."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only the BDE team acts on the placements of a class.")
            )
        printing = action in ("convention", "attestation")
        self.check_access("read" if printing else "write")
        refusals = {placement: placement._bde_refusal(action) for placement in self}
        eligible = self.filtered(lambda placement: not refusals[placement])
        skipped = [
            self.env._("%(student)s: %(reason)s", student=p.student_id.name, reason=r)
            for p, r in refusals.items()
            if r
        ]
        next_action = eligible._bde_run_batch(action)
        return self._bde_summary(done_label, len(eligible), skipped, next_action)

    def _bde_run_batch(self, action):
        if not self:
            return False
        if action == "start":
            self.action_start()
        elif action == "done":
            self.action_done()
        elif action == "send_link":
            for placement in self:
                placement.action_send_tutor_link()
        else:
            report = CONVENTION_REPORT if action == "convention" else ATTESTATION_REPORT
            return self.env.ref(report).report_action(self)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _bde_summary(self, done_label, done_count, skipped, next_action):
        message = self.env._(
            "%(label)s: %(count)s.", label=done_label, count=done_count
        )
        if skipped:
            message += " " + self.env._(
                "Left out: %(placements)s.", placements="; ".join(skipped)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "next": next_action,
            },
        }

    # Why a class-level action leaves a placement out: the rules of its
    # single-placement button, said in words instead of raised.
    def _bde_state_refusal(self, allowed):
        if self.state in allowed:
            return False
        labels = dict(self._fields["state"]._description_selection(self.env))
        return self.env._("the placement is %(state)s", state=labels[self.state])

    def _bde_refusal(self, action):
        self.ensure_one()
        if action == "start":
            return self._bde_state_refusal({"signed"})
        if action == "done":
            refusal = self._bde_state_refusal({"in_progress"})
            if not refusal and not self._bde_days_done_confirmed():
                refusal = self.env._("the days done are not confirmed")
            return refusal
        if action == "send_link":
            refusal = self._bde_state_refusal(HOSTED_STATES)
            if not refusal and not self.tutor_id.email:
                refusal = self.env._("the tutor has no e-mail address")
            return refusal
        if action == "convention":
            return self._bde_state_refusal(HOSTED_STATES)
        return self._bde_state_refusal(ENDED_STATES)
