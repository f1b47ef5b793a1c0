from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.bde_lycee.school_year import school_year_bounds


class BdePfmpPeriod(models.Model):
    """A PFMP period of a class: the weeks its students spend in the workplace.

    The placements of the whole class are created from it in one action."""

    _name = "bde.pfmp.period"
    _description = "PFMP period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, class_id, id"

    name = fields.Char(
        required=True,
        default=lambda self: self.env._("PFMP"),
        tracking=True,
        help="Short name of the period, e.g. PFMP 2.",
    )
    class_id = fields.Many2one(
        "bde.class",
        required=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="class_id.company_id", string="Lycée", store=True, precompute=True
    )
    school_year = fields.Char(related="class_id.school_year", store=True)
    formation_id = fields.Many2one(related="class_id.formation_id", store=True)
    date_start = fields.Date(string="Start date", required=True, tracking=True)
    date_end = fields.Date(string="End date", required=True, tracking=True)
    note = fields.Html()
    placement_ids = fields.One2many(
        "bde.pfmp.placement", "period_id", string="Placements"
    )
    placement_count = fields.Integer(compute="_compute_placement_count")
    active = fields.Boolean(default=True)

    @api.depends("placement_ids")
    def _compute_placement_count(self):
        counts = dict(
            self.env["bde.pfmp.placement"]._read_group(
                [("period_id", "in", self.ids)], ["period_id"], ["__count"]
            )
        )
        for period in self:
            period.placement_count = counts.get(period, 0)

    @api.constrains("date_start", "date_end", "class_id")
    def _check_dates(self):
        for period in self:
            if period.date_end < period.date_start:
                raise ValidationError(
                    self.env._(
                        "The period %(name)s ends before it starts.", name=period.name
                    )
                )
            first_day, last_day = school_year_bounds(period.class_id.school_year)
            if period.date_start < first_day or period.date_end > last_day:
                raise ValidationError(
                    self.env._(
                        "The period %(name)s must lie within the school year "
                        "%(year)s of its class (%(first)s to %(last)s).",
                        name=period.name,
                        year=period.class_id.school_year,
                        first=first_day,
                        last=last_day,
                    )
                )

    @api.depends("name", "class_id", "date_start", "date_end")
    def _compute_display_name(self):
        for period in self:
            period.display_name = f"{period.name} – {period.class_id.name or ''}"

    def action_create_placements(self):
        """One placement (still searching for a host) per student of the class
        who has none in this period yet; running it again adds only the
        students who joined the class since."""
        placements = self.env["bde.pfmp.placement"]
        for period in self:
            vals_list = period._prepare_placement_values_list()
            placements |= placements.create(vals_list)
        if not placements:
            raise UserError(
                self.env._(
                    "Every student of the class already has a placement in this "
                    "period (or the class has no student)."
                )
            )
        return self.action_view_placements()

    def _prepare_placement_values_list(self):
        self.ensure_one()
        placed = self.placement_ids.student_id
        students = self.class_id.student_ids.filtered(
            lambda student: student.bde_is_student and student not in placed
        )
        return [self._prepare_placement_values(student) for student in students]

    def _prepare_placement_values(self, student):
        self.ensure_one()
        return {
            "student_id": student.id,
            "class_id": self.class_id.id,
            "period_id": self.id,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "state": "searching",
        }

    def action_view_placements(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bde_pfmp.bde_pfmp_placement_action"
        )
        action["domain"] = [("period_id", "in", self.ids)]
        if len(self) == 1:
            action["context"] = {
                "default_period_id": self.id,
                "default_class_id": self.class_id.id,
            }
        return action

    # Class-level actions on the period's placements (see the placement's
    # action_bde_*): the same rules as each placement's button.
    def action_bde_start_all(self):
        return self.placement_ids.action_bde_start_all()

    def action_bde_done_all(self):
        return self.placement_ids.action_bde_done_all()

    def action_bde_send_tutor_links(self):
        return self.placement_ids.action_bde_send_tutor_links()

    def action_bde_print_conventions(self):
        return self.placement_ids.action_bde_print_conventions()

    def action_bde_print_attestations(self):
        return self.placement_ids.action_bde_print_attestations()
