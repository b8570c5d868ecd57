"""Qt's own texts in Chinese: the qtbase translation the PySide6 wheel ships (LGPL-3.0, like Qt).

Standard buttons (是/否, 确定/取消), file dialogs, the line edits' context menus and the calendar
come from Qt, not from us; without a translator they stay English. PyInstaller's PySide6 hook
copies ``PySide6/Qt/translations`` into the bundle, so ``QLibraryInfo`` finds them there too;
``resources/translations/`` is looked at first so a build can ship its own copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
CATALOGS = ("qtbase",)  # qt_zh_CN is a meta catalogue that only names qtbase and the modules we exclude


# Texts qtbase_zh_CN (Qt 6.11) leaves in English, found by tests/ui/test_chinese_qt.py.
MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class _Supplement(QTranslator):
    """The few strings above; installed last, so Qt asks it first and falls back to qtbase."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:
        return False


def folders() -> list[Path]:
    from collector.common.paths import resources_dir

    return [resources_dir() / "translations",
            Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]


def install(app: QApplication, locale: str = "zh_CN") -> list[str]:
    """Load Qt's catalogues for ``locale`` once per application; returns the files loaded."""
    if app.property("collectorTranslated"):
        return []
    loaded = []
    for catalog in CATALOGS:
        for folder in folders():
            translator = QTranslator(app)  # parented to the app: it lives as long as the app
            if translator.load(f"{catalog}_{locale}", str(folder)):
                app.installTranslator(translator)
                loaded.append(str(folder / f"{catalog}_{locale}.qm"))
                break
        else:
            log.warning("Qt translation %s_%s not found in %s", catalog, locale, folders())
    app.installTranslator(_Supplement(app))
    # calendar month and day names
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app.setProperty("collectorTranslated", True)
    return loaded
