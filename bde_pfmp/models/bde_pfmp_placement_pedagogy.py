from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import is_html_empty

from .bde_pfmp_placement_rules import CREATE_STATES, HEAD_OF_SCHOOL_GROUP

PEDAGOGY_STATES = [
    ("to_validate", "To validate"),
    ("validated", "Validated"),
    ("refused", "Refused"),
]
# What the referent teacher validates in the pedagogical annex: changed
# before the convention is signed, it asks for a new validation.
PEDAGOGY_CONTENT_FIELDS = {
    "date_start",
    "date_end",
    "activities_planned",
    "skills_planned",
    "hours_per_day",
    "hours_per_week",
    "tutor_id",
    "partner_id",
}
# The annex is reviewed while the host is known and the convention unsigned.
REVIEW_STATES = {"host_found", "to_sign"}
PEDAGOGY_ACTIVITY = "bde_pfmp.mail_activity_type_pfmp_pedagogy"
REFUSED_ACTIVITY = "bde_pfmp.mail_activity_type_pfmp_pedagogy_refused"


class BdePfmpPlacement(models.Model):
    _inherit = "bde.pfmp.placement"

    # Pedagogical validation, before the convention goes out for signature
    pedagogy_state = fields.Selection(
        PEDAGOGY_STATES,
        string="Pedagogical annex",
        required=True,
        default="to_validate",
        readonly=True,
        tracking=True,
        copy=False,
        help="The referent teacher (or the DDFPT) validates the activities, "
        "skills, dates and hours planned before the convention is sent for "
        "signature, or refuses them with a reason sent to the student.",
    )
    pedagogy_validated_by_id = fields.Many2one(
        "res.users", string="Annex validated by", readonly=True, copy=False
    )
    pedagogy_validated_date = fields.Date(
        string="Annex validated on", readonly=True, copy=False
    )
    pedagogy_refusal_reason = fields.Text(
        string="Reason for refusing the annex", readonly=True, copy=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        placements = super().create(vals_list)
        placements.filtered(
            lambda placement: placement.state == "to_sign"
        )._bde_ask_pedagogy_validation()
        return placements

    def write(self, vals):
        to_review = self._bde_pedagogy_changed_by(vals)
        res = super().write(vals)
        if to_review:
            to_review._write_trusted(
                {
                    "pedagogy_state": "to_validate",
                    "pedagogy_validated_by_id": False,
                    "pedagogy_validated_date": False,
                }
            )
            to_review.filtered(
                lambda placement: placement.state == "to_sign"
            )._bde_ask_pedagogy_validation()
        return res

    def _bde_pedagogy_changed_by(self, vals):
        """The placements whose reviewed annex ``vals`` changes before their
        convention is signed."""
        names = PEDAGOGY_CONTENT_FIELDS & vals.keys()
        if not names:
            return self.browse()
        return self.filtered(
            lambda placement: (
                placement.state in CREATE_STATES
                and placement.pedagogy_state != "to_validate"
                and any(placement._bde_changes(name, vals[name]) for name in names)
            )
        )

    def action_to_sign(self):
        res = super().action_to_sign()
        self._bde_ask_pedagogy_validation()
        return res

    def _bde_ask_pedagogy_validation(self):
        """One activity for the referent teacher: validate the annex."""
        activity_type = self.env.ref(PEDAGOGY_ACTIVITY)
        for placement in self.sudo():
            if placement.pedagogy_state == "validated" or not placement.teacher_id:
                continue
            if placement.activity_ids.filtered(
                lambda activity: activity.activity_type_id == activity_type
            ):
                continue
            placement.activity_schedule(
                PEDAGOGY_ACTIVITY,
                user_id=placement.teacher_id.id,
                note=self.env._(
                    "Validate the activities, skills, dates and hours planned "
                    "for %(student)s at %(host)s, or refuse them with a reason.",
                    student=placement.student_id.name,
                    host=placement.partner_id.name,
                ),
            )

    def action_bde_validate_pedagogy(self):
        self._bde_check_pedagogy_review()
        for placement in self:
            placement._bde_check_annex_filled()
        self._write_trusted(
            {
                "pedagogy_state": "validated",
                "pedagogy_validated_by_id": self.env.user.id,
                "pedagogy_validated_date": fields.Date.context_today(self),
                "pedagogy_refusal_reason": False,
            }
        )
        self._bde_close_pedagogy_activity(self.env._("Pedagogical annex validated."))

    def action_bde_refuse_pedagogy(self):
        """Refusing asks for the reason in a dialog."""
        self._bde_check_pedagogy_review()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse the pedagogical annex"),
            "res_model": "bde.pfmp.pedagogy.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_placement_ids": self.ids},
        }

    def _bde_refuse_pedagogy(self, reason):
        """The annex goes back to the student (and their legal guardian)
        with the reason, and to the BDE; the placement stays to sign."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason first."))
        self._bde_check_pedagogy_review()
        self._write_trusted(
            {
                "pedagogy_state": "refused",
                "pedagogy_refusal_reason": reason,
                "pedagogy_validated_by_id": False,
                "pedagogy_validated_date": False,
            }
        )
        self._bde_close_pedagogy_activity(reason)
        for placement in self:
            placement._bde_send_pedagogy_refusal(reason)
            placement._bde_alert_pedagogy_refused(reason)

    def _bde_check_pedagogy_review(self):
        """The placement's referent teacher, or a head of school / DDFPT of
        its lycée, reviews the annex of a placement not yet out for
        signature."""
        user = self.env.user
        is_head = user.has_group(HEAD_OF_SCHOOL_GROUP)
        for placement in self:
            reviewer = placement.company_id in user.company_ids and (
                placement.teacher_id == user or is_head
            )
            if not (self.env.su or reviewer):
                raise AccessError(
                    self.env._(
                        "Only the referent teacher of %(student)s or the DDFPT "
                        "of the lycée reviews the pedagogical annex.",
                        student=placement.student_id.name,
                    )
                )
            placement._check_state_from(REVIEW_STATES)
            if placement.sign_request_id.state == "0_sent":
                raise UserError(
                    self.env._(
                        "The convention of %(student)s is out for signature: "
                        "cancel the signature request before reviewing its "
                        "annex again.",
                        student=placement.student_id.name,
                    )
                )

    def _bde_check_annex_filled(self):
        self.ensure_one()
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("activities_planned", "skills_planned")
            if is_html_empty(self[name])
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Fill in the pedagogical annex of %(student)s's placement "
                    "before validating it: %(missing)s.",
                    student=self.student_id.name,
                    missing=", ".join(missing),
                )
            )

    def _bde_close_pedagogy_activity(self, feedback):
        activity_type = self.env.ref(PEDAGOGY_ACTIVITY)
        self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ).action_feedback(feedback=feedback)

    def _bde_send_pedagogy_refusal(self, reason):
        """By e-mail to the student, and to the legal guardian of a minor;
        kept in the chatter."""
        self.ensure_one()
        recipients = self.student_id
        if self.is_minor:
            recipients |= self.student_id.bde_legal_guardian_id
        self.message_post(
            subject=self.env._("Your placement's pedagogical annex is refused"),
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "The pedagogical annex of the placement at %(host)s "
                    "(activities, skills, dates and hours planned) is refused "
                    "by %(reviewer)s:",
                    host=self.partner_id.name,
                    reviewer=self.env.user.name,
                ),
                reason,
            ),
            partner_ids=recipients.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _bde_alert_pedagogy_refused(self, reason):
        """One activity for each BDE manager of the lycée."""
        self.ensure_one()
        for user in self._bde_pedagogy_officers():
            self.sudo().activity_schedule(
                REFUSED_ACTIVITY,
                user_id=user.id,
                note=self.env._(
                    "The pedagogical annex of %(student)s's placement at "
                    "%(host)s was refused: %(reason)s",
                    student=self.student_id.name,
                    host=self.partner_id.name,
                    reason=reason,
                ),
            )

    def _bde_pedagogy_officers(self):
        """The BDE team of the placement's lycée, heads of school left out
        unless nobody else runs the BDE."""
        self.ensure_one()
        officers = self.company_id._bde_officer_users()
        heads = officers.filtered(lambda user: user.has_group(HEAD_OF_SCHOOL_GROUP))
        return (officers - heads) or officers
