"""Shared facts both sides rely on: settings, the data contract, the FEC vocabulary, geography,
normalization rules and the parser of every input. Imports nothing else of the project."""
