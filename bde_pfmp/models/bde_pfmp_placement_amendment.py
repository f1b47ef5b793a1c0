from odoo import api, fields, models
from odoo.exceptions import UserError

from .bde_pfmp_amendment import AMENDABLE_STATES, AMENDED_FIELDS, OPEN_STATES

# A plain write of these on a signed convention needs an amendment; the
# period moves the dates with it.
AMENDMENT_ONLY_FIELDS = {*AMENDED_FIELDS, "period_id"}


class BdePfmpPlacement(models.Model):
    """The amendments of a signed convention: its dates, tutor, hours and
    site change only through a signed amendment, which the placement keeps
    as its history."""

    _inherit = "bde.pfmp.placement"

    amendment_ids = fields.One2many(
        "bde.pfmp.amendment", "placement_id", string="Amendments"
    )
    amendment_count = fields.Integer(
        string="Number of amendments", compute="_compute_amendment_count"
    )

    @api.depends("amendment_ids")
    def _compute_amendment_count(self):
        counts = self._count_by_placement("bde.pfmp.amendment")
        for placement in self:
            placement.amendment_count = counts.get(placement, 0)

    def _check_write_rules(self, vals):
        """Once the convention is signed, what it says of the dates, the
        tutor, the hours and the site is changed by an amendment that its
        parties sign; the same values written again change nothing."""
        if not self.env.su:
            self._bde_check_amendment_needed(vals)
        return super()._check_write_rules(vals)

    def _bde_check_amendment_needed(self, vals):
        names = AMENDMENT_ONLY_FIELDS & vals.keys()
        if not names:
            return
        signed = self.filtered(
            lambda placement: (
                placement.state in AMENDABLE_STATES
                and any(
                    placement._bde_value_changes(name, vals[name]) for name in names
                )
            )
        )
        if signed:
            raise UserError(
                self.env._(
                    "The convention of %(students)s is signed: its dates, tutor, "
                    "weekly hours and site change through an amendment signed "
                    "by the parties (button “Amend”).",
                    students=", ".join(signed.student_id.mapped("name")),
                )
            )

    def _bde_value_changes(self, name, value):
        field = self._fields[name]
        return field.convert_to_cache(value, self) != field.convert_to_cache(
            self[name], self
        )

    def _write_trusted(self, vals):
        res = super()._write_trusted(vals)
        if vals.get("state") and vals["state"] not in AMENDABLE_STATES:
            self._bde_cancel_open_amendments()
        return res

    def _bde_cancel_open_amendments(self):
        """A placement done, cancelled or interrupted is amended no more: the
        amendments under way are cancelled, their requests withdrawn."""
        # As superuser: the step's user may not read every amendment.
        open_amendments = (
            self.env["bde.pfmp.amendment"]
            .sudo()
            .search(
                [("placement_id", "in", self.ids), ("state", "in", list(OPEN_STATES))]
            )
        )
        open_amendments._bde_cancel()
        for amendment in open_amendments:
            amendment.message_post(
                body=self.env._("Cancelled: the placement is no longer under way.")
            )

    def _bde_check_amendable(self):
        """An amendment changes a signed convention whose period is not
        over, one at a time."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for placement in self:
            if placement.state not in AMENDABLE_STATES:
                raise UserError(
                    self.env._(
                        "The placement of %(student)s is %(state)s: only a signed "
                        "convention of a placement not over yet is amended.",
                        student=placement.student_id.name,
                        state=labels[placement.state],
                    )
                )
        # As superuser: an amendment the user cannot read still counts.
        open_amendments = (
            self.env["bde.pfmp.amendment"]
            .sudo()
            .search(
                [("placement_id", "in", self.ids), ("state", "in", list(OPEN_STATES))]
            )
        )
        if open_amendments:
            raise UserError(
                self.env._(
                    "%(amendment)s of %(student)s is in progress: sign or cancel "
                    "it before making another one.",
                    amendment=open_amendments[0].name,
                    student=open_amendments[0].student_id.name,
                )
            )

    def _bde_next_amendment_numbers(self):
        """{placement: the number of its next amendment}."""
        groups = (
            self.env["bde.pfmp.amendment"]
            .sudo()
            ._read_group(
                [("placement_id", "in", self.ids)], ["placement_id"], ["sequence:max"]
            )
        )
        last = dict(groups)
        return {placement: (last.get(placement) or 0) + 1 for placement in self}

    def _bde_apply_amendment(self, amendment):
        """The amendment signed: the placement takes its new values through
        its own write (allowance and days done follow), and its chatter
        records what changed."""
        self.ensure_one()
        self._bde_check_amendable_now(amendment)
        self._write_trusted(amendment._bde_new_values())
        self.message_post(
            body=amendment._bde_history_message(),
            subtype_xmlid="mail.mt_note",
        )

    def _bde_check_amendable_now(self, amendment):
        if self.state not in AMENDABLE_STATES:
            raise UserError(
                self.env._(
                    "The placement of %(student)s is no longer under way: "
                    "%(amendment)s cannot change it. Cancel the amendment.",
                    student=self.student_id.name,
                    amendment=amendment.name,
                )
            )

    def action_view_amendments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_amendment_action"
        )
        action["domain"] = [("placement_id", "=", self.id)]
        action["context"] = {"default_placement_id": self.id}
        return action

    def action_bde_new_amendment(self):
        """Open a new amendment of this convention, its values the current
        ones until changed."""
        self.ensure_one()
        self._bde_check_amendable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New amendment"),
            "res_model": "bde.pfmp.amendment",
            "view_mode": "form",
            "target": "current",
            "context": {"default_placement_id": self.id},
        }
