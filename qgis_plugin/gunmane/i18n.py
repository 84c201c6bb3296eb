"""Translation: one context ``gunmane`` for every user-facing string of the plugin.

Sources are English; ``i18n/gunmane_ja.ts`` holds the Japanese translation, compiled to
``gunmane_ja.qm`` by ``scripts/build_plugin.sh`` (``lrelease``).  The translator is chosen
from QGIS's locale (Settings > Options > General > User interface translation), so
algorithm names, groups, parameter labels, help and error messages follow QGIS's language.
"""
from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "gunmane"
I18N_DIR = Path(__file__).resolve().parent / "i18n"

_translator: QTranslator | None = None   # kept referenced: Qt does not own it
_translator_locale: str | None = None


def tr(text: str) -> str:
    """Translate ``text`` (an English source string) into QGIS's language."""
    return QCoreApplication.translate(CONTEXT, text)


def qgis_locale() -> str:
    """Two-letter language code QGIS runs in (``'ja'``, ``'en'``, ...)."""
    try:
        from qgis.core import QgsApplication
        name = QgsApplication.locale() or ""
    except Exception:  # pragma: no cover - QGIS without locale() (never on 3.22+)
        name = ""
    if not name:
        from qgis.PyQt.QtCore import QLocale
        name = QLocale().name()
    return name[:2].lower()


def install_translator(locale: str | None = None) -> str | None:
    """Install the translator for ``locale`` (default: QGIS's locale).

    Returns the path of the loaded ``.qm`` file, or ``None`` when the language is English
    or no compiled translation exists for it (then English strings are shown).
    Calling it again with another locale replaces the previous translator.
    """
    global _translator, _translator_locale
    locale = (locale or qgis_locale())[:2].lower()
    remove_translator()
    if locale == "en":
        return None
    qm = I18N_DIR / f"gunmane_{locale}.qm"
    if not qm.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    _translator, _translator_locale = translator, locale
    return str(qm)


def remove_translator() -> None:
    """Remove the translator installed by :func:`install_translator` (if any)."""
    global _translator, _translator_locale
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
    _translator, _translator_locale = None, None


def installed_locale() -> str | None:
    """Language of the installed translator, or ``None``."""
    return _translator_locale


def N_(text: str) -> str:  # noqa: N802 - the gettext-style marker name
    """Mark ``text`` for translation without translating it now (class constants)."""
    return text
