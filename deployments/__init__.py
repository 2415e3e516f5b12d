"""Prefect deployments and the one-machine production mode (``phoihop serve``).

- :mod:`deployments.schedules` builds the deployments: the escalation sweep on
  an interval, and one per program opening its cycles on the program's RRule
  (Asia/Ho_Chi_Minh).
- :mod:`deployments.local_server` starts and stops a Prefect server on loopback
  when none is configured.
"""
