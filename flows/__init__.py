"""Prefect flows: the work that is scheduled, fanned out or heavy, never a human action.

A person's action (submit, accept, return, extend, open, synthesize) is one
service call, one transaction, from the CLI, the API or the pages. Flows run
what nobody clicks: the sweep and the delivery of the outbox
(:mod:`flows.escalation`), the cycles a program's schedule opens
(:mod:`flows.request`), and the relay of domain events from the audit log to
Prefect (:mod:`flows.relay`). Each calls one coarse task per side effect or
batch; the rules are never here.
"""
