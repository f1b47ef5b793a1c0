from . import bde_pfmp_placement_stop
