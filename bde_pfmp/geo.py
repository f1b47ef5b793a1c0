"""Distances between positions given in degrees (WGS 84), as the crow flies.

No geocoding service is reachable from a lycée's server: positions are typed
in (or imported) and distances are computed here."""

from math import asin, cos, radians, sin, sqrt

# Mean radius of the Earth (IUGG), in km: the haversine formula on a sphere of
# this radius is within 0.5 % of the ellipsoid distance, enough to pick a host.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two (latitude, longitude) points."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = phi2 - phi1
    dlambda = radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))
