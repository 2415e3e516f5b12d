"""One module per schema revision, oldest first (``0001_…`` is the schema of 0.1)."""
