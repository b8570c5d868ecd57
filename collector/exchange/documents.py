"""The documents a level package carries besides its candidates (written by ``office/package.py``,
read by the inbox and the chain check)."""

REPORT_DOC = "documents/report.json"
DECISIONS_DOC = "documents/decisions.json"
# Where each candidate of a level's package was taken from: ID number -> {"package": the nested
# part name, or null when this level entered the record itself; "sha256"; "file"}. The region's
# chain check matches every candidate against that package only (exchange/chain.py).
SOURCES_DOC = "documents/sources.json"
