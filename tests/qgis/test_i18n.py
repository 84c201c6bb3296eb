"""Japanese translation: complete, compiled, and used when QGIS runs in Japanese."""
from __future__ import annotations

import shutil
import subprocess

import pytest


def test_every_string_translated(update_ts):
    sources = update_ts.source_strings()
    assert len(sources) > 30
    assert update_ts.problems() == []


@pytest.fixture
def japanese(qgis_app):
    from gunmane.i18n import install_translator
    qm = install_translator("ja")
    assert qm and qm.endswith("gunmane_ja.qm")
    yield
    install_translator("en")


def test_names_in_japanese(japanese, provider):
    from qgis.core import QgsApplication
    alg = QgsApplication.processingRegistry().algorithmById("gunmane:load_layers")
    assert alg.displayName() == "レイヤの読込みと検証"
    assert alg.group() == "1. 入力データ"
    assert "読込みレポート" in alg.shortHelpString()
    assert provider.name() == "gunmane（地域インフラ群マネジメント）"
    # parameters are labelled when an instance is created (as the toolbox dialog does)
    fresh = QgsApplication.processingRegistry().createAlgorithmById("gunmane:load_layers")
    labels = {p.name(): p.description() for p in fresh.parameterDefinitions()}
    assert labels["BRIDGES"] == "橋梁（台帳の点または橋梁の線）"


def test_english_by_default(qgis_app):
    from qgis.core import QgsApplication
    alg = QgsApplication.processingRegistry().algorithmById("gunmane:load_layers")
    assert alg.displayName() == "Load and validate layers"


def test_error_message_in_japanese(japanese, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException) as info:
        processing.run("gunmane:load_layers", {"LOAD_REPORT": "TEMPORARY_OUTPUT"})
    assert "入力レイヤを一つ以上指定してください" in str(info.value)


def test_qgis_process_in_japanese(installed_plugin, qgis_process_env, tmp_path):
    """A profile whose QGIS locale is ja lists our algorithms with Japanese names."""
    plugins = tmp_path / "profiles" / "default" / "python" / "plugins"
    shutil.copytree(installed_plugin, plugins / "gunmane")
    ini = tmp_path / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\ngunmane=true\n\n[locale]\noverrideFlag=true\nuserLocale=ja\n",
                   encoding="utf-8")
    qgis_process_bin, env = qgis_process_env
    env = dict(env)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path)
    proc = subprocess.run([qgis_process_bin, "list"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "gunmane:load_layers\tレイヤの読込みと検証" in proc.stdout
