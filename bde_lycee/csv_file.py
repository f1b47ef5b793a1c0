"""Reading the CSV files that users upload (SIECLE students, national table of
the PFMP allowances): bounded sizes, encoding detected or named, and a clear
message instead of a server error for whatever a spreadsheet or an attacker
may produce.
"""

import codecs
import csv
import io

from odoo.exceptions import UserError

# A SIECLE export of 3,000 students or the national table weighs under 2 MB.
MAX_FILE_SIZE = 10 * 1024 * 1024
# The longest cell of these files is an address or a formation's label.
MAX_CELL_LENGTH = 500
# SIECLE exports about 60 columns; the csv module stops at 131,072 characters.
MAX_LINE_LENGTH = 100 * MAX_CELL_LENGTH
# Byte order marks, the UTF-32 ones first: FF FE 00 00 starts like FF FE.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without BOM: UTF-8 as SIECLE exports it, else cp1252 as spreadsheets save it
# on Windows; latin-1 decodes any byte, so it is the last resort.
ENCODINGS = ("utf-8", "cp1252")
FALLBACK_ENCODING = "latin-1"


def decode_csv(env, data):
    """The text of the uploaded bytes ``data``, or a UserError naming what is
    wrong with them."""
    if len(data) > MAX_FILE_SIZE:
        raise UserError(
            env._(
                "The file weighs %(size)s MB, more than the %(max)s MB an import "
                "accepts.",
                size=round(len(data) / 1024 / 1024, 1),
                max=MAX_FILE_SIZE // 1024 // 1024,
            )
        )
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return _check_text(env, data.decode(encoding))
            except UnicodeDecodeError as error:
                raise UserError(
                    env._(
                        "The file starts as %(encoding)s text but is not: save it "
                        "again as CSV UTF-8.",
                        encoding=encoding.upper(),
                    )
                ) from error
    if data.count(b"\x00") * 4 > len(data):
        # UTF-16 without BOM: every other byte of Latin text is NUL.
        raise UserError(
            env._(
                "The file looks encoded in UTF-16 without byte order mark, or "
                "is not a CSV text file: save it as CSV UTF-8."
            )
        )
    for encoding in ENCODINGS:
        try:
            return _check_text(env, data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return _check_text(env, data.decode(FALLBACK_ENCODING))


def _check_text(env, text):
    # PostgreSQL refuses a NUL character in any text column, and no CSV
    # written by a person holds one: name its line.
    line = text.count("\n", 0, text.find("\x00")) + 1 if "\x00" in text else 0
    if line:
        raise UserError(
            env._(
                "Line %(line)s of the file holds a NUL character, which a CSV "
                "file never holds: correct the file.",
                line=line,
            )
        )
    return text


def read_csv(env, text, tie_separator=";"):
    """Split ``text`` into its header and its non-empty rows.

    The separator is the one, ``;`` or ``,``, that the header line uses most
    (``tie_separator`` when as often). Return ``(header, [(line, cells)])``,
    line numbers as in the file (header = 1), cells stripped."""
    _check_line_lengths(env, text)
    header_line = text.split("\n", 1)[0]
    semicolons, commas = header_line.count(";"), header_line.count(",")
    separator = tie_separator if semicolons == commas else ";,"[commas > semicolons]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header, rows, last_line = None, [], 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row starts after the previous one.
            line, last_line = last_line + 1, reader.line_num
            _check_cells(env, line, cells)
            if header is None:
                header = [cell.strip() for cell in cells]
            elif any(cell.strip() for cell in cells):
                rows.append((line, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise UserError(
            env._(
                "The file cannot be read as CSV at line %(line)s (%(error)s): "
                "save it again as CSV from your spreadsheet.",
                line=last_line + 1,
                error=error,
            )
        ) from error
    if not header or not any(header):
        raise UserError(env._("The file is empty."))
    return header, rows


def _check_line_lengths(env, text):
    """Refuse a line too long for its cells before the csv module does, with
    its own message (a field over 131,072 characters)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_LENGTH:
            raise UserError(
                env._(
                    "Line %(line)s is %(length)s characters long, more than the "
                    "%(max)s a line of this file may hold: correct the file.",
                    line=number,
                    length=len(line),
                    max=MAX_LINE_LENGTH,
                )
            )


def _check_cells(env, line, cells):
    for cell in cells:
        if len(cell) > MAX_CELL_LENGTH:
            raise UserError(
                env._(
                    "Line %(line)s holds a cell of %(length)s characters, more "
                    "than the %(max)s a cell of this file may hold: correct the "
                    "file.",
                    line=line,
                    length=len(cell),
                    max=MAX_CELL_LENGTH,
                )
            )
