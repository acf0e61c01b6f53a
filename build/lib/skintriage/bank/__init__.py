"""The case bank: the case schema, and the loader that validates case files and fingerprints the bank."""
