from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BdePfmpSearchStep(models.Model):
    """One step of a student's search for a host: a company contacted, how,
    when, and its answer. The log shows the referent teacher and the BDE
    where the student stands, and which companies already said no."""

    _name = "bde.pfmp.search.step"
    _description = "PFMP search step"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "contact_date desc, id desc"
    _check_company_auto = True

    student_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("bde_is_student", "=", True)],
    )
    placement_id = fields.Many2one(
        "bde.pfmp.placement",
        string="Placement",
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('student_id', '=', student_id), ('state', '=', 'searching')]",
        help="The placement the student is searching a host for.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    company_name = fields.Char(
        help="Name of the company contacted when it is not in the address book.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Person contacted",
        domain="[('parent_id', '=', partner_id), ('is_company', '=', False)]",
        help="Who answered at the company; becomes the tutor when the company "
        "is taken as host.",
    )
    contact_date = fields.Date(
        string="Contacted on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    mode = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("visit", "Visit"),
            ("website", "Application website"),
            ("forum", "Job forum"),
        ],
        required=True,
        default="phone",
    )
    answer = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("interview", "Interview"),
            ("refused", "Refused"),
            ("accepted", "Accepted"),
        ],
        required=True,
        default="waiting",
        tracking=True,
    )
    answer_date = fields.Date(string="Answered on", tracking=True)
    note = fields.Text()
    placement_state = fields.Selection(related="placement_id.state")

    @api.depends("placement_id", "student_id")
    def _compute_company_id(self):
        for step in self:
            step.company_id = (
                step.placement_id.company_id
                or step.student_id.company_id
                or step.company_id
                or self.env.company
            )

    @api.depends("partner_id", "company_name", "student_id")
    def _compute_display_name(self):
        for step in self:
            step.display_name = self.env._(
                "%(student)s – %(company)s",
                student=step.student_id.name or "",
                company=step.partner_id.name or step.company_name or "",
            )

    @api.constrains("partner_id", "company_name")
    def _check_company_contacted(self):
        for step in self:
            if not step.partner_id and not (step.company_name or "").strip():
                raise ValidationError(
                    self.env._(
                        "Name the company %(student)s contacted.",
                        student=step.student_id.name,
                    )
                )

    @api.constrains("contact_date", "answer_date")
    def _check_dates(self):
        for step in self:
            if step.answer_date and step.answer_date < step.contact_date:
                raise ValidationError(
                    self.env._("A company cannot answer before it is contacted.")
                )

    @api.constrains("student_id", "placement_id")
    def _check_placement_student(self):
        for step in self.filtered("placement_id"):
            if step.placement_id.student_id != step.student_id:
                raise ValidationError(
                    self.env._(
                        "The placement %(placement)s is not one of %(student)s.",
                        placement=step.placement_id.display_name,
                        student=step.student_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._set_answer_date(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._set_answer_date(vals)
        return super().write(vals)

    def _set_answer_date(self, vals):
        """An answer other than waiting is dated the day it is recorded,
        unless the user gives the date."""
        if vals.get("answer") not in (None, "waiting") and "answer_date" not in vals:
            vals["answer_date"] = fields.Date.context_today(self)

    def action_take_host(self):
        """The company accepted: it becomes the host of the placement, the
        person contacted its tutor, and the search is over."""
        self.ensure_one()
        placement = self.placement_id
        if self.answer != "accepted" or not placement:
            raise UserError(
                self.env._(
                    "Only a company that accepted can be taken as host of the "
                    "placement the student is searching for."
                )
            )
        if placement.state != "searching":
            raise UserError(
                self.env._(
                    "The placement of %(student)s already has a host.",
                    student=self.student_id.name,
                )
            )
        if not self.partner_id or not self.contact_id:
            raise UserError(
                self.env._(
                    "Choose the company in the address book and the person "
                    "contacted there (the future tutor) first."
                )
            )
        placement.write(
            {"partner_id": self.partner_id.id, "tutor_id": self.contact_id.id}
        )
        placement.action_host_found()
        placement.message_post(
            body=self.env._(
                "Host found through the search log: %(host)s.",
                host=self.partner_id.name,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "bde.pfmp.placement",
            "res_id": placement.id,
            "view_mode": "form",
            "target": "current",
        }
