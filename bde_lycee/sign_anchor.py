"""Where each signatory signs in a rendered PDF.

A report marks each signatory's signature cell with the QWeb template
``bde_lycee.bde_sign_anchor``: an invisible text marker ``[[sign:<role>]]``
in a system font, so that its text stays in the PDF whatever the report's own
fonts. ``find_anchors`` reads the markers' positions back; ``add_signature_page``
appends a last page "Signatures" for the roles whose marker is missing, so that
a change of layout never stops a document from being signed.

Positions are in percent of the page, y from the top, as sign_oca's
``signatory_data`` takes them.
"""

import re
from io import BytesIO

from reportlab.lib.colors import black, grey
from reportlab.pdfgen import canvas

from odoo.tools.pdf import PdfFileReader, PdfFileWriter

ANCHOR_RE = re.compile(r"\[\[sign:([a-z_]+)\]\]")
# The signature box of a signer, in percent of the page.
FIELD_WIDTH = 30.0
FIELD_HEIGHT = 7.0
# The fallback page: a title, then a block (label and box) per role.
PAGE_TOP = 12.0
BLOCK_HEIGHT = 11.0
LABEL_HEIGHT = 3.0
MARGIN_X = 10.0


def find_anchors(pdf_data, codes=None):
    """Return ``{role_code: (page, x, y)}`` of a marker of each role: page
    numbered from 1, x and y in percent of the page, y from the top.

    Reading a page's text takes a third of a second: the pages are read from
    the last, where signature blocks stand, until every role of ``codes`` is
    found."""
    reader = PdfFileReader(BytesIO(pdf_data))
    anchors = {}
    pages = list(enumerate(reader.pages, start=1))
    for number, page in reversed(pages):
        if codes is not None and set(codes) <= anchors.keys():
            break

        def visit(
            text, cm, tm, font_dict, font_size, number=number, page_box=page.mediabox
        ):
            for code in ANCHOR_RE.findall(text or ""):
                if code in anchors:
                    continue
                # The text matrix in the current transformation matrix: the
                # marker's origin on the page, y from the bottom.
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] - float(page_box.left)
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - float(page_box.bottom)
                width, height = float(page_box.width), float(page_box.height)
                anchors[code] = (number, 100.0 * x / width, 100.0 * (1 - y / height))

        page.extract_text(visitor_text=visit)
    return anchors


def field_at(anchor):
    """The signature box of a marker: below and right of it, kept on the page."""
    page, x, y = anchor
    return {
        "page": page,
        "position_x": round(min(max(x, 0.0), 100.0 - FIELD_WIDTH), 2),
        "position_y": round(min(max(y, 0.0), 100.0 - FIELD_HEIGHT), 2),
        "width": FIELD_WIDTH,
        "height": FIELD_HEIGHT,
    }


def add_signature_page(pdf_data, title, labels):
    """Append a page ``title`` with a labelled box per entry of ``labels``
    (the names of the roles without a marker); return the new PDF and the
    boxes, in the order of ``labels``."""
    reader = PdfFileReader(BytesIO(pdf_data))
    writer = PdfFileWriter()
    for page in reader.pages:
        writer.add_page(page)
    last_box = reader.pages[-1].mediabox
    width, height = float(last_box.width), float(last_box.height)
    page_number = len(reader.pages) + 1
    packet = BytesIO()
    can = canvas.Canvas(packet, pagesize=(width, height))
    can.setFillColor(black)
    can.setFont("Helvetica-Bold", 16)
    can.drawString(width * MARGIN_X / 100, height * (1 - 7.0 / 100), title)
    boxes = []
    for index, label in enumerate(labels):
        top = PAGE_TOP + index * BLOCK_HEIGHT
        can.setFillColor(black)
        can.setFont("Helvetica", 11)
        can.drawString(width * MARGIN_X / 100, height * (1 - (top + 2.0) / 100), label)
        box = {
            "page": page_number,
            "position_x": MARGIN_X,
            "position_y": top + LABEL_HEIGHT,
            "width": FIELD_WIDTH,
            "height": FIELD_HEIGHT,
        }
        can.setStrokeColor(grey)
        can.rect(
            width * MARGIN_X / 100,
            height * (1 - (box["position_y"] + FIELD_HEIGHT) / 100),
            width * FIELD_WIDTH / 100,
            height * FIELD_HEIGHT / 100,
        )
        boxes.append(box)
    can.showPage()
    can.save()
    packet.seek(0)
    writer.add_page(PdfFileReader(packet).pages[0])
    output = BytesIO()
    writer.write(output)
    return output.getvalue(), boxes
