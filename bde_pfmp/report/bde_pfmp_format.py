"""What the PFMP documents, written in French on the national model, share:
hours as "35 heures" (never "35:00"), their language, the host's
representative and one-line addresses."""

MINUTES_PER_HOUR = 60
# The French the documents are written in, when the lycée's own language is
# another one: the national model is a French legal text.
DOCUMENT_LANG = "fr_FR"


def format_hours(value):
    """A number of hours as the documents write it: 35 → "35 heures",
    31.5 → "31 heures 30", 1 → "1 heure", 0.5 → "30 minutes"."""
    total_minutes = round((value or 0) * MINUTES_PER_HOUR)
    hours, minutes = divmod(total_minutes, MINUTES_PER_HOUR)
    if not hours:
        return f"{minutes} minutes"
    text = f"{hours} heure" if hours == 1 else f"{hours} heures"
    return f"{text} {minutes:02d}" if minutes else text


def document_lang(placement):
    """The lycée's language when it is a French one, else French when the
    database has it, else the lycée's language."""
    lang = placement.company_id.partner_id.lang or ""
    if lang.startswith("fr") or not placement.env["res.lang"]._lang_get(DOCUMENT_LANG):
        return lang or placement.env.lang
    return DOCUMENT_LANG


def host_signatory(placement):
    """The host's representative who signs; the tutor until the placement
    names another one."""
    if "host_signatory_id" in placement._fields and placement.host_signatory_id:
        return placement.host_signatory_id
    return placement.tutor_id


def one_line_address(partner):
    """The partner's address on one line, without the commas of the parts it
    does not have."""
    town = " ".join(part for part in (partner.zip, partner.city) if part)
    return ", ".join(part for part in (partner.street, partner.street2, town) if part)
