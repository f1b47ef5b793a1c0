from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError

from ..school_year import lycee_today, school_year_bounds


class BdeLyceeReport(models.Model):
    """The records behind each figure of a lycée's school year: the same
    records the view's SQL counts, opened for the lycée's staff."""

    _inherit = "bde.lycee.report"

    def _get_dates(self):
        """First and last day of the row's school year, and the day its
        stocks are counted on (its end, today for the current year)."""
        self.ensure_one()
        date_start, date_end = school_year_bounds(self.school_year)
        return date_start, date_end, min(date_end, lycee_today())

    def _get_figure_domains(self):
        """The records each figure counts, as the view's SQL counts them:
        ``{field: (model, domain)}``. Modules that add figures add theirs."""
        self.ensure_one()
        start, end, ref = self._get_dates()
        lycee = [("company_id", "=", self.company_id.id)]
        # Timestamps of the school year, from its first day to the next one.
        moment_start = datetime.combine(start, time.min)
        moment_end = datetime.combine(end + relativedelta(days=1), time.min)
        signed = [
            ("date_signed_lycee", "<=", end),
            ("date_signed_partner", "<=", end),
            "|",
            ("date_signed_lycee", ">=", start),
            ("date_signed_partner", ">=", start),
        ]
        ended_by = min(end, lycee_today())
        events_held = lycee + [
            ("bde_is_bde_event", "=", True),
            ("date_begin", ">=", moment_start),
            ("date_begin", "<", moment_end),
            ("date_end", "<", fields.Datetime.now()),
        ]
        team = self.env.ref("bde_lycee.crm_team_bde", raise_if_not_found=False)
        convention = "bde.partnership.convention"
        return {
            "partner_active_count": (
                "bde.partner.relation",
                lycee
                + [
                    ("date_partner_since", "<=", ref),
                    "|",
                    ("status", "=", "active"),
                    "&",
                    ("status", "=", "former"),
                    ("date_status", ">", ref),
                ],
            ),
            "partner_prospect_count": (
                "bde.partner.relation",
                lycee + [("status", "=", "prospect"), ("date_status", "<=", ref)],
            ),
            "convention_active_count": (
                convention,
                lycee
                + [
                    ("state", "in", ["active", "expired", "renewed", "terminated"]),
                    ("date_start", "<=", ref),
                    ("date_end", ">=", ref),
                    "|",
                    ("date_terminated", "=", False),
                    ("date_terminated", ">", ref),
                ],
            ),
            "convention_signed_count": (convention, lycee + signed),
            "convention_renewed_count": (
                convention,
                lycee + signed + [("renewed_from_id", "!=", False)],
            ),
            "convention_ended_count": (
                convention,
                lycee
                + [
                    ("state", "in", ["expired", "terminated"]),
                    "|",
                    "&",
                    ("date_terminated", "!=", False),
                    "&",
                    ("date_terminated", ">=", start),
                    ("date_terminated", "<=", ended_by),
                    "&",
                    ("date_terminated", "=", False),
                    "&",
                    ("date_end", ">=", start),
                    ("date_end", "<=", ended_by),
                ],
            ),
            "lead_count": (
                "crm.lead",
                lycee
                + [
                    ("team_id", "=", team.id if team else False),
                    ("active", "in", [True, False]),
                    ("create_date", ">=", moment_start),
                    ("create_date", "<", moment_end),
                ],
            ),
            "event_count": ("event.event", events_held),
            "event_attendance": (
                "event.registration",
                [("state", "=", "done"), ("event_id", "any", events_held)],
            ),
            "event_partner_count": (
                "bde.event.participation",
                [("state", "=", "attended"), ("event_id", "any", events_held)],
            ),
            "skill_need_headcount": (
                "bde.skill.need",
                lycee + [("date", ">=", start), ("date", "<=", end)],
            ),
            "tax_amount_promised": (
                "bde.tax.pledge",
                lycee + [("year", "=", end.year)],
            ),
            "class_count": (
                "bde.class",
                lycee
                + [
                    ("school_year", "=", self.school_year),
                    ("active", "in", [True, False]),
                ],
            ),
            "student_count": (
                "res.partner",
                [
                    ("bde_is_student", "=", True),
                    ("bde_class_id.school_year", "=", self.school_year),
                    ("bde_class_id.company_id", "=", self.company_id.id),
                ],
            ),
        }

    def action_open_figure(self):
        """The records behind the figure named by the button's context
        (``bde_figure``), read with the user's own rights: the network
        reader, who reads figures only, is refused here and by the records'
        rules."""
        self.ensure_one()
        if not self.env.user.has_group("bde_lycee.group_bde_user"):
            raise AccessError(
                self.env._(
                    "The records behind the figures are read by the lycée's staff."
                )
            )
        name = self.env.context.get("bde_figure")
        model, domain = self._get_figure_domains()[name]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(figure)s – %(lycee)s, %(year)s",
                figure=self._fields[name]._description_string(self.env),
                lycee=self.lycee_name,
                year=self.school_year,
            ),
            "res_model": model,
            "domain": domain,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False, "active_test": False},
        }
