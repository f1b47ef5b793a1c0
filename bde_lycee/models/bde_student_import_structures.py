"""The classes and formations a SIECLE file names that the lycée lacks,
planned from the national MEF nomenclature (``bde.mef``) and created by the
import once the user saw them in the check's preview (wizard).

A division of the file that is no class of the school year becomes one when
its rows give a MEF of the nomenclature: the class takes the division as its
name, the MEF and its MEF_STAT_4; its formation is the lycée's (or the
database's shared) formation of the MEF's diploma code, else a new formation
of the lycée named after the MEF's speciality. A MEF missing in the
nomenclature but described by the file's Nomenclature.xml is created first,
as a local MEF; a division without a MEF known either way stays an error row,
and "Inactifs" is never a class. The class keeps the division's label of
Structures.xml."""

from dataclasses import dataclass, field

from markupsafe import Markup

from odoo import models

from .bde_student_import_mixin import _class_key

# SIECLE's division of the students who are no longer in a class.
INACTIVE_DIVISION = "inactifs"


@dataclass
class StructurePlan:
    """What an import will create: formations by diploma code, and classes
    whose ``formation`` is an existing formation or a diploma code of
    ``formations``."""

    formations: dict = field(default_factory=dict)
    classes: list = field(default_factory=list)
    # Local MEFs to create, by code: described by Nomenclature.xml only.
    mefs: dict = field(default_factory=dict)
    # Divisions left as errors: their MEF is not in the nomenclature.
    unknown_mefs: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.mefs or self.formations or self.classes)

    def key(self):
        """A stable text of what will be created, for the preview's seal."""
        formations = sorted(
            (code, values["name"]) for code, values in self.formations.items()
        )
        classes = sorted(
            (
                values["name"],
                values["label"],
                values["mef_code"],
                _formation_ref(values["formation"]),
            )
            for values in self.classes
        )
        mefs = sorted(sorted(values.items()) for values in self.mefs.values())
        return repr((mefs, formations, classes))


def _formation_ref(formation):
    return formation if isinstance(formation, str) else f"#{formation.id}"


class BdeStudentImportMixin(models.AbstractModel):
    _inherit = "bde.student.import.mixin"

    def _plan_structures(self, rows):
        """Return the :class:`StructurePlan` of ``rows`` (``[(line, row)]``):
        the classes missing in the lycée for the import's school year, and
        the formations missing for their MEFs. Reads only."""
        wanted = self._missing_divisions(rows)
        mefs = {
            mef.code: mef
            for mef in self.env["bde.mef"].search(
                [("code", "in", list({w["mef"] for w in wanted.values()}))]
            )
        }
        plan = StructurePlan(mefs=self._plan_local_mefs(wanted.values(), mefs))
        mefs.update(
            (code, self.env["bde.mef"].new(values))
            for code, values in plan.mefs.items()
        )
        formations = self._find_formations({mef.diploma_code for mef in mefs.values()})
        for division in wanted.values():
            name, mef_code = division["name"], division["mef"]
            mef = mefs.get(mef_code)
            if not mef:
                plan.unknown_mefs[_class_key(name)] = mef_code
                continue
            formation = formations.get(mef.diploma_code)
            if not formation:
                plan.formations.setdefault(mef.diploma_code, mef._formation_values())
            plan.classes.append(
                {
                    "name": name,
                    "label": division["label"],
                    "mef_code": mef.code,
                    "mef_stat4": mef.mef_stat_4,
                    "formation": formation or mef.diploma_code,
                }
            )
        return plan

    def _plan_local_mefs(self, divisions, mefs):
        """``{code: values}`` of the local MEFs to create: the ``divisions``'
        MEFs missing in ``mefs`` (the nomenclature's) that Nomenclature.xml
        describes well enough to tell their diploma."""
        local = {}
        for division in divisions:
            code, description = division["mef"], division["description"]
            if code in mefs or code in local or not description:
                continue
            values = self.env["bde.mef"]._values_from_siecle(code, description)
            if values:
                local[code] = values
        return local

    def _missing_divisions(self, rows):
        """``{class key: division}`` of the rows' divisions that are no class
        of the lycée's school year, with the first MEF given for each, its
        description in Nomenclature.xml and the division's label."""
        existing = self._known_class_keys()
        wanted = {}
        for _line, row in rows:
            key = _class_key(row["division"] or "")
            # Structures.xml's MEF of the division, when the student has none.
            mef = row["mef"] or row.get("division_mef", "")
            if (
                not key
                or key == INACTIVE_DIVISION
                or row.get("date_left")
                or not mef
                or key in existing
                or key in wanted
            ):
                continue
            wanted[key] = {
                "name": row["division"].strip(),
                "mef": mef,
                "label": row.get("division_label", ""),
                "description": row.get("nomenclature_mef"),
            }
        return wanted

    def _known_class_keys(self):
        """The lycée's classes of the school year, archived ones too: an
        archived class keeps its name, so its division stays an error row."""
        classes = (
            self.env["bde.class"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("school_year", "=", self.school_year),
                    ("company_id", "=", self.company_id.id),
                ],
                ["name"],
            )
        )
        return {_class_key(school_class.name) for school_class in classes}

    def _find_formations(self, diploma_codes):
        """The formation of each diploma code: the lycée's own, else a shared
        one, else the lycée's archived one (its diploma code is taken in the
        lycée, so it is used rather than duplicated)."""
        formations = (
            self.env["bde.formation"]
            .with_context(active_test=False)
            .search(
                [
                    ("diploma_code", "in", list(diploma_codes)),
                    "|",
                    ("company_id", "=", self.company_id.id),
                    "&",
                    ("company_id", "=", False),
                    ("active", "=", True),
                ]
            )
        )
        found = {}
        for formation in formations.sorted(
            lambda f: (not f.active, not f.company_id, f.id)
        ):
            found.setdefault(formation.diploma_code, formation)
        return found

    def _create_structures(self, plan):
        """Create the formations and classes of ``plan`` in the import's
        lycée, as the current user; return the classes."""
        self.ensure_one()
        company = self.company_id
        self.env["bde.mef"].create(list(plan.mefs.values()))
        created = {
            code: formation
            for code, formation in zip(
                plan.formations,
                self.env["bde.formation"].create(
                    [
                        dict(values, company_id=company.id)
                        for values in plan.formations.values()
                    ]
                ),
                strict=True,
            )
        }
        return self.env["bde.class"].create(
            [
                {
                    "name": values["name"],
                    "division_label": values["label"],
                    "mef_code": values["mef_code"],
                    "mef_stat4": values["mef_stat4"],
                    "formation_id": (
                        created[values["formation"]]
                        if isinstance(values["formation"], str)
                        else values["formation"]
                    ).id,
                    "school_year": self.school_year,
                    "company_id": company.id,
                }
                for values in plan.classes
            ]
        )

    def _validate_planned(self, rows, plan):
        """Check ``rows`` as if the classes of ``plan`` existed."""
        planned = tuple((v["name"], v["mef_code"]) for v in plan.classes)
        return self.with_context(
            bde_planned_classes=planned,
            bde_unknown_mefs=tuple(plan.unknown_mefs.items()),
        )._validate_rows(rows)

    def _get_class_index(self):
        index = super()._get_class_index()
        for name, mef_code in self.env.context.get("bde_planned_classes", ()):
            index[_class_key(name)] |= self.env["bde.class"].new(
                {"name": name, "mef_code": mef_code}
            )
        return index

    def _match_class(self, row, class_index):
        school_class, reasons = super()._match_class(row, class_index)
        unknown = dict(self.env.context.get("bde_unknown_mefs", ()))
        if not school_class and _class_key(row["division"] or "") in unknown:
            reasons.append(
                self.env._(
                    "Its MEF %(mef)s is not in the MEF nomenclature: add it "
                    "(School > MEF nomenclature) to have the class created.",
                    mef=row["mef"],
                )
            )
        return school_class, reasons

    def _render_structures(self, plan):
        """The preview of ``plan``: a line per formation and class."""
        if not plan:
            return Markup()
        summary = self.env._(
            "Will be created in %(lycee)s: %(mefs)s local MEF(s), "
            "%(formations)s formation(s), %(classes)s class(es) of %(year)s.",
            lycee=self.company_id.name,
            mefs=len(plan.mefs),
            formations=len(plan.formations),
            classes=len(plan.classes),
            year=self.school_year,
        )
        formation_names = {
            code: values["name"] for code, values in plan.formations.items()
        }
        lines = (
            [
                (self.env._("Local MEF"), values["name"], values["code"], "")
                for values in plan.mefs.values()
            ]
            + [
                (self.env._("Formation"), values["name"], values["diploma_code"], "")
                for values in plan.formations.values()
            ]
            + [
                (
                    self.env._("Class"),
                    " — ".join(filter(None, (values["name"], values["label"]))),
                    values["mef_code"],
                    formation_names[values["formation"]]
                    if isinstance(values["formation"], str)
                    else values["formation"].display_name,
                )
                for values in plan.classes
            ]
        )
        body = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % line
            for line in lines
        )
        return Markup(
            '<p>%s</p><table class="table table-sm o_bde_structures"><thead><tr>'
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (
            summary,
            self.env._("Created"),
            self.env._("Name"),
            self.env._("Diploma code / MEF"),
            self.env._("Formation"),
            body,
        )
