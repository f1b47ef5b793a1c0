from . import test_school_structure
