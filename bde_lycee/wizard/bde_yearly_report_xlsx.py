"""The yearly BDE report as a workbook: one sheet per section, the lycée's
name, UAI and school year on top of each, then the section's facts, figures,
tables (with their total row) and lists, as the PDF shows them."""

from ..xlsx import text_workbook

# Sheet names: at most 31 characters, none of []:*?/\
SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})
LABEL_WIDTH = 60
VALUE_WIDTH = 18


def _sheet_name(title, used):
    name = title.translate(FORBIDDEN_IN_SHEET_NAMES)
    name = name[:SHEET_NAME_MAX].strip()
    # Two titles cut to the same 31 characters would clash.
    while name.lower() in used:
        name = name[: SHEET_NAME_MAX - 1] + "_"
    used.add(name.lower())
    return name


def write_yearly_report(output, wizard, sections):
    """Write ``sections`` (see BdeYearlyReportWizard._section) of ``wizard``'s
    lycée and school year to ``output``, a file-like object."""
    env = wizard.env
    lycee = wizard.company_id.sudo()
    workbook = text_workbook(output)
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 13})
    used = set()
    for section in sections:
        sheet = workbook.add_worksheet(_sheet_name(section["title"], used))
        sheet.set_column(0, 0, LABEL_WIDTH)
        sheet.set_column(1, 5, VALUE_WIDTH)
        sheet.write_row(0, 0, [env._("Lycée"), lycee.name], bold)
        sheet.write_row(1, 0, [env._("UAI"), lycee.bde_uai or ""])
        sheet.write_row(2, 0, [env._("School year"), wizard.school_year])
        sheet.write(4, 0, section["title"], title)
        row = 6
        for label, value in section["facts"] + section["figures"]:
            sheet.write_row(row, 0, [label, value])
            row += 1
        for table in section["tables"]:
            row += 1
            sheet.write(row, 0, table["title"], bold)
            sheet.write_row(row + 1, 0, table["columns"], bold)
            row += 2
            for values in table["rows"]:
                sheet.write_row(row, 0, values)
                row += 1
            if table["total"]:
                sheet.write_row(row, 0, table["total"], bold)
                row += 1
        for names in section["lists"]:
            row += 1
            sheet.write(row, 0, names["title"], bold)
            row += 1
            for name in names["items"]:
                sheet.write(row, 0, name)
                row += 1
    workbook.close()
