; Inno Setup script for 人才信息采集 (Talent Collector).
;
; Build on Windows after the PyInstaller build:
;   .venv\Scripts\pyinstaller --noconfirm build_installer.spec
;   iscc /DAppVersion=0.1.0 packaging\windows_installer.iss
; Output: dist\TalentCollector-<version>-setup.exe
;
; Installs per user by default (no administrator rights needed in an office), adds Start
; menu entries, optionally a desktop icon, and offers to put `collector` on the user's PATH.
; User data (the database, keys) lives in %LOCALAPPDATA%\TalentCollector and is never
; removed by the uninstaller.

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
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}
ChangesEnvironment=yes
#if FileExists(AddBackslash(SourcePath) + "..\resources\icons\app.ico")
SetupIconFile=..\resources\icons\app.ico
#endif

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "把命令行工具 collector 加入 PATH"; GroupDescription: "命令行:"; Flags: unchecked

[Files]
Source: "..\dist\TalentCollector\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} 自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\collector.exe"" --selftest"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
