"""The Processing provider ``gunmane``."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsMessageLog, QgsProcessingProvider, Qgis
from qgis.PyQt.QtGui import QIcon

from . import deps
from .i18n import tr

PLUGIN_DIR = Path(__file__).resolve().parent


class GunmaneProvider(QgsProcessingProvider):
    """Algorithms of gunmane-geo: bridges, consolidation, municipal groups, council maps."""

    def id(self):
        return "gunmane"

    def name(self):
        return tr("gunmane (regional infrastructure group management)")

    def longName(self):  # noqa: N802
        return tr("gunmane-geo: regional infrastructure group management (群マネ)")

    def icon(self):
        return QIcon(str(PLUGIN_DIR / "icon.svg"))

    def svgIconPath(self):  # noqa: N802
        return str(PLUGIN_DIR / "icon.svg")

    def versionInfo(self):  # noqa: N802
        from . import plugin_version
        return plugin_version()

    def loadAlgorithms(self):  # noqa: N802
        from .algorithms import algorithm_classes
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
        message = deps.missing_message()
        if message:
            # The algorithms stay listed; each one stops with this message when run.
            QgsMessageLog.logMessage(message, "gunmane", Qgis.Warning)
