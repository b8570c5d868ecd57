"""The Inno Setup script, read as ISCC would: its Chinese messages are vendored, PATH goes to
the hive of the install mode and leaves with the uninstaller, upgrades clear _internal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
ISS = PACKAGING / "windows_installer.iss"
MACHINE_ENV = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


def read_script(path: Path) -> dict[str, list[str]]:
    """Section name (lower case) -> its lines, comments dropped, ``\\`` continuations joined.
    ``[Code]`` keeps its raw lines."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} needs a UTF-8 BOM for ISCC"
    sections: dict[str, list[str]] = {"": []}
    current, pending = "", ""
    for line in raw.decode("utf-8-sig").splitlines():
        header = re.fullmatch(r"\[(\w+)\]\s*", line)
        if header and not pending:
            current = header.group(1).lower()
            sections.setdefault(current, [])
            continue
        if current != "code" and (not line.strip() or line.lstrip().startswith(";")):
            continue
        if current != "code" and line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        sections[current].append((pending + line.strip()) if current != "code" else line)
        pending = ""
    return sections


def entry(line: str) -> dict[str, str]:
    """``Name: "x"; Flags: a b`` -> {"name": "x", "flags": "a b"} (quotes doubled inside)."""
    out, rest = {}, line
    while rest:
        m = re.match(r'\s*(\w+):\s*("(?:[^"]|"")*"|[^;]*)\s*(?:;|$)', rest)
        assert m, f"cannot read entry: {rest!r}"
        value = m.group(2).strip()
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        out[m.group(1).lower()] = value
        rest = rest[m.end():]
    return out


@pytest.fixture(scope="module")
def script() -> dict[str, list[str]]:
    return read_script(ISS)


def test_chinese_messages_are_vendored_and_complete_enough(script):
    languages = [entry(line) for line in script["languages"]]
    chinese = next(lang for lang in languages if lang["name"] == "chinesesimplified")
    files = chinese["messagesfile"].split(",")
    assert files[0] == "compiler:Default.isl"  # English under it: a missing message never breaks
    vendored = [f for f in files if not f.startswith("compiler:")]
    assert vendored == ["ChineseSimplified.isl"] and (PACKAGING / vendored[0]).is_file()
    isl = read_script(PACKAGING / vendored[0])
    options = dict(line.split("=", 1) for line in isl["langoptions"])
    assert options["LanguageID"] == "$0804" and options["LanguageCodePage"] == "936"
    messages = dict(line.split("=", 1) for line in isl["messages"])
    for key in ("ButtonNext", "ButtonInstall", "WelcomeLabel1", "SelectDirDesc", "WizardReady",
                "FinishedLabel", "ConfirmUninstall", "PrivilegesRequiredOverrideCurrentUser",
                "SetupAppRunningError", "ExitSetupMessage"):
        assert re.search(r"[\u4e00-\u9fff]", messages[key]), key
    assert len(messages) >= 240  # every message of Default.isl 6.0
    custom = dict(line.split("=", 1) for line in isl["custommessages"])
    used = set(re.findall(r"\{cm:(\w+)", ISS.read_text(encoding="utf-8-sig")))
    own = {line.split("=", 1)[0].split(".", 1)[1] for line in script["custommessages"]
           if line.startswith("chinesesimplified.")}
    english = {line.split("=", 1)[0].split(".", 1)[1] for line in script["custommessages"]
               if line.startswith("english.")}
    assert used <= set(custom) | own and own == english


def test_path_is_changed_by_code_in_the_hive_of_the_install_mode(script):
    """A [Registry] row ``{olddata};{app}`` writes ``;C:\\…`` into a missing Path, so PATH is
    added by [Code]; the Wine run (packaging/windows/wine_ci.sh) installs with it and reads
    the Path back."""
    rows = [entry(line) for line in script.get("registry", [])]
    assert not [r for r in rows if r.get("valuename", "").lower() == "path"]
    code = "\n".join(script["code"])
    add = code[code.index("procedure AddToPath"):code.index("procedure CurStepChanged")]
    assert "if not NeedsAddPath(Dir) then" in add
    assert "if (Paths <> '') and" in add  # an empty Path gets the folder alone
    assert "RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths + Dir)" in add
    step = code[code.index("procedure CurStepChanged"):]
    assert "(CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath')" in step
    assert "Result := HKEY_LOCAL_MACHINE" in code and "Result := HKEY_CURRENT_USER" in code


def test_uninstall_takes_the_folder_out_of_path_in_the_same_hive(script):
    code = "\n".join(script["code"])
    assert re.search(r"procedure CurUninstallStepChanged\(CurUninstallStep: TUninstallStep\)",
                     code)
    uninstall = code[code.index("procedure CurUninstallStepChanged"):]
    assert "RemoveFromPath(ExpandConstant('{app}'))" in uninstall
    remove = code[code.index("procedure RemoveFromPath"):code.index("procedure CurUninstall")]
    assert "RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path'" in remove
    assert "RegDeleteValue(EnvironmentRoot, EnvironmentKey, 'Path')" in remove  # none left empty
    assert "HKEY_LOCAL_MACHINE" in code and "HKEY_CURRENT_USER" in code and MACHINE_ENV in code


def test_the_script_names_the_inno_setup_it_needs_and_both_architecture_names(script):
    text = ISS.read_text(encoding="utf-8-sig")
    assert "#if Ver < EncodeVer(6, 2, 0)\n  #error" in text
    assert ('#if Ver >= EncodeVer(6, 3, 0)\n  #define Arch64 "x64compatible"\n#else\n'
            '  #define Arch64 "x64"') in text
    setup = dict(line.split("=", 1) for line in script["setup"] if not line.startswith("#"))
    assert setup["ArchitecturesAllowed"] == setup["ArchitecturesInstallIn64BitMode"] == "{#Arch64}"


def test_an_upgrade_first_clears_the_old_bundle_libraries(script):
    rows = [entry(line) for line in script["installdelete"]]
    assert {"type": "filesandordirs", "name": r"{app}\_internal"} in rows


def test_selftest_shortcut_runs_the_command_line_in_a_console(script):
    icons = [entry(line) for line in script["icons"]]
    selftest = next(i for i in icons if "Selftest" in i["name"])
    assert selftest["filename"] == "{cmd}"
    assert selftest["parameters"] == '/k "{app}\\collector.exe" --selftest'
