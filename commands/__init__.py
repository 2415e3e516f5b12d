"""Command-line groups. Each module registers its sub-commands on the parser.

Modules here must stay cheap to import: they only declare arguments and import
the services they call inside the handlers, so ``phoihop --help`` and read-only
commands never pay for Prefect (or anything else they do not use).
"""
