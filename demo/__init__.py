"""The demo: a provincial reporting cycle, first half of 2024, on a simulated clock.

Modelled on the seeds: the Bến Tre provincial propaganda board asks the
People's Council, People's Committee, Procuracy, Court and three departments
for their reports under Decision 238-QĐ/TW (letter 310-CV/BTGTU, 03/07/2024).
"""
