import base64
import io
from collections import Counter
from datetime import date, datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..school_year import school_year_bounds, school_year_of
from .bde_yearly_report_xlsx import write_yearly_report

# Until 1 November the board looks back on the year just finished: its
# figures are known, the new year's barely started.
REPORT_LOOKS_BACK_UNTIL = (11, 1)
# School years offered: the current one and the five before.
SCHOOL_YEARS_OFFERED = 6
# States of a convention once in force (a signed one starts later).
IN_FORCE_STATES = ("active", "expired", "renewed", "terminated")


class BdeYearlyReportWizard(models.TransientModel):
    """The BDE's yearly report for the board (conseil d'administration) and
    the académie: one lycée, one school year, organised by the circular's
    annex (its 8 expectations) and the Lycée des métiers label's criteria 4
    and 8, as a PDF and as an XLSX of the same figures.

    Figures are computed in Python, one method per section, and read as
    superuser restricted by hand to the wizard's lycée: the record rule
    keeps the wizard to its creator and their lycées. The report names no
    person but the BDE manager and the head of school, and no student."""

    _name = "bde.yearly.report.wizard"
    _description = "Yearly BDE report"

    company_id = fields.Many2one(
        "res.company",
        string="Lycée",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    school_year = fields.Selection(
        selection="_selection_school_year",
        required=True,
        default=lambda self: self._default_school_year(),
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def _selection_school_year(self):
        start = int(school_year_of(fields.Date.context_today(self))[:4])
        return [
            (f"{year}-{year + 1}", f"{year}-{year + 1}")
            for year in range(start, start - SCHOOL_YEARS_OFFERED, -1)
        ]

    @api.model
    def _default_school_year(self):
        return self._default_school_year_on(fields.Date.context_today(self))

    @api.model
    def _default_school_year_on(self, today):
        current = school_year_of(today)
        start = int(current[:4])
        if today < date(start, *REPORT_LOOKS_BACK_UNTIL):
            return f"{start - 1}-{start}"
        return current

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("bde_lycee.action_report_bde_yearly").report_action(self)

    def action_download_xlsx(self):
        self.ensure_one()
        self.write(
            {
                "file": base64.b64encode(self._build_xlsx()),
                "filename": self._get_file_name() + ".xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field=file"
            "&filename_field=filename&download=true",
            "target": "self",
        }

    def _get_file_name(self):
        self.ensure_one()
        return self.env._(
            "BDE yearly report %(uai)s %(year)s",
            uai=self.company_id.bde_uai or self.company_id.name,
            year=self.school_year,
        )

    def _build_xlsx(self):
        output = io.BytesIO()
        write_yearly_report(output, self, self._get_sections())
        return output.getvalue()

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    def _get_sections(self):
        """The report's sections in their order."""
        return sorted(self._get_yearly_figures().values(), key=lambda s: s["sequence"])

    def _get_yearly_figures(self):
        """Every figure of the report, by section: ``{key: section}``, where a
        section is ``{"sequence", "title", "facts", "figures", "tables",
        "lists"}`` (see _section). The territory, label and tax sections
        (bde_yearly_report_label.py), bde_pfmp and bde_alumni add theirs with
        super()."""
        self.ensure_one()
        if not self.company_id:
            raise UserError(self.env._("Choose the lycée of the report."))
        return {
            "organisation": self._get_organisation_section(),
            "place": self._get_place_section(),
            "entry_point": self._get_entry_point_section(),
            "teachers": self._get_teachers_section(),
            "joint_actions": self._get_joint_actions_section(),
        }

    @api.model
    def _section(self, sequence, title, facts=(), figures=(), tables=(), lists=()):
        """A section of the report: ``facts`` are (label, text) pairs,
        ``figures`` (label, number) pairs, one number each; a table is
        ``{"title", "columns", "rows", "total"}`` whose total row is the sum
        of its rows; a list is ``{"title", "items"}`` of names."""
        return {
            "sequence": sequence,
            "title": title,
            "facts": list(facts),
            "figures": list(figures),
            "tables": list(tables),
            "lists": list(lists),
        }

    @api.model
    def _figure_table(self, title, columns, rows, with_total=True):
        """A table whose last row sums each numeric column of ``rows``; rates
        do not add up: their tables have no total (``with_total=False``)."""
        total = None
        if with_total:
            total = [self.env._("Total")] + [
                sum(row[index] for row in rows) for index in range(1, len(columns))
            ]
        return {"title": title, "columns": columns, "rows": rows, "total": total}

    def _format_figure(self, value):
        """A figure as the report prints it, in the report's language."""
        if isinstance(value, float):
            return formatLang(self.env, value, digits=2)
        return formatLang(self.env, value, digits=0)

    def _get_period(self):
        """First and last day of the school year, and the day stocks (partners,
        conventions in force) are counted on: its last day, or today while it
        runs."""
        start, end = school_year_bounds(self.school_year)
        return start, end, min(end, fields.Date.context_today(self))

    def _get_datetime_period(self):
        start, end, _on = self._get_period()
        return datetime.combine(start, time.min), datetime.combine(end, time.max)

    def _sudo(self, model):
        return self.env[model].sudo().with_context(active_test=False)

    # Section 0: the BDE's organisation and resources (circular, section 5)

    def _get_organisation_section(self):
        lycee = self.company_id.sudo()
        statuses = dict(
            lycee._fields["bde_manager_status"]._description_selection(self.env)
        )
        return self._section(
            0,
            self.env._("The BDE's organisation and resources"),
            facts=[
                (self.env._("BDE manager"), lycee.bde_manager_id.name or ""),
                (
                    self.env._("Status of the BDE manager"),
                    statuses.get(lycee.bde_manager_status, ""),
                ),
                (self.env._("Pooled with"), lycee.bde_pooled_with or ""),
                (self.env._("Head of school"), lycee.bde_head_of_school or ""),
                (self.env._("Where the BDE is"), lycee.bde_location or ""),
                (self.env._("Opening hours"), lycee.bde_opening_hours or ""),
            ],
            figures=[
                (
                    self.env._("BDE manager's time (hours a week)"),
                    lycee.bde_manager_time,
                ),
                (
                    self.env._("Pacte missions 'school-company link'"),
                    lycee.bde_pacte_mission_count,
                ),
            ],
        )

    # Expectation 1: a place in the lycée, identified and easy to reach

    def _get_place_section(self):
        lycee = self.company_id.sudo()
        return self._section(
            1,
            self.env._("1. A place in the lycée, identified and easy to reach"),
            facts=[
                (self.env._("Where the BDE is"), lycee.bde_location or ""),
                (self.env._("Opening hours"), lycee.bde_opening_hours or ""),
                (self.env._("BDE phone"), lycee.bde_phone or ""),
                (self.env._("BDE e-mail"), lycee.bde_email or ""),
                (self.env._("Public page"), f"{lycee.get_base_url()}/bde"),
            ],
        )

    # Expectation 2: the lycée's entry point for every professional partner

    def _get_lycee_report_row(self):
        """The lycée's row of bde.lycee.report for the school year: the
        figures the académie compares, which the report repeats rather than
        counting them twice. A year without classes has no row: zeros."""
        # The view reads many tables the ORM does not know it depends on:
        # write what is pending, forget what was read of it.
        self.env.flush_all()
        self.env["bde.lycee.report"].invalidate_model()
        row = self._sudo("bde.lycee.report").search(
            [
                ("company_id", "=", self.company_id.id),
                ("school_year", "=", self.school_year),
            ],
            limit=1,
        )
        return row or self._sudo("bde.lycee.report")

    def _get_active_relations(self):
        """The lycée's partnerships active on the day stocks are counted, as
        bde.lycee.report counts them: active since that day or before, or
        become former after it."""
        _start, _end, on = self._get_period()
        return self._sudo("bde.partner.relation").search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_partner_since", "<=", on),
                "|",
                ("status", "=", "active"),
                "&",
                ("status", "=", "former"),
                ("date_status", ">", on),
            ]
        )

    def _get_entry_point_section(self):
        start, end, _on = self._get_period()
        row = self._get_lycee_report_row()
        partners = self._get_active_relations().partner_id
        new_partners = self._sudo("bde.partner.relation").search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("date_partner_since", ">=", start),
                ("date_partner_since", "<=", end),
            ]
        )
        return self._section(
            2,
            self.env._("2. The lycée's entry point for every professional partner"),
            figures=[
                (self.env._("Active partners"), row.partner_active_count),
                (self.env._("New partners in the year"), new_partners),
                (self.env._("Prospects"), row.partner_prospect_count),
                (self.env._("Leads opened in the year"), row.lead_count),
                (
                    self.env._("Conventions signed in the year"),
                    row.convention_signed_count,
                ),
                (
                    self.env._("of which renewals of a convention"),
                    row.convention_renewed_count,
                ),
                (
                    self.env._("Conventions ended in the year"),
                    row.convention_ended_count,
                ),
                (self.env._("Conventions in force"), row.convention_active_count),
            ],
            tables=[
                self._get_partner_type_table(partners),
                self._get_partner_sector_table(partners),
            ],
        )

    def _get_partner_type_table(self, partners):
        Partner = self.env["res.partner"]
        types = Partner._fields["bde_partner_type"]._description_selection(self.env)
        counts = Counter(partners.mapped(lambda p: p.bde_partner_type or "other"))
        return self._figure_table(
            self.env._("Active partners by type"),
            [self.env._("Type"), self.env._("Partners")],
            [[label, counts[key]] for key, label in types if counts[key]],
        )

    def _get_partner_sector_table(self, partners):
        # A company may work in several sectors: it counts once, under its
        # first sector (by name), so that the rows add up to the partners.
        counts = Counter(
            min(partner.bde_sector_ids.mapped("name"), default=None)
            or self.env._("No sector")
            for partner in partners
        )
        return self._figure_table(
            self.env._("Active partners by sector"),
            [self.env._("Sector"), self.env._("Partners")],
            [[name, counts[name]] for name in sorted(counts)],
        )

    def _get_convention_in_force_domain(self):
        """Conventions in force on the day stocks are counted, as
        bde.lycee.report counts them: from their dates, so that a past year
        reads what was in force then."""
        _start, _end, on = self._get_period()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "in", IN_FORCE_STATES),
            ("date_start", "<=", on),
            ("date_end", ">=", on),
            "|",
            ("date_terminated", "=", False),
            ("date_terminated", ">", on),
        ]

    # Expectation 3: support to teachers in their dealings with companies

    def _get_teachers_section(self):
        start, end, _on = self._get_period()
        needs = self._sudo("bde.skill.need").search(
            [
                ("company_id", "=", self.company_id.id),
                ("active", "=", True),
                ("date", ">=", start),
                ("date", "<=", end),
            ]
        )
        by_formation = {}
        for need in needs:
            name = need.formation_id.name or self.env._("No formation")
            row = by_formation.setdefault(name, [name, 0, 0])
            row[1] += 1
            row[2] += need.headcount
        speakers = self._get_participations().filtered(lambda p: p.role == "speaker")
        return self._section(
            3,
            self.env._(
                "3. Support to teachers in their dealings with the professional world"
            ),
            figures=[
                (self.env._("Skill needs recorded"), len(needs)),
                (
                    self.env._("People wanted"),
                    self._get_lycee_report_row().skill_need_headcount,
                ),
                (self.env._("Professionals who spoke at events"), len(speakers)),
            ],
            tables=[
                self._figure_table(
                    self.env._("Skill needs by formation"),
                    [
                        self.env._("Formation"),
                        self.env._("Skill needs"),
                        self.env._("People wanted"),
                    ],
                    [by_formation[name] for name in sorted(by_formation)],
                )
            ],
        )

    # Expectation 4: joint actions of companies and the lycée

    def _get_events_held(self):
        """The lycée's BDE events held (ended) in the school year, as
        bde.lycee.report counts them."""
        start, end = self._get_datetime_period()
        return self._sudo("event.event").search(
            [
                ("bde_is_bde_event", "=", True),
                ("company_id", "=", self.company_id.id),
                ("date_begin", ">=", start),
                ("date_begin", "<=", end),
                ("date_end", "<", fields.Datetime.now()),
            ]
        )

    def _get_participations(self):
        """Companies that attended the events held."""
        return self._sudo("bde.event.participation").search(
            [
                ("event_id", "in", self._get_events_held().ids),
                ("state", "=", "attended"),
            ]
        )

    def _get_joint_actions_section(self):
        events = self._get_events_held()
        attended = dict(
            self._sudo("event.registration")._read_group(
                [("event_id", "in", events.ids), ("state", "=", "done")],
                ["event_id"],
                ["__count"],
            )
        )
        partners = Counter(p.event_id for p in self._get_participations())
        by_type = {}
        for event in events:
            name = event.event_type_id.name or self.env._("Other")
            row = by_type.setdefault(name, [name, 0, 0, 0])
            row[1] += 1
            row[2] += attended.get(event, 0)
            row[3] += partners[event]
        report = self._get_lycee_report_row()
        return self._section(
            4,
            self.env._(
                "4. Joint actions of the professional world and the lycée "
                "for pupils, apprentices and trainees"
            ),
            figures=[
                (self.env._("Events held"), report.event_count),
                (self.env._("Attendance"), report.event_attendance),
                (self.env._("Partners taking part"), report.event_partner_count),
            ],
            tables=[
                self._figure_table(
                    self.env._("Events by type"),
                    [
                        self.env._("Type"),
                        self.env._("Events"),
                        self.env._("Attendance"),
                        self.env._("Partners taking part"),
                    ],
                    [by_type[name] for name in sorted(by_type)],
                )
            ],
            lists=[
                {
                    "title": self.env._("Events held"),
                    "items": [
                        f"{fields.Date.to_string(event.date_begin.date())} {event.name}"
                        for event in events.sorted("date_begin")
                    ],
                }
            ],
        )
