from odoo import models
from odoo.exceptions import UserError

from .bde_host_rating import MAX_SCORE, MIN_SCORE
from .bde_pfmp_placement import ENDED_STATES

# A student's comment on their host is a few lines.
STUDENT_COMMENT_MAX_LENGTH = 2000


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    def _bde_portal_domain(self, students):
        """The placements of ``students`` shown in the students' and
        families' space: those of their own lycée, not cancelled."""
        return [
            ("student_id", "in", students.ids),
            ("company_id", "in", students.company_id.ids),
            ("state", "!=", "cancelled"),
        ]

    def _bde_student_rating(self):
        """The student's own rating of the host, if given."""
        self.ensure_one()
        return self.sudo().rating_ids.filtered(
            lambda rating: rating.rater_type == "student"
        )

    def _bde_student_rate_host(self, score, comment, student):
        """The student rates their host once the placement has ended, once:
        a rating "by the student" that counts in the host's average like the
        teacher's and the tutor's. Called by the portal as superuser once the
        caller is known to be ``student``."""
        self.ensure_one()
        if student != self.student_id:
            raise UserError(self.env._("Only the student rates the host here."))
        if self.state not in ENDED_STATES:
            raise UserError(
                self.env._("You can rate your host once the placement has ended.")
            )
        if self._bde_student_rating():
            raise UserError(self.env._("You have already rated this host."))
        if not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
            raise UserError(
                self.env._(
                    "Give a score from %(min)s to %(max)s.",
                    min=MIN_SCORE,
                    max=MAX_SCORE,
                )
            )
        comment = (comment or "").strip()
        if len(comment) > STUDENT_COMMENT_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "The comment is limited to %(max)s characters.",
                    max=STUDENT_COMMENT_MAX_LENGTH,
                )
            )
        return (
            self.env["bde.host.rating"]
            .sudo()
            .create(
                {
                    "placement_id": self.id,
                    "rater_type": "student",
                    "rater_partner_id": student.id,
                    "score": score,
                    "comment": comment or False,
                }
            )
        )
