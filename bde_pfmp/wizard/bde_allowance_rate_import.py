"""Import of a national table of PFMP allowances (APLyPro) for one school year.

The file is the national one, one row per MEF, header on line 1:

``MEF, MEF_STAT_11, MEF_STAT_4, DISPOSITIF_FORMATION, LIBELLE_LONG, BOP,
FORFAIT JOURNALIER, PLAFOND MAX``

comma-separated (a semicolon also works, as spreadsheets save it in French),
UTF-8, UTF-16 (with its byte order mark) or Windows encoded, amounts in euros
with a dot or a comma as decimal mark. ``MEF``, ``MEF_STAT_4``, ``FORFAIT
JOURNALIER`` and ``PLAFOND MAX`` are required; the other columns are read when
present.
"""

import base64
import re
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, formatLang

from odoo.addons.bde_lycee.csv_file import decode_csv, read_csv
from odoo.addons.bde_lycee.models.bde_class import MEF_RE, MEF_STAT4_RE
from odoo.addons.bde_lycee.school_year import is_school_year, school_year_of

from ..models.bde_allowance_rate import MAX_DAILY_RATE, MAX_YEARLY_CAP

# Column key -> header of the national file (compared upper-cased, trimmed).
COLUMNS = {
    "mef": "MEF",
    "mef_stat4": "MEF_STAT_4",
    "label": "LIBELLE_LONG",
    "bop": "BOP",
    "daily_rate": "FORFAIT JOURNALIER",
    "yearly_cap": "PLAFOND MAX",
}
REQUIRED_COLUMNS = ("mef", "mef_stat4", "daily_rate", "yearly_cap")
# The BOP column names the paying ministry.
MINISTRIES = {"MENJ": "menj", "MASA": "masa", "MER": "mer"}
# Amounts are euros with cents at most.
PRECISION = 2
# Euros in French or English writing: digits, thousands grouped by spaces,
# a comma or a dot before the cents.
AMOUNT_RE = re.compile(
    r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,9})(?:[.,]\d{1,2})?", re.ASCII
)
AMOUNT_MAXIMUMS = {"daily_rate": MAX_DAILY_RATE, "yearly_cap": MAX_YEARLY_CAP}


class BdeAllowanceRateImport(models.TransientModel):
    """Load the national allowance table of a school year into the rate table.

    The file is first compared with the table (what is new, what changes,
    what the table has that the file lacks, which lines are wrong); nothing is
    written until the user applies it, and never with bad lines unless the
    user chose to skip them. Applying recomputes the allowances of the school
    year's placements."""

    _name = "bde.allowance.rate.import"
    _description = "Import a national allowance table"

    # Not required: the file is cleared once applied (see action_apply).
    file = fields.Binary(
        string="National table",
        help="CSV file in the national APLyPro format (wages-YYYY_YYYY.csv): "
        "one row per MEF.",
    )
    file_name = fields.Char()
    school_year = fields.Char(
        required=True,
        default=lambda self: school_year_of(fields.Date.context_today(self)),
        help="School year the table applies to, written 2026-2027.",
    )
    skip_bad_lines = fields.Boolean(
        string="Skip the bad lines",
        help="Apply the valid lines and leave out the bad ones. Otherwise "
        "nothing is written until the file is corrected.",
    )
    state = fields.Selection(
        selection=[("draft", "Upload"), ("checked", "Preview"), ("done", "Done")],
        default="draft",
        required=True,
    )
    result = fields.Html(string="Report", readonly=True)
    new_count = fields.Integer(string="New rows", readonly=True)
    changed_count = fields.Integer(string="Changed rows", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged rows", readonly=True)
    missing_count = fields.Integer(
        string="Rows not in the file",
        readonly=True,
        help="Rows of the table for this school year that the file does not "
        "list; they are kept.",
    )
    error_count = fields.Integer(string="Bad lines", readonly=True)
    recomputed_count = fields.Integer(
        string="Allowances changed",
        readonly=True,
        help="Placements of the school year whose allowance amount changed.",
    )

    # Actions

    def action_preview(self):
        """Compare the file with the table and show the report; write nothing."""
        self.ensure_one()
        self._check_national_table_access()
        changes = self._compute_changes()
        self.write(self._prepare_report_values(changes, "checked"))
        return self._action_reopen()

    def action_apply(self):
        """Compare again (the table may have changed since the preview) and
        write the new and changed rows, then recompute the allowances."""
        self.ensure_one()
        self._check_national_table_access()
        changes = self._compute_changes()
        if changes["errors"] and not self.skip_bad_lines:
            self.write(self._prepare_report_values(changes, "checked"))
            return self._action_reopen()
        summary = self._apply_changes(changes)
        values = self._prepare_report_values(changes, "done")
        # The table now lives in the rates: the uploaded file goes.
        changed = len(summary.changed_ids)
        values.update(file=False, file_name=False, recomputed_count=changed)
        # One summary for the whole recompute, rather than a tracked amount
        # in the chatter of each placement.
        values["result"] = (
            Markup("<p>%s</p>")
            % self.env._(
                "Table applied: %(count)s allowance amount(s) changed; the "
                "%(placements)s allowances of the school year, recomputed, "
                "total %(total)s.",
                count=changed,
                placements=summary.count,
                total=formatLang(
                    self.env, summary.total, currency_obj=self.env.company.currency_id
                ),
            )
            + values["result"]
        )
        self.write(values)
        return self._action_reopen()

    def _check_national_table_access(self):
        """The national table is shared by every lycée of the database and
        applying it recomputes all their allowances: only an administrator of
        the whole database imports it, whatever access the wizard was given."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._(
                    "Only an administrator of the database imports the national "
                    "allowance table: it changes the allowances of every lycée."
                )
            )

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import a national allowance table"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # Reading and checking

    def _read_rows(self):
        """Decode the file and return its non-empty rows as
        ``[(line, {column key: stripped value})]``, line 1 being the header."""
        text = decode_csv(self.env, base64.b64decode(self.file or b""))
        header, lines = read_csv(self.env, text, tie_separator=",")
        positions = self._map_columns(header)
        rows = [
            (
                line,
                {
                    key: cells[index] if index < len(cells) else ""
                    for key, index in positions.items()
                },
            )
            for line, cells in lines
        ]
        if not rows:
            raise UserError(self.env._("The file has no rate row."))
        return rows

    def _map_columns(self, header):
        """Return ``{column key: index}``; a missing required column stops
        everything, since no row could be read right."""
        titles = {title: key for key, title in COLUMNS.items()}
        positions = {}
        for index, title in enumerate(header):
            key = titles.get(" ".join(title.upper().split()))
            if key and key not in positions:
                positions[key] = index
        missing = [COLUMNS[key] for key in REQUIRED_COLUMNS if key not in positions]
        if missing:
            raise UserError(
                self.env._(
                    "The file misses the columns %(columns)s. Its first line must "
                    "name the columns of the national table: MEF, MEF_STAT_11, "
                    "MEF_STAT_4, DISPOSITIF_FORMATION, LIBELLE_LONG, BOP, FORFAIT "
                    "JOURNALIER, PLAFOND MAX.",
                    columns=", ".join(missing),
                )
            )
        return positions

    def _parse_amount(self, value):
        """Euros written 15, 15.5, 15,50 or 1 350,00; None for anything else
        (``1_000``, ``1e3``, ``inf``, a negative or a third decimal)."""
        if not AMOUNT_RE.fullmatch(value):
            return None
        return float(re.sub(r"\s", "", value).replace(",", "."))

    def _check_row(self, row):
        """Return the values of the rate of ``row`` and the reasons why it
        cannot be imported (empty if none)."""
        reasons = []
        if not MEF_RE.match(row["mef"]):
            reasons.append(
                self.env._("The MEF %(mef)s must have 10 digits.", mef=row["mef"])
            )
        if not MEF_STAT4_RE.match(row["mef_stat4"]):
            reasons.append(
                self.env._(
                    "The MEF_STAT_4 %(level)s must have 4 digits or capital letters.",
                    level=row["mef_stat4"],
                )
            )
        bop = row.get("bop", "").upper()
        if bop and bop not in MINISTRIES:
            reasons.append(
                self.env._("The BOP %(bop)s is not MENJ, MASA or MER.", bop=row["bop"])
            )
        amounts = {}
        for key, maximum in AMOUNT_MAXIMUMS.items():
            amounts[key] = self._parse_amount(row[key])
            if amounts[key] is None:
                reasons.append(
                    self.env._(
                        "%(column)s %(value)s is not an amount in euros, written "
                        "like 15, 15.50 or 1 350,00.",
                        column=COLUMNS[key],
                        value=row[key] or "(empty)",
                    )
                )
            elif amounts[key] > maximum:
                reasons.append(
                    self.env._(
                        "%(column)s %(value)s is more than %(max)s €: check the file.",
                        column=COLUMNS[key],
                        value=row[key],
                        max=maximum,
                    )
                )
        values = {
            "mef_code": row["mef"],
            "mef_stat4": row["mef_stat4"],
            "label": row.get("label") or False,
            "ministry": MINISTRIES.get(bop, "menj"),
            **amounts,
        }
        return values, reasons

    def _compute_changes(self):
        """Compare the file with the table of the school year.

        Return a dict: ``new`` (values to create), ``changed`` (``(rate,
        values)``), ``unchanged`` (count), ``missing`` (rates the file does not
        list), ``errors`` (``{line: [reason, ...]}``)."""
        if not is_school_year(self.school_year):
            raise UserError(
                self.env._(
                    "The school year %(year)s must read like 2026-2027.",
                    year=self.school_year,
                )
            )
        valid, errors, bad_mefs = self._validate_rows(self._read_rows())
        rates = self.env["bde.allowance.rate"].search(
            [("school_year", "=", self.school_year), ("mef_code", "!=", False)]
        )
        by_mef = {rate.mef_code: rate for rate in rates}
        changes = {"new": [], "changed": [], "unchanged": 0, "errors": errors}
        for values in valid:
            rate = by_mef.get(values["mef_code"])
            if not rate:
                changes["new"].append(values)
            elif self._rate_differs(rate, values):
                changes["changed"].append((rate, values))
            else:
                changes["unchanged"] += 1
        # A MEF on a bad line is in the file: not reported as missing.
        listed = {values["mef_code"] for values in valid} | bad_mefs
        changes["missing"] = rates.filtered(lambda rate: rate.mef_code not in listed)
        return changes

    def _validate_rows(self, rows):
        """Check every row; a MEF on two lines is a bad line on both, since
        which one is right is for the user to say. Return the values of the
        valid rows, the reasons by bad line and the MEFs of the bad lines."""
        lines_by_mef = defaultdict(list)
        for line, row in rows:
            lines_by_mef[row["mef"]].append(line)
        valid, errors = [], {}
        for line, row in rows:
            values, reasons = self._check_row(row)
            others = [other for other in lines_by_mef[row["mef"]] if other != line]
            if others:
                reasons.append(
                    self.env._(
                        "The MEF %(mef)s also appears on line %(lines)s.",
                        mef=row["mef"],
                        lines=", ".join(str(other) for other in others),
                    )
                )
            if reasons:
                errors[line] = reasons
            else:
                valid.append(values)
        bad_mefs = {row["mef"] for line, row in rows if line in errors}
        return valid, errors, bad_mefs

    def _rate_differs(self, rate, values):
        return any(
            float_compare(rate[key], values[key], precision_digits=PRECISION)
            for key in ("daily_rate", "yearly_cap")
        )

    # Writing

    def _apply_changes(self, changes):
        """Write the new and changed rows, then recompute the allowances of
        the school year, of every lycée of the database: they all use the
        national table, whoever imports it. Return the recompute's summary.

        The label, level and ministry of a row whose amounts did not change
        are left as they are: only amounts move allowances."""
        return self.env["bde.allowance.rate"]._apply_table(
            self.school_year, changes["new"], changes["changed"]
        )

    # Reporting

    def _prepare_report_values(self, changes, state):
        return {
            "state": state,
            "new_count": len(changes["new"]),
            "changed_count": len(changes["changed"]),
            "unchanged_count": changes["unchanged"],
            "missing_count": len(changes["missing"]),
            "error_count": len(changes["errors"]),
            "result": self._render_report(changes),
        }

    def _render_report(self, changes):
        summary = self.env._(
            "%(new)s new row(s), %(changed)s changed, %(unchanged)s unchanged, "
            "%(missing)s row(s) of the table not in the file (kept), %(errors)s "
            "bad line(s).",
            new=len(changes["new"]),
            changed=len(changes["changed"]),
            unchanged=changes["unchanged"],
            missing=len(changes["missing"]),
            errors=len(changes["errors"]),
        )
        parts = [Markup("<p>%s</p>") % summary]
        if changes["errors"] and not self.skip_bad_lines:
            parts.append(
                Markup("<p>%s</p>")
                % self.env._(
                    "Nothing is written while the file has bad lines: correct "
                    "it, or tick “Skip the bad lines”."
                )
            )
        parts.append(self._render_errors(changes["errors"]))
        parts.append(self._render_changed(changes["changed"]))
        parts.append(self._render_new(changes["new"]))
        parts.append(self._render_missing(changes["missing"]))
        return Markup().join(parts)

    def _render_table(self, title, headers, rows):
        if not rows:
            return Markup()
        head = Markup().join(Markup("<th>%s</th>") % header for header in headers)
        body = Markup().join(
            Markup("<tr>%s</tr>")
            % Markup().join(Markup("<td>%s</td>") % cell for cell in row)
            for row in rows
        )
        return Markup(
            '<h5>%s</h5><table class="table table-sm"><thead><tr>%s</tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (title, head, body)

    def _render_errors(self, errors):
        return self._render_table(
            self.env._("Bad lines"),
            [self.env._("Line"), self.env._("Reason")],
            [
                (line, Markup("<br/>").join(reasons))
                for line, reasons in sorted(errors.items())
            ],
        )

    def _render_changed(self, changed):
        return self._render_table(
            self.env._("Changed rows"),
            [
                self.env._("MEF"),
                self.env._("Label"),
                self.env._("Daily rate"),
                self.env._("Yearly cap"),
            ],
            [
                (
                    rate.mef_code,
                    values["label"] or rate.label or "",
                    self._format_change(rate.daily_rate, values["daily_rate"]),
                    self._format_change(rate.yearly_cap, values["yearly_cap"]),
                )
                for rate, values in changed
            ],
        )

    def _format_change(self, old, new):
        if not float_compare(old, new, precision_digits=PRECISION):
            return f"{new:g}"
        return f"{old:g} → {new:g}"

    def _render_new(self, new):
        return self._render_table(
            self.env._("New rows"),
            [
                self.env._("MEF"),
                self.env._("Label"),
                self.env._("Daily rate"),
                self.env._("Yearly cap"),
            ],
            [
                (
                    values["mef_code"],
                    values["label"] or "",
                    f"{values['daily_rate']:g}",
                    f"{values['yearly_cap']:g}",
                )
                for values in new
            ],
        )

    def _render_missing(self, missing):
        return self._render_table(
            self.env._("Rows of the table not in the file (kept)"),
            [
                self.env._("MEF"),
                self.env._("Label"),
                self.env._("Daily rate"),
                self.env._("Yearly cap"),
            ],
            [
                (
                    rate.mef_code,
                    rate.label or "",
                    f"{rate.daily_rate:g}",
                    f"{rate.yearly_cap:g}",
                )
                for rate in missing
            ],
        )
