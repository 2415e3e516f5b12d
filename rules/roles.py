"""The roles of web accounts; what each may do is decided in :mod:`web.access`."""

COORDINATOR, AGENCY, VIEWER = "coordinator", "agency", "viewer"
ROLES = (COORDINATOR, AGENCY, VIEWER)
