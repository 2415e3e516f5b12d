"""Services: the operations of phoihop, each one database transaction.

The CLI, the Prefect flows and the web layer all call these; none of them holds
a rule of its own. Rules come from :mod:`rules`, the moment from :mod:`services.clock`.
"""
