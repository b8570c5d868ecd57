"""Moving candidates between installations with the ``.rpu`` format (``collector.rpu``):
this installation's keys (``keyring``), packing candidates from the store (``packing``), and the
intake pipeline that admits a received package into it (``intake``: verify → chain →
provenance → decide → store).

Import the submodule you need (``from collector.exchange import keyring``): this package
imports nothing itself, so unlocking a key does not load the packer, the importer or the
``.rpu`` writer (issue 28: ``collector verify`` and the light commands start fast).
"""
