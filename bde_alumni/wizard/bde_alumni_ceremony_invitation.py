from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.bde_lycee.school_year import school_year_of


class BdeAlumniCeremonyInvitation(models.TransientModel):
    """Prepares the invitation mailing of a diploma ceremony: the graduating
    classes, their families, the tutors of their placements and the lycée's
    partner companies, each person once and only when they can be e-mailed."""

    _name = "bde.alumni.ceremony.invitation"
    _description = "Diploma ceremony invitation"

    event_id = fields.Many2one("event.event", string="Ceremony", required=True)
    class_ids = fields.Many2many(
        "bde.class",
        string="Graduating classes",
        compute="_compute_class_ids",
        store=True,
        readonly=False,
        domain="[('is_final_year', '=', True)]",
        help="Final-year classes whose students are celebrated; by default "
        "those of the ceremony's school year.",
    )
    graduate_ids = fields.Many2many(
        "res.partner",
        "bde_alumni_ceremony_invitation_graduate_rel",
        string="Graduates",
        compute="_compute_recipients",
    )
    family_ids = fields.Many2many(
        "res.partner",
        "bde_alumni_ceremony_invitation_family_rel",
        string="Families",
        compute="_compute_recipients",
    )
    tutor_ids = fields.Many2many(
        "res.partner",
        "bde_alumni_ceremony_invitation_tutor_rel",
        string="Tutors",
        compute="_compute_recipients",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "bde_alumni_ceremony_invitation_partner_rel",
        string="Partner companies",
        compute="_compute_recipients",
    )
    graduate_count = fields.Integer(compute="_compute_recipients")
    family_count = fields.Integer(compute="_compute_recipients")
    tutor_count = fields.Integer(compute="_compute_recipients")
    partner_count = fields.Integer(
        string="Partner count", compute="_compute_recipients"
    )
    recipient_count = fields.Integer(string="Invited", compute="_compute_recipients")

    @api.depends("event_id")
    def _compute_class_ids(self):
        for wizard in self:
            event = wizard.event_id
            if not event.date_begin:
                wizard.class_ids = False
                continue
            domain = [
                ("is_final_year", "=", True),
                ("school_year", "=", school_year_of(event.date_begin.date())),
            ]
            if event.company_id:
                domain.append(("company_id", "=", event.company_id.id))
            wizard.class_ids = self.env["bde.class"].search(domain)

    @api.depends("class_ids")
    def _compute_recipients(self):
        for wizard in self:
            recipients = wizard._get_recipients()
            wizard.graduate_ids = recipients["graduates"]
            wizard.family_ids = recipients["families"]
            wizard.tutor_ids = recipients["tutors"]
            wizard.partner_ids = recipients["partners"]
            wizard.graduate_count = len(recipients["graduates"])
            wizard.family_count = len(recipients["families"])
            wizard.tutor_count = len(recipients["tutors"])
            wizard.partner_count = len(recipients["partners"])
            wizard.recipient_count = sum(len(group) for group in recipients.values())

    def _get_recipients(self):
        """Who is invited, by category; a person in several categories counts
        in the first one only (graduates, families, tutors, partners)."""
        self.ensure_one()
        classes = self.class_ids._origin
        students = self._get_class_members(classes)
        graduates = students.filtered(
            lambda person: not person.bde_is_alumni or person.bde_alumni_contact_consent
        )
        families = graduates.bde_legal_guardian_id - graduates
        # sudo: a tutor is invited to the ceremony of the students they
        # tutored, even when the officer does not follow that placement.
        placements = (
            self.env["bde.pfmp.placement"]
            .sudo()
            .search([("student_id", "in", students.ids)])
        )
        tutors = self.env["res.partner"].browse(placements.tutor_id.ids)
        tutors -= graduates | families
        partners = (
            self._get_partner_contacts(placements) - graduates - families - tutors
        )
        return {
            "graduates": self._with_email(graduates),
            "families": self._with_email(families),
            "tutors": self._with_email(tutors),
            "partners": self._with_email(partners),
        }

    def _get_class_members(self, classes):
        """The classes' students still at school and those who left from
        them (graduated alumni)."""
        if not classes:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [
                "|",
                "&",
                ("bde_is_student", "=", True),
                ("bde_class_id", "in", classes.ids),
                ("bde_exit_class_id", "in", classes.ids),
            ]
        )

    def _get_partner_contacts(self, placements):
        """The companies that hosted the graduates and the active partners of
        the ceremony's lycée, with their contacts."""
        Partner = self.env["res.partner"]
        lycee = self.event_id.company_id or self.env.company
        companies = placements.partner_id.commercial_partner_id
        companies |= Partner.search(
            [
                ("is_company", "=", True),
                *Partner._bde_partner_status_domain("active", lycee),
            ]
        )
        if not companies:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [
                ("commercial_partner_id", "in", companies.ids),
                ("bde_is_student", "=", False),
                ("bde_is_alumni", "=", False),
            ]
        )

    def _with_email(self, partners):
        return partners.filtered("email_normalized")

    def action_create_mailing(self):
        """Open a draft mailing to exactly these people: the BDE reviews the
        text and sends it."""
        self.ensure_one()
        recipients = (
            self.graduate_ids | self.family_ids | self.tutor_ids | self.partner_ids
        )
        if not recipients:
            raise UserError(
                self.env._(
                    "Nobody to invite: the classes have no student, family, tutor "
                    "or partner with an e-mail address (alumni only when they "
                    "agreed to be contacted)."
                )
            )
        values = self.event_id._prepare_bde_invitation_values()
        values.update(
            mailing_model_id=self.env["ir.model"]._get_id("res.partner"),
            mailing_domain=repr([("id", "in", recipients.ids)]),
            contact_list_ids=[fields.Command.clear()],
        )
        mailing = self.env["mailing.mailing"].create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invitation"),
            "res_model": "mailing.mailing",
            "res_id": mailing.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
