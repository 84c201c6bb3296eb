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


ALL_ALGORITHMS = ["load_layers", "bridge_criticality", "removal_scenario", "bridge_options", "plan",
                  "municipal_groups", "asset_packages", "road_pairs", "indicators",
                  "effect_estimate", "council_map"]


def _has_kana(text):
    return any("\u3040" <= ch <= "\u30ff" for ch in text)


def test_every_algorithm_registered_and_in_japanese(japanese, provider):
    """Names, help and parameter labels of every algorithm are Japanese with the ja translator."""
    from qgis.core import QgsApplication
    from gunmane.i18n import tr
    ids = sorted(alg.name() for alg in provider.algorithms())
    assert ids == sorted(ALL_ALGORITHMS)
    registry = QgsApplication.processingRegistry()
    for name in ALL_ALGORITHMS:
        alg = registry.createAlgorithmById(f"gunmane:{name}")
        assert alg.displayName() != alg.DISPLAY_NAME, name
        assert _has_kana(alg.shortHelpString()) or "見える化" in alg.shortHelpString(), name
        for param in alg.parameterDefinitions():
            # every label is translated (the Japanese differs from the English source)
            assert not param.description().isascii(), \
                (name, param.name(), param.description())
    names = {n: registry.algorithmById(f"gunmane:{n}").displayName() for n in ALL_ALGORITHMS}
    assert names["bridge_criticality"] == "橋梁の重要度"
    assert names["effect_estimate"] == "導入効果試算"
    assert names["municipal_groups"] == "広域連携の組合せ"
    assert tr("Plan") == "集約・撤去計画"


def test_help_in_english_by_default(qgis_app, provider):
    for alg in provider.algorithms():
        assert alg.shortHelpString().split()[0].isascii(), alg.id()
