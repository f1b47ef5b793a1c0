"""Distances between positions given in degrees (WGS 84), as the crow flies.

No geocoding service is reachable from a lycée's server: positions are typed
in (or imported) and distances are computed here."""

from math import asin, cos, degrees, radians, sin, sqrt

from odoo import fields
from odoo.tools import SQL

# Mean radius of the Earth (IUGG), in km: the haversine formula on a sphere of
# this radius is within 0.5 % of the ellipsoid distance, enough to pick a host.
EARTH_RADIUS_KM = 6371.0088
# Margin of a bounding box, in degrees: above the rounding of the positions
# (7 decimals), so that a point at the exact distance stays in its box.
BOX_MARGIN_DEGREES = 1e-6


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two (latitude, longitude) points."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = phi2 - phi1
    dlambda = radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def haversine_km_sql(lat1, lon1, lat2, lon2):
    """haversine_km as an SQL expression; each argument is a number or an SQL
    expression (a column). LEAST keeps rounding from taking ASIN out of its
    domain for antipodes."""
    return SQL(
        """(2 * %(radius)s * ASIN(LEAST(1, SQRT(
            POWER(SIN(RADIANS(%(lat2)s - %(lat1)s) / 2), 2)
            + COS(RADIANS(%(lat1)s)) * COS(RADIANS(%(lat2)s))
              * POWER(SIN(RADIANS(%(lon2)s - %(lon1)s) / 2), 2)))))""",
        radius=EARTH_RADIUS_KM,
        lat1=lat1,
        lon1=lon1,
        lat2=lat2,
        lon2=lon2,
    )


def bounding_box(lat, lon, km):
    """(latitude min, max, longitude min, max) in degrees of a box holding
    every point within ``km`` of (lat, lon); the longitudes are None when the
    box reaches a pole or crosses the antimeridian (no bound on them then).
    Along a meridian, ``km`` is an angle of km / radius; in longitude, the
    widest angle is reached away from the meridian, asin(sin(angle) /
    cos(lat)) (J. P. Matuschek, "Finding points within a distance of a
    latitude/longitude using bounding coordinates")."""
    angle = max(km, 0) / EARTH_RADIUS_KM
    lat_min = lat - degrees(angle) - BOX_MARGIN_DEGREES
    lat_max = lat + degrees(angle) + BOX_MARGIN_DEGREES
    if lat_min <= -90 or lat_max >= 90:
        return lat_min, lat_max, None, None
    delta = degrees(asin(sin(angle) / cos(radians(lat)))) + BOX_MARGIN_DEGREES
    if lon - delta < -180 or lon + delta > 180:
        return lat_min, lat_max, None, None
    return lat_min, lat_max, lon - delta, lon + delta


class DistanceKm(fields.Float):
    """A distance in km that stays empty (NULL in the database, False when
    read, a blank cell in the web client) while a position is unknown: a
    Float would store 0, that a "within 10 km" filter, a sort or an average
    would take for a host next door."""

    def convert_to_column(self, value, record, values=None, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_column(value, record, values, validate)

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False:
            return None
        return super().convert_to_cache(value, record, validate)

    def convert_to_record(self, value, record):
        return False if value is None else value

    def convert_to_export(self, value, record):
        return "" if value is False else super().convert_to_export(value, record)
