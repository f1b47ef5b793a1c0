from . import census
from . import portal
from . import portal_attendance
from . import portal_student
from . import portal_evaluation
