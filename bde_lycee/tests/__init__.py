from . import test_school_structure
from . import test_security
