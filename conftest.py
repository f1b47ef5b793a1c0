"""pytest hooks for every BDE test, on top of pytest-odoo (README: "Set-up").

- No "Importing test framework" ERROR at start-up (see below).
- Odoo 18 decides from ``odoo.modules.module.current_test`` that it runs a test (no
  real e-mail sent, no commit while sending mail, HttpCase cursor checks); its own
  runner sets it, pytest-odoo 2.3.0 only does so for Odoo >= 19, so we do it here.
- Test classes outside an addon (the top-level tests/ folder) get the attributes Odoo's
  metaclass gives only to ``odoo.addons.*`` classes: without ``test_tags`` their
  setUpClass fails, and with the default tags outgoing HTTP requests stay blocked.
- A browser test (HttpCase) that Odoo skips because Chromium, websocket-client or
  --odoo-http is missing fails instead: a silently skipped tour hides a broken
  set-up.
  BDE_ALLOW_BROWSER_SKIP=1 allows the skip.
- Test durations stay true under freezegun.
- PDF reports rendered in tests take their CSS from the test server
  (see bde_report_url).
- What benchmarks print (tests whose node id contains "bench") is shown in a
  "benchmark figures" section of the report, even when they pass.
"""

import os
import re
from unittest import mock

import freezegun
import pytest

from odoo.tools import config

# pytest-odoo imports odoo.tests before test mode is on, and Odoo 18 then logs an
# ERROR "Importing test framework" with a long stack: import it in test mode first.
config["test_enable"] = True
from odoo.modules import module as odoo_module  # noqa: E402
from odoo.tests.common import BaseCase, HttpCase  # noqa: E402

config["test_enable"] = False

# pytest 9 reads its clock through _pytest.timing, which freezegun would freeze
# too: tests under @freeze_time would report durations of decades.
freezegun.configure(extend_ignore_list=["_pytest."])

# Plain pytest against Odoo in worker mode, run apart by tools/test_workers.sh.
collect_ignore = ["tests/workers"]
BROWSER_SKIP = re.compile(r"chrome|chromium|websocket|--odoo-http", re.IGNORECASE)
_figures = []


def _odoo_test(item):
    """The Odoo test case instance behind ``item``, or None for a plain pytest test."""
    instance = getattr(item, "instance", None)
    return instance if isinstance(instance, BaseCase) else None


def pytest_collection_modifyitems(items):
    for cls in {getattr(item, "cls", None) for item in items} - {None}:
        if issubclass(cls, BaseCase) and not hasattr(cls, "test_module"):
            # as odoo.tests.common.MetaCase does for odoo.addons.<module> classes
            if getattr(cls, "test_tags", None) is None:
                cls.test_tags = {"standard", "at_install"}
            cls.test_module = cls.__module__.rsplit(".", 1)[-1]
            cls.test_class = cls.__name__
            cls.test_sequence = 0


@pytest.fixture(scope="session", autouse=True)
def bde_report_url(request, load_http):
    """Serve report CSS to wkhtmltopdf from this session's Odoo.

    wkhtmltopdf fetches a PDF report's assets from web.base.url, http://localhost:8069
    outside HttpCase: whatever Odoo listens there answers for us, or never answers and
    the test hangs. Without --odoo-http, a closed port fails fast instead.
    """
    from odoo.addons.base.models.ir_actions_report import IrActionsReport

    port = config["http_port"] if request.config.getoption("--odoo-http") else 9
    url = f"http://127.0.0.1:{port}"
    with mock.patch.object(
        IrActionsReport, "_get_report_url", lambda self, layout=None: url
    ):
        yield


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    # Before setUpClass too, which runs in the setup of a class's first test.
    odoo_module.current_test = _odoo_test(item) or False
    return (yield)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        odoo_module.current_test = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not os.environ.get("BDE_ALLOW_BROWSER_SKIP"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if isinstance(_odoo_test(item), HttpCase) and BROWSER_SKIP.search(reason):
            report.outcome = "failed"
            report.longrepr = f"browser test skipped, set-up broken: {reason}"
    if report.when == "teardown" and "bench" in report.nodeid and report.capstdout:
        _figures.append((report.nodeid, report.capstdout))
    return report


def pytest_terminal_summary(terminalreporter):
    if _figures:
        terminalreporter.write_sep("-", "benchmark figures")
        for nodeid, text in _figures:
            terminalreporter.write_line(nodeid)
            terminalreporter.write(text if text.endswith("\n") else text + "\n")
