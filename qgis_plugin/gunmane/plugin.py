"""The plugin object QGIS creates: registers the Processing provider."""
from __future__ import annotations

import sys

from qgis.core import QgsApplication

from . import deps
from .i18n import install_translator, remove_translator, tr
from .provider import GunmaneProvider


class GunmanePlugin:
    """Loaded by QGIS desktop (``initGui``) and by ``qgis_process`` (``initProcessing``)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.action = None
        self.dialog = None
        install_translator()

    def initProcessing(self):  # noqa: N802
        if self.provider is None:
            self.provider = GunmaneProvider()   # keep a Python reference
            QgsApplication.processingRegistry().addProvider(self.provider)
        if self.iface is None:
            # headless (qgis_process): print what is missing and the exact install command
            message = deps.missing_message()
            if message:
                print(message, file=sys.stderr)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        from qgis.PyQt.QtWidgets import QAction
        self.action = QAction(tr("Python dependencies..."), self.iface.mainWindow())
        self.action.triggered.connect(self.show_dependencies)
        self.iface.addPluginToMenu(tr("gunmane"), self.action)
        message = deps.missing_message()
        if message:
            # first use: the dialog lists what is missing and installs it with one click
            from qgis.PyQt.QtCore import QTimer
            QTimer.singleShot(0, self.show_dependencies)

    def show_dependencies(self):
        from .deps_dialog import DependencyDialog
        if self.dialog is None:
            parent = self.iface.mainWindow() if self.iface is not None else None
            self.dialog = DependencyDialog(parent)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()

    def unload(self):
        if self.action is not None and self.iface is not None:
            self.iface.removePluginMenu(tr("gunmane"), self.action)
            self.action = None
        if self.dialog is not None:
            self.dialog.cancel()
            self.dialog.deleteLater()
            self.dialog = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
