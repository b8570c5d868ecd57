; Inno Setup 6.2+ script for 人才信息采集 (Talent Collector). Saved as UTF-8 with a BOM: ISCC reads
; a file without one in the build machine's ANSI code page and would garble the Chinese names.
;
; Build on Windows after the PyInstaller build:
;   .venv\Scripts\pyinstaller --noconfirm build_installer.spec
;   iscc /DAppVersion=0.1.0 packaging\windows_installer.iss
; Output: dist\TalentCollector-<version>-setup.exe
;
; Installs per user by default (no administrator rights needed in an office; the first page
; offers "for all users" to an administrator), adds Start menu entries (the program, its
; 自检 self-test, uninstall), optionally a desktop icon, and offers to put `collector` on PATH:
; the user's PATH (HKCU\Environment) for a per-user install, the machine's (HKLM ...\Session
; Manager\Environment) for an all-users install; the uninstaller takes it out again.
; An upgrade first deletes {app}\_internal, so no library of an older build is left to be
; loaded next to the new one. User data (the database, keys) lives in the user's data folder
; (%LOCALAPPDATA%\TalentCollector) and is never removed by the uninstaller.
;
; Chinese messages: Inno Setup 6 ships no ChineseSimplified.isl; packaging\ChineseSimplified.isl
; is this project's own translation, loaded over Default.isl (so a message it lacks falls back
; to English instead of failing the build).

; 6.2 is the oldest that compiles it (packaging/windows/wine_ci.sh compiles it with 6.2.2);
; 6.3 renamed the 64-bit architecture "x64compatible" and still reads "x64".
#if Ver < EncodeVer(6, 2, 0)
  #error 需要 Inno Setup 6.2 或更高版本 / Inno Setup 6.2 or later is required
#endif
#if Ver >= EncodeVer(6, 3, 0)
  #define Arch64 "x64compatible"
#else
  #define Arch64 "x64"
#endif

#ifndef Compression
  #define Compression "lzma2/max"
#endif
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "人才信息采集"
#define AppExe "TalentCollector.exe"

[Setup]
AppId={{6F1B7A52-3C1E-4E7B-9A58-2017B1C0A1E5}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=TalentCollector
DefaultDirName={autopf}\TalentCollector
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=TalentCollector-{#AppVersion}-setup
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed={#Arch64}
ArchitecturesInstallIn64BitMode={#Arch64}
UninstallDisplayIcon={app}\{#AppExe}
ChangesEnvironment=yes
CloseApplications=yes
#if FileExists(AddBackslash(SourcePath) + "..\resources\icons\app.ico")
SetupIconFile=..\resources\icons\app.ico
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AddToPathGroup=命令行：
chinesesimplified.AddToPath=把命令行工具 collector 加入 PATH（卸载时自动移除）
chinesesimplified.Selftest=%1 自检
english.AddToPathGroup=Command line:
english.AddToPath=Add the collector command-line tool to PATH (removed on uninstall)
english.Selftest=%1 self-test

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "{cm:AddToPath}"; GroupDescription: "{cm:AddToPathGroup}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files of the old build left in _internal (a renamed or
; dropped DLL, an old Qt plugin) would otherwise be loaded by the new executable.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\TalentCollector\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:Selftest,{#AppName}}"; Filename: "{cmd}"; Parameters: "/k ""{app}\collector.exe"" --selftest"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  UserEnvironment = 'Environment';
  MachineEnvironment = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

{ The hive and key whose Path this install mode changes: HKLM for all users, HKCU otherwise. }
function EnvironmentRoot: Integer;
begin
  if IsAdminInstallMode then
    Result := HKEY_LOCAL_MACHINE
  else
    Result := HKEY_CURRENT_USER;
end;

function EnvironmentKey: string;
begin
  if IsAdminInstallMode then
    Result := MachineEnvironment
  else
    Result := UserEnvironment;
end;

function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;

{ Append Dir to the Path of the install mode's hive. A missing or empty Path becomes Dir alone
  (never ';C:\...'); the uninstaller takes it out again (RemoveFromPath). }
procedure AddToPath(Dir: string);
var
  Paths: string;
begin
  if not NeedsAddPath(Dir) then
    exit;
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then
    Paths := '';
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then
    Paths := Paths + ';';
  RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths + Dir);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

{ Take Dir out of Path (every occurrence), leaving the other entries as they were; a Path left
  empty is deleted, as it was before the install. }
procedure RemoveFromPath(Dir: string);
var
  Paths: string;
  P: Integer;
begin
  if not RegQueryStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths) then
    exit;
  Paths := ';' + Paths + ';';
  P := Pos(';' + Uppercase(Dir) + ';', Uppercase(Paths));
  if P = 0 then
    exit;
  while P > 0 do
  begin
    Delete(Paths, P, Length(Dir) + 1);
    P := Pos(';' + Uppercase(Dir) + ';', Uppercase(Paths));
  end;
  Paths := Copy(Paths, 2, Length(Paths) - 2);
  if Paths = '' then
    RegDeleteValue(EnvironmentRoot, EnvironmentKey, 'Path')
  else
    RegWriteExpandStringValue(EnvironmentRoot, EnvironmentKey, 'Path', Paths);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
