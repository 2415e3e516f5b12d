"""The default Word templates of the documents phoihop issues (``templates/*.docx``).

Made once by ``tools/make_templates.py`` and committed, so an office can open
them in Word, change them, and point ``PHOIHOP_TEMPLATES_DIR`` at its copies
(services.issuing checks each for the fields it needs).
"""
