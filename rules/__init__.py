"""The rules of phoihop: plain Python, no I/O, no Prefect, no database.

Every function that depends on the moment takes ``now`` as an argument, so a
simulated clock can drive the whole engine and tests need no patching.
"""
