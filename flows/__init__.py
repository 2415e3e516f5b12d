"""Prefect flows: one module per stage of a cycle, each a thin shell over a service.

A flow reads the clock (if not given a moment), calls one coarse task per side
effect (the service's transaction, then the delivery or event emission) and
returns the service's result. The rules are never here.
"""
