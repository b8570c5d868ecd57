"""The signed, encrypted ``.rpu`` package format (DESIGN §6, docs/rpu-format.md): writing,
reading and verifying packages, and the keys they use. A library: it knows no store, rules,
office or printing (tests/test_layers.py); packing a candidate from the store and admitting a
received package into it are ``collector.exchange``.

The names below load their submodule on first use (PEP 562), so ``collector.rpu.errors`` or
the reader does not bring in the writer and its compressor (issue 28: app and command start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import Cancelled, IdentityError, PackageError, PackRefused, PassphraseError
    from .format import KINDS, VERSION, PartEntry, check_part_name
    from .keys import Identity, PublicKey, Recipient
    from .reader import Package, inspect, open_package
    from .writer import Part, WriteResult, write_package

_WHERE = {
    "errors": ("Cancelled", "IdentityError", "PackageError", "PackRefused", "PassphraseError"),
    "format": ("KINDS", "VERSION", "PartEntry", "check_part_name"),
    "keys": ("Identity", "PublicKey", "Recipient"),
    "reader": ("Package", "inspect", "open_package"),
    "writer": ("Part", "WriteResult", "write_package"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "Cancelled", "IdentityError", "PackageError", "PackRefused", "PassphraseError",
    "KINDS", "VERSION", "PartEntry", "check_part_name", "Identity", "PublicKey", "Recipient",
    "Package", "inspect", "open_package", "Part", "WriteResult",
    "write_package",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__, not importlib.import_module: it is what `import` runs, so `-X importtime`
    # (which tests/core/test_cli_light.py and tests/ui/test_start_light.py read) sees it
    value = getattr(__import__(f"{__name__}.{module}", fromlist=[name]), name)
    globals()[name] = value  # once: later look-ups are plain attribute reads
    return value
