import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

MEF_RE = re.compile(r"^\d{10}$")
DIPLOMA_CODE_RE = re.compile(r"^[0-9A-Z]{8}$")
MEF_STAT_4_RE = re.compile(r"^[0-9A-Z]{4}$")
MEF_STAT_11_RE = re.compile(r"^[0-9A-Z]{11}$")
# How a formation's name opens, by level: "Bac pro Cuisine", "CAP Cuisine".
FORMATION_PREFIX = {
    "cap": "CAP",
    "bac_pro": "Bac pro",
    "bp": "BP",
    "bma": "BMA",
    "mc": "MC",
    "cs": "CS",
    "bts": "BTS",
}


class BdeMef(models.Model):
    """A MEF (module élémentaire de formation) of the national nomenclature:
    one year of study of one diploma, e.g. 2473121333 for the final year of
    the Bac pro Métiers du commerce et de la vente, option A.

    The suite ships the vocational track's MEFs (data/bde.mef.csv, made by
    tools/mef_nomenclature.py from the national tables); a BDE manager adds a
    local MEF the table does not list yet, and cannot change the national
    ones (record rule on ``is_national``)."""

    _name = "bde.mef"
    _description = "MEF (national nomenclature)"
    _order = "code"
    _rec_names_search = ["code", "name", "short_name"]

    code = fields.Char(
        string="MEF code",
        required=True,
        size=10,
        index=True,
        help="10-digit code of the MEF, as SIECLE gives it (its 11-character "
        "CODE_MEF without the last character).",
    )
    name = fields.Char(string="Label", required=True)
    short_name = fields.Char(
        string="SIECLE label", help="The 40-character label SIECLE shows."
    )
    speciality = fields.Char(
        help="The diploma's speciality, without the year of study: the name "
        "of a formation created from this MEF."
    )
    diploma_code = fields.Char(
        required=True,
        size=8,
        index=True,
        help="Code of the diploma (FORMATION_DIPLOME, 8 characters): the "
        "formations of the suite carry it.",
    )
    mef_stat_4 = fields.Char(
        string="MEF_STAT_4",
        size=4,
        help="4-character level of the MEF (2383 for Tle pro), the fallback of "
        "the PFMP allowance lookup.",
    )
    mef_stat_11 = fields.Char(string="MEF_STAT_11", size=11)
    level = fields.Selection(
        selection="_selection_level",
        required=True,
        default="other",
        help="Level of the formation this MEF belongs to.",
    )
    duration = fields.Integer(
        help="Years of study of the formation (empty when it varies)."
    )
    year_of_training = fields.Integer(
        string="Year of study",
        help="Year of study of this MEF within the formation (ANNEE_DISPOSITIF).",
    )
    date_closed = fields.Date(
        string="Closed on", help="Last day classes may be opened with this MEF."
    )
    is_national = fields.Boolean(
        string="National",
        readonly=True,
        help="Shipped with the national nomenclature; a MEF added by the lycée is not.",
    )

    _sql_constraints = [
        ("code_uniq", "unique (code)", "This MEF code is already in the list."),
    ]

    def _selection_level(self):
        return (
            self.env["bde.formation"]._fields["level"]._description_selection(self.env)
        )

    @api.constrains("code", "diploma_code", "mef_stat_4", "mef_stat_11")
    def _check_codes(self):
        checks = (
            ("code", MEF_RE, self.env._("10 digits")),
            ("diploma_code", DIPLOMA_CODE_RE, self.env._("8 digits or capitals")),
            ("mef_stat_4", MEF_STAT_4_RE, self.env._("4 digits or capitals")),
            ("mef_stat_11", MEF_STAT_11_RE, self.env._("11 digits or capitals")),
        )
        for mef in self:
            for fname, pattern, expected in checks:
                if mef[fname] and not pattern.match(mef[fname]):
                    raise ValidationError(
                        self.env._(
                            "The %(field)s %(value)s of MEF %(name)s must have "
                            "%(expected)s.",
                            field=self._fields[fname].string,
                            value=mef[fname],
                            name=mef.name,
                            expected=expected,
                        )
                    )

    def write(self, vals):
        # The record rule keeps the BDE manager to local MEFs; making a local
        # MEF national would put it out of their reach and into the table's.
        if "is_national" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the national nomenclature's data marks a MEF national."
                )
            )
        return super().write(vals)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for mef in self:
            mef.display_name = f"{mef.code} {mef.name}"

    def _formation_values(self):
        """Values of the formation of this MEF's diploma, created by the
        students import when the lycée has none."""
        self.ensure_one()
        prefix = FORMATION_PREFIX.get(self.level)
        speciality = self.speciality or self.name
        values = {
            "name": f"{prefix} {speciality}" if prefix else speciality,
            "level": self.level,
            "diploma_code": self.diploma_code,
        }
        if self.duration:
            values["duration_years"] = self.duration
        return values

    @api.model
    def _values_from_siecle(self, code, description):
        """Values of the local MEF ``code`` that SIECLE's Nomenclature.xml
        describes (``description``: siecle_xml's keys), or None when no
        national MEF of the same dispositif (its first 3 digits) tells the
        diploma's nature, level and duration.

        A MEF's digits 4 to 8 are its diploma's speciality, and the diploma
        code opens with the nature of the dispositif's diplomas: Tle pro MEF
        2473121333 is of diploma 400 + 31213."""
        if not MEF_RE.match(code):
            return None
        sibling = self.search(
            [("code", "=like", f"{code[:3]}%"), ("is_national", "=", True)], limit=1
        )
        if not sibling:
            return None
        mef_stat_11 = description["mef_stat_11"]
        if not MEF_STAT_11_RE.match(mef_stat_11):
            mef_stat_11 = ""
        speciality = description["speciality"]
        if speciality.isupper():
            speciality = speciality.capitalize()
        long_label = description["long_label"]
        return {
            "code": code,
            "name": description["edition_label"] or long_label or code,
            "short_name": long_label,
            "speciality": speciality,
            "diploma_code": sibling.diploma_code[:3] + code[3:8],
            "mef_stat_4": mef_stat_11[:4],
            "mef_stat_11": mef_stat_11,
            "level": sibling.level,
            "duration": sibling.duration,
            "year_of_training": int(code[-1]),
        }
