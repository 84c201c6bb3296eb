"""The report run on the sample region (options and plan left out to keep the test fast)."""
from __future__ import annotations

import json
import re
import subprocess

import pandas as pd
import pyogrio
import pytest

from gunmane_geo.report import sections
from gunmane_geo.cli import main

pytestmark = pytest.mark.timeout(400)


def _config(tmp_path, sample_dir, extra=""):
    """The sample run.toml with absolute paths, a fixed date and year, low dpi."""
    text = (sample_dir / "run.toml").read_text(encoding="utf-8")

    def absolute(match):
        path = match.group(1)
        return f'"{(sample_dir / path).as_posix()}"' if (sample_dir / path).exists() else match.group(0)

    lines = []
    for line in text.splitlines():
        if "=" in line and not line.strip().startswith("#"):
            key, val = line.split("=", 1)     # a path, or a list of paths ("a", "b")
            line = key + "=" + re.sub(r'"([^"]+)"', absolute, val)
        lines.append(line)
    for section, key, value in (("effect", "reference_year", "2026"),
                                ("maps", "date", '"2026-01-15"'), ("maps", "dpi", "30"),
                                ("maps", "region_name", '"架空県"')):
        lines = _set_key(lines, section, key, value)
    text = "\n".join(lines)
    cfg = tmp_path / "run.toml"
    cfg.write_text(text + "\n" + extra, encoding="utf-8")
    return cfg


def _set_key(lines, section, key, value):
    """Set ``key = value`` in ``[section]`` of TOML lines (replace it or add it)."""
    out, current, done = [], None, False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if current == section and not done:
                out.append(f"{key} = {value}")
                done = True
            current = stripped[1:-1]
        elif current == section and stripped.split("=")[0].strip() == key:
            line, done = f"{key} = {value}", True
        out.append(line)
    if not done:
        if current != section:
            out.append(f"[{section}]")
        out.append(f"{key} = {value}")
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory, sample_dir):
    tmp = tmp_path_factory.mktemp("report")
    cfg = _config(tmp, sample_dir)
    out = tmp / "out"
    rc = main(["report", "--config", str(cfg), "--out", str(out), "--quiet",
               "--stages", "criticality", "grouping", "indicators", "effect"])
    return rc, out, cfg


def test_outputs_written(run):
    rc, out, _ = run
    assert rc == 0
    layers = {name for name, _ in pyogrio.list_layers(out / "results.gpkg")}
    assert {"indicators", "effect", "effect_assumptions", "bridge_criticality", "groups",
            "group_members", "stages", "run_settings", "load_report",
            "input_bridges"} <= layers
    for name in ("groups", "bridges_criticality", "ageing", "effect"):
        assert (out / "maps" / f"{name}.pdf").stat().st_size > 10_000
        assert (out / "maps" / f"{name}.png").stat().st_size > 10_000
    # options and plan were not requested: no map is made up for them
    assert not (out / "maps" / "plan.pdf").exists()
    raw = (out / "tables" / "indicators.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")               # UTF-8 BOM for Excel
    ind = pd.read_csv(out / "tables" / "indicators.csv", encoding="utf-8-sig")
    assert "橋梁数（市区町村管理） (n_bridges)" in ind.columns
    rec = json.loads((out / "run_settings.json").read_text(encoding="utf-8"))
    assert rec["resolved"] == {"reference_year": 2026, "map_date": "2026-01-15"}
    assert rec["settings"]["effect"]["hourly_labour_cost_yen"] == 5000.0


def test_every_bridge_is_counted_or_listed(run, sample_dir):
    _, out, _ = run
    ind = pyogrio.read_dataframe(out / "results.gpkg", layer="indicators")
    bridges = pyogrio.read_dataframe(out / "results.gpkg", layer="input_bridges")
    m = ind[ind["level"] == "municipality"]
    skipped = pd.read_csv(out / "tables" / "skipped_features.csv", encoding="utf-8-sig")
    n_skipped = int((skipped["layer"] == "bridges").sum()) if len(skipped) else 0
    assert m["n_bridges"].sum() + m["n_bridges_other_manager"].sum() + n_skipped == len(bridges)


def test_report_texts(run):
    _, out, _ = run
    ja = (out / "report_ja.html").read_text(encoding="utf-8")
    en = (out / "report_en.html").read_text(encoding="utf-8")
    # each figure comes with its sentence
    assert ja.count("<figure>") == 4 and en.count("<figure>") == 4
    assert "建設後50年以上の市区町村管理橋梁の割合は、全体で現在" in ja
    assert "Share of municipal bridges 50+ years old across the region" in en
    # stages not run are named, never filled in
    assert "集約・撤去の案（前段がないため省略: not requested in this run）" in ja
    assert "consolidation and removal options (skipped: not requested in this run)" in en
    for lang in ("ja", "en"):
        pdf = out / f"report_{lang}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(ln for ln in info.splitlines() if ln.startswith("Pages:")).split()[1])
        assert pages >= 6                                  # text pages + 4 figures
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NotoSansCJK" in fonts


def test_same_config_same_outputs(run, tmp_path):
    _, out, cfg = run
    out2 = tmp_path / "again"
    assert main(["report", "--config", str(cfg), "--out", str(out2), "--quiet",
                 "--stages", "criticality", "grouping", "indicators", "effect"]) == 0
    for rel in ("tables/indicators.csv", "tables/effect.csv", "tables/bridge_criticality.csv",
                "maps/ageing.pdf", "maps/effect.pdf", "maps/groups.pdf"):
        assert (out / rel).read_bytes() == (out2 / rel).read_bytes(), rel


def test_failed_stage_is_reported(monkeypatch, tmp_path, sample_dir):
    """A stage that cannot run is named with its reason; the stages that need it are
    skipped and none of their numbers is made up (was: a stage whose module is absent)."""
    from gunmane_geo import pipeline
    from gunmane_geo.errors import GunmaneError

    def fail(*args, **kwargs):
        raise GunmaneError("criticality cannot run here")
    monkeypatch.setattr(pipeline, "bridge_criticality", fail)
    cfg = _config(tmp_path, sample_dir)
    res = pipeline.run_analysis(cfg, stages=["plan", "indicators"])
    st = {k: (v.status, v.message) for k, v in res.stages.items()}
    assert st["criticality"] == ("failed", "criticality cannot run here")
    assert st["options"] == ("skipped", "needs criticality")
    assert st["plan"] == ("skipped", "needs options")
    assert st["indicators"][0] == "ok" and "criticality" not in res.layers
    lines = sections.summary_lines(res, "ja")
    assert any("橋梁の重要度（単独撤去）（実行できず: criticality cannot run here）" in ln
               for ln in lines)
