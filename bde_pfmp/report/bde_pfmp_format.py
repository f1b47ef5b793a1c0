"""How the PFMP documents, written in French on the national model, print
figures: never "35:00" for a working time."""

MINUTES_PER_HOUR = 60


def format_hours(value):
    """A number of hours as the documents write it: 35 → "35 heures",
    31.5 → "31 heures 30", 1 → "1 heure", 0.5 → "30 minutes"."""
    total_minutes = round((value or 0) * MINUTES_PER_HOUR)
    hours, minutes = divmod(total_minutes, MINUTES_PER_HOUR)
    if not hours:
        return f"{minutes} minutes"
    text = f"{hours} heure" if hours == 1 else f"{hours} heures"
    return f"{text} {minutes:02d}" if minutes else text
