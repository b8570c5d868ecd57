"""The export disc (DESIGN §9): the folder layout, its MANIFEST.sha256, the ISO 9660 image
(Joliet + Rock Ridge so Chinese names survive), the medium size check, and verification.

``layout`` names the parts and the media, ``folder`` writes the folder, ``medium`` checks its
size, ``iso`` writes and reads the image, ``verification`` checks either against the manifest.
Callers use ``from collector import disc`` and the names below.
"""

from .folder import (_relative_files, build_folder, check_target, is_disc_folder, parse_manifest, write_manifest,
                     write_readme)
from .iso import JOLIET_MAX, is_iso, make_iso, open_iso
from .layout import (CHUNK, MANIFEST, MEDIA, PRINT_DIR, README, RPU_DIR, SECTOR, SUMMARY_XLSX,
                     DiscError, DiscLabel, Progress)
from .medium import check_medium, estimate_iso_size
from .verification import VerifyReport, rpu_files_on, verify

__all__ = [
    "CHUNK", "JOLIET_MAX", "MANIFEST", "MEDIA", "PRINT_DIR", "README", "RPU_DIR", "SECTOR",
    "SUMMARY_XLSX", "DiscError", "DiscLabel", "Progress", "VerifyReport", "build_folder",
    "check_medium", "check_target", "estimate_iso_size", "is_disc_folder", "is_iso", "make_iso", "open_iso",
    "parse_manifest", "rpu_files_on", "verify", "write_manifest", "write_readme",
    "_relative_files",  # counted by collector.office.export
]
