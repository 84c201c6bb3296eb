"""The plugin object QGIS creates: registers the Processing provider."""
from __future__ import annotations

from qgis.core import QgsApplication

from . import deps
from .i18n import install_translator, remove_translator, tr
from .provider import GunmaneProvider


class GunmanePlugin:
    """Loaded by QGIS desktop (``initGui``) and by ``qgis_process`` (``initProcessing``)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        install_translator()

    def initProcessing(self):  # noqa: N802
        if self.provider is None:
            self.provider = GunmaneProvider()   # keep a Python reference
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        message = deps.missing_message()
        if message and self.iface is not None:
            self.iface.messageBar().pushWarning(tr("gunmane"), message)

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
