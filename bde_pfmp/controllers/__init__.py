from . import census
from . import portal
