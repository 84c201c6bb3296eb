"""Drive the plugin's dependency dialog headless, in QGIS's own Python (not the test venv).

    /usr/bin/python3 _dialog_driver.py PLUGINS_DIR WHEELS SHOTS_DIR LANG [--cancel] [--no-optional]

Imports the *installed* plugin from PLUGINS_DIR (a fresh profile), opens the dialog, saves
screenshots (``widget.grab()``) to SHOTS_DIR, optionally starts an install and cancels it,
then installs from the wheel folder WHEELS with one click (the Install button) and waits
for pip (the event loop keeps running: the UI thread never blocks).  Prints one JSON
line: the rows before and after, the log, and the cancel outcome.
"""
import json
import sys
import time


def main():
    plugins, wheels, shots, lang = sys.argv[1:5]
    cancel = "--cancel" in sys.argv
    no_optional = "--no-optional" in sys.argv
    from qgis.core import QgsApplication
    app = QgsApplication([], True)
    app.initQgis()
    sys.path.insert(0, plugins)
    import gunmane
    from gunmane import depcheck
    depcheck.activate()
    from gunmane.i18n import install_translator
    install_translator(lang)
    from gunmane.deps_dialog import DependencyDialog
    from pathlib import Path
    shots = Path(shots)
    shots.mkdir(parents=True, exist_ok=True)

    dialog = DependencyDialog()
    dialog.folder.setText(wheels)
    dialog.with_optional.setChecked(not no_optional)
    before = dialog.refresh()
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(shots / f"deps_dialog_missing_{lang}.png"))
    result = {"before": before, "gunmane_file": gunmane.__file__,
              "target": str(depcheck.site_dir())}

    def wait(predicate, timeout):
        end = time.time() + timeout
        while time.time() < end and not predicate():
            app.processEvents()
            time.sleep(0.02)
        return predicate()

    if cancel:
        dialog.install_button.click()
        result["cancel_started"] = wait(lambda: dialog.process is not None and
                                        "Processing" in dialog.log.toPlainText(), 60)
        dialog.cancel_button.click()
        result["cancel_finished"] = wait(lambda: dialog.process is None, 30)
        result["cancel_log"] = dialog.log.toPlainText()
        result["after_cancel"] = depcheck.problems(dialog.rows)
        result["install_enabled_after_cancel"] = dialog.install_button.isEnabled()

    dialog.install_button.click()
    shot_taken = False
    end = time.time() + 300
    while dialog.process is not None and time.time() < end:
        app.processEvents()
        if not shot_taken and dialog.log.toPlainText().count("Processing ") >= 4:
            dialog.grab().save(str(shots / f"deps_dialog_installing_{lang}.png"))
            shot_taken = True
        time.sleep(0.02)
    result["finished"] = dialog.process is None
    app.processEvents()
    dialog.grab().save(str(shots / f"deps_dialog_done_{lang}.png"))
    result["after"] = dialog.rows
    result["log"] = dialog.log.toPlainText()
    result["summary"] = dialog.summary.text()
    result["progress"] = dialog.progress.value()
    print("RESULT " + json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    import os
    os._exit(0)   # skip exitQgis (can crash at shutdown with Processing loaded)


if __name__ == "__main__":
    main()
