from . import bde_yearly_report
