"""The dependency dialog: what is missing or has a wrong version, installed with one click.

pip runs in a ``QProcess`` (QGIS's UI thread never waits on it): its output goes to the
log pane line by line, the progress bar counts the packages pip collects and installs,
and *Cancel* kills the process.  Packages go into the plugin's own folder
(``depcheck.packages_base()``), never into QGIS's site-packages.
"""
from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QProcess, QProcessEnvironment, QSettings, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QCheckBox,
    QVBoxLayout,
)

from . import depcheck, deps
from .i18n import tr

SETTINGS_KEY = "gunmane/wheel_folder"


def status_text(row: dict) -> str:
    if row["status"] == "ok":
        return tr("OK")
    if row["status"] == "missing":
        return tr("optional, not installed") if row["optional"] else tr("missing")
    if row["status"] == "restart":
        return tr("installed: restart QGIS")
    return tr("wrong version")


class DependencyDialog(QDialog):
    """Lists the plugin's Python packages and installs the missing ones (``QProcess`` + pip)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("gunmane: Python dependencies"))
        self.process: QProcess | None = None
        self.cancelled = False
        self.expected = 1
        self.steps = 0
        self.rows: list[dict] = []
        layout = QVBoxLayout(self)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [tr("Package"), tr("Needed"), tr("Found"), tr("Status")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.table)

        self.from_folder = QRadioButton(tr("From a wheel folder (offline: the folder shipped "
                                           "beside the plugin zip)"))
        self.from_index = QRadioButton(tr("From the internet (Python Package Index)"))
        self.from_folder.setChecked(True)
        layout.addWidget(self.from_folder)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(tr("Folder with .whl files, e.g. gunmane-0.1.0-wheels-..."))
        self.browse = QPushButton(tr("Browse..."))
        self.browse.clicked.connect(self.choose_folder)
        folder_row.addWidget(self.folder)
        folder_row.addWidget(self.browse)
        layout.addLayout(folder_row)
        layout.addWidget(self.from_index)
        self.with_optional = QCheckBox(tr("Also install numba (optional: faster detour searches)"))
        self.with_optional.setChecked(True)
        layout.addWidget(self.with_optional)
        self.target = QLabel()
        self.target.setWordWrap(True)
        self.target.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.target)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setPlaceholderText(tr("pip's log appears here."))
        layout.addWidget(self.log)

        buttons = QHBoxLayout()
        self.install_button = QPushButton(tr("Install"))
        self.install_button.clicked.connect(self.install)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(tr("Close"))
        self.close_button.clicked.connect(self.close)
        buttons.addStretch(1)
        for b in (self.install_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.resize(780, 820)

        saved = QSettings().value(SETTINGS_KEY, "", type=str)
        found = depcheck.default_wheel_folders()
        self.folder.setText(saved if saved and Path(saved).is_dir()
                            else (str(found[-1]) if found else ""))

    # --- state ---------------------------------------------------------------
    def refresh(self):
        """Re-check the packages (after an install, or when the dialog opens)."""
        depcheck.activate()
        self.rows = depcheck.check()
        self.table.setRowCount(len(self.rows))
        colours = {"ok": QColor("#1b7837"), "missing": QColor("#b2182b"),
                   "wrong version": QColor("#b35806"), "restart": QColor("#2166ac")}
        for i, row in enumerate(self.rows):
            cells = [row["name"], row["spec"], row["version"] or "-", status_text(row)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 3:
                    item.setForeground(QColor("#666666") if row["optional"] and row["status"] != "ok"
                                       else colours[row["status"]])
                if row["location"]:
                    item.setToolTip(row["location"])
                elif row["error"]:
                    item.setToolTip(row["error"])
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + sum(
            self.table.rowHeight(i) for i in range(self.table.rowCount()))
        self.table.setMinimumHeight(min(height, 520))
        bad = depcheck.problems(self.rows)
        if bad and all(r["status"] == "restart" for r in bad):
            self.summary.setText(tr("Installed. Restart QGIS to use: {names}.").format(
                names=", ".join(r["name"] for r in bad)))
        elif bad:
            self.summary.setText(tr("{n} package(s) missing or with a wrong version: {names}. "
                                    "Click Install.").format(
                n=len(bad), names=", ".join(r["name"] for r in bad)))
        else:
            self.summary.setText(tr("All required packages are ready."))
        self.target.setText(tr("Installs into the plugin's own folder (QGIS's packages are left "
                               "untouched): {folder}").format(folder=depcheck.site_dir()))
        return self.rows

    def choose_folder(self):
        folder = QFileDialog.getExistingDirectory(self, tr("Wheel folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.from_folder.setChecked(True)

    # --- running pip ------------------------------------------------------------
    def command(self):
        wheels = None
        if self.from_folder.isChecked():
            wheels = self.folder.text().strip()
            if not wheels or not Path(wheels).is_dir() or not any(Path(wheels).glob("*.whl")):
                raise ValueError(tr("The wheel folder '{folder}' has no .whl files. Choose the "
                                    "folder shipped beside the plugin zip (gunmane-<version>-"
                                    "wheels-...), or install from the internet.").format(folder=wheels))
            problem = depcheck.wheel_folder_problem(wheels)
            if problem:
                raise ValueError(tr("This wheel folder does not fit this QGIS: {problem}")
                                 .format(problem=problem))
        return depcheck.pip_command(wheels, with_optional=self.with_optional.isChecked())

    def install(self):
        try:
            argv, extra = self.command()
        except (ValueError, FileNotFoundError) as exc:
            self.log.appendPlainText(str(exc))
            return
        if self.from_folder.isChecked():
            QSettings().setValue(SETTINGS_KEY, self.folder.text().strip())
        self.log.clear()
        self.log.appendPlainText(depcheck.shell_command(argv, extra))
        self.expected = max(1, len(depcheck.problems(self.rows, include_optional=self.with_optional.isChecked())))
        self.steps = 0
        self.cancelled = False
        self.progress.setRange(0, 0)          # busy until pip reports its first package
        self.process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.remove("PYTHONNOUSERSITE")
        for key, value in extra.items():
            env.insert(key, value)
        self.process.setProcessEnvironment(env)
        self.process.setProcessChannelMode(QProcess.MergedChannels)
        self.process.readyReadStandardOutput.connect(self.read_output)
        self.process.finished.connect(self.finished)
        self.process.errorOccurred.connect(self.failed)
        self.install_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.process.start(argv[0], argv[1:])

    def read_output(self):
        if self.process is None:
            return
        text = bytes(self.process.readAllStandardOutput()).decode("utf-8", "replace")
        for line in text.splitlines():
            self.log.appendPlainText(line)
            if line.startswith(("Collecting ", "Processing ", "Looking in links", "Installing collected")):
                self.steps += 1
                total = 2 * self.expected + 2
                self.progress.setRange(0, 100)
                self.progress.setValue(min(95, int(100 * self.steps / total)))

    def finished(self, code, _status=None):
        self.read_output()
        ok = code == 0 and self.process is not None and self.process.exitStatus() == QProcess.NormalExit
        self.process = None
        self.install_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 100)
        self.progress.setValue(100 if ok else 0)
        deps.missing_dependencies(refresh=True)
        self.refresh()
        if self.cancelled:
            self.log.appendPlainText(tr("Stopped. Packages pip had finished stay in the plugin's "
                                        "folder; click Install to complete."))
        elif ok:
            still = depcheck.problems(self.rows)
            self.log.appendPlainText(
                tr("Done. Restart QGIS to use the new packages.") if still else tr("Done."))
        else:
            self.log.appendPlainText(tr("pip stopped with exit code {code}; see the log above.")
                                     .format(code=code))

    def failed(self, error):
        if error == QProcess.FailedToStart:
            self.log.appendPlainText(tr("Could not start Python ({python}). Set GUNMANE_PYTHON to "
                                        "QGIS's Python interpreter.").format(
                python=self.process.program() if self.process else "?"))
            self.finished(-1)

    def cancel(self):
        if self.process is not None:
            self.log.appendPlainText(tr("Cancelled by the user."))
            self.cancelled = True
            self.process.kill()
            self.process.waitForFinished(5000)

    def closeEvent(self, event):  # noqa: N802
        self.cancel()
        super().closeEvent(event)
