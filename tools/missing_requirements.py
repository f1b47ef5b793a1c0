"""Print the lines of a requirements file that the current Python does not satisfy.

setup.sh calls pip only when this prints something, so that a run with
everything present does not touch the network.
"""

import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:  # packaging is not always installed, pip always vendors it
    from pip._vendor.packaging.requirements import Requirement

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker and not req.marker.evaluate():
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        print(line)
        continue
    if not req.specifier.contains(version, prereleases=True):
        print(line)
