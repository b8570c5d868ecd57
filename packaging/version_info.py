"""Windows version resource (file properties → 详细信息) for both executables.

Only built on Windows: PyInstaller's version-info module needs ``pefile``, which it installs
on Windows only, and the resource means nothing elsewhere.
"""

from __future__ import annotations

import sys


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(p) if p.isdigit() else 0 for p in version.split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def make_version_info(version: str, exe_name: str, description: str):
    """A VSVersionInfo for EXE(version=...), or None when not building on Windows."""
    if sys.platform != "win32":
        return None
    from PyInstaller.utils.win32.versioninfo import (FixedFileInfo, StringFileInfo,
                                                     StringStruct, StringTable, VarFileInfo,
                                                     VarStruct, VSVersionInfo)

    nums = version_tuple(version)
    strings = [
        StringStruct("CompanyName", "TalentCollector"),
        StringStruct("FileDescription", description),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", exe_name),
        StringStruct("LegalCopyright", "MIT License"),
        StringStruct("OriginalFilename", f"{exe_name}.exe"),
        StringStruct("ProductName", "人才信息采集 Talent Collector"),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=nums, prodvers=nums, mask=0x3F, flags=0x0, OS=0x40004,
                          fileType=0x1, subtype=0x0, date=(0, 0)),
        kids=[
            StringFileInfo([StringTable("080404B0", strings)]),  # zh-CN, Unicode
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
