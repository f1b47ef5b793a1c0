"""One small client per outside service (SIRENE directory, Base Adresse
Nationale, InserJeunes open data).

Every call to a service goes through a subclass of ServiceClient: its base
URL is a system parameter (so an administrator can follow a service that
moves, and tests point it at a local server replaying recorded answers),
and a service that does not answer raises a UserError naming it, before
anything is written.
"""

import logging

import requests

from odoo import _
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class ServiceClient:
    """Base of the clients: subclasses set the service's name, the system
    parameter holding its base URL and the URL used when it is not set."""

    service_name = ""
    url_parameter = ""
    default_url = ""
    timeout = 20

    def __init__(self, env):
        self.env = env

    @property
    def base_url(self):
        url = self.env["ir.config_parameter"].sudo().get_param(self.url_parameter)
        return (url or self.default_url).rstrip("/")

    def request(self, method, path, **kwargs):
        """The service's answer to ``method path`` (a requests.Response with
        a 2xx status); a UserError when it cannot be reached or refuses."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
            response.raise_for_status()
        except requests.RequestException as error:
            _logger.warning("%s: %s %s: %s", self.service_name, method, url, error)
            raise UserError(
                _(
                    "The service %(service)s did not answer (%(error)s). Nothing "
                    "was changed; try again later.",
                    service=self.service_name,
                    error=_error_summary(error),
                )
            ) from error
        return response

    def get_json(self, path, params=None):
        response = self.request("GET", path, params=params)
        try:
            return response.json()
        except ValueError as error:
            raise UserError(
                _(
                    "The service %(service)s sent an answer that is not JSON. "
                    "Nothing was changed.",
                    service=self.service_name,
                )
            ) from error


def _error_summary(error):
    """A short reason for the user: the HTTP status, or the kind of failure."""
    response = getattr(error, "response", None)
    if response is not None:
        return f"HTTP {response.status_code}"
    if isinstance(error, requests.Timeout):
        return "timeout"
    return "connection failed"
