"""The pipeline: the one place that runs the analysis stages in order.

    load -> network -> criticality -> options -> plan
         -> grouping -> packages -> indicators -> effect

Every entry point runs the stages through this module: ``gunmane report``
(``report.run_report`` = :func:`run_analysis` + rendering), the commands that
need some stages (``gunmane load/indicators/effect/map``, through
``cli/_common.run_stages``), ``gunmane criticality/scenario`` and the plugin's
criticality and scenario algorithms (:func:`network_from_region`), and
``gunmane options/plan`` and the plugin's options and plan algorithms
(:func:`run_options`).  The stages themselves are functions of their own
packages (``io``, ``network``, ``criticality``, ``options``, ``grouping``,
``indicators``, ``effect``); this module only wires them together.

A stage that cannot run on the given inputs (no roads, no municipalities)
is recorded as ``failed`` with the reason, and the stages that need its output
as ``skipped``; no number is ever made up for a stage that did not run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .criticality import bridge_criticality, population_basis, removal_scenario
from .effect import effect_assumptions, effect_estimate, read_effect_inputs
from .effect_drivers import effect_drivers
from .errors import GunmaneError, InputError
from .grouping import (asset_packages, combine_assets, multi_sector_areas, municipal_groups,
                       road_pairs)
from .indicators import SKIPPED_COLUMNS, asset_type_counts, municipality_indicators
from .io import load_region, load_run_config
from .network import (Network, attach_bridges, attach_facilities, attach_population,
                      bridges_from_roads, build_network)
from .network.bridges import require_some_matched
from .options import (compare_plans, detour_routes, find_consolidation_sets, generate_options,
                      make_plan)
from .progress import Progress, report_progress, sub_progress
from .io.region import Region
from .settings import Settings
from .wording import STAGE_LABELS

#: Every stage of a whole run, in the order it runs (``maps`` and ``report`` are the
#: rendering of ``report.run_report``).
STAGES = ["load", "network", "criticality", "options", "plan", "grouping", "packages",
          "indicators", "effect", "maps", "report"]

#: The stages each analysis stage needs (run first when it is asked for).
NEEDS = {"network": (), "criticality": ("network",), "options": ("criticality",),
         "plan": ("options",), "grouping": (), "packages": ("network",), "indicators": (),
         "effect": ()}


@dataclass
class Stage:
    """What became of one stage: ``status`` is pending, ok, failed or skipped."""
    name: str
    status: str = "pending"          # ok | failed | skipped
    message: str = ""
    seconds: float = 0.0


@dataclass
class RunResult:
    """Everything one run produced."""
    out_dir: Path
    settings: Settings
    region: Region | None = None
    layers: dict = field(default_factory=dict)      # name -> GeoDataFrame / DataFrame
    stages: dict = field(default_factory=dict)      # name -> Stage
    pages: dict = field(default_factory=dict)       # map name -> (Page, caption_ja, caption_en)
    files: list = field(default_factory=list)
    network: Network | None = None
    config_path: Path | None = None

    def ok(self, name: str) -> bool:
        """True when stage ``name`` ran to the end."""
        return name in self.stages and self.stages[name].status == "ok"

    def stages_frame(self) -> pd.DataFrame:
        """One row per stage: ``stage``, ``label_ja``, ``label_en``, ``status``,
        ``message``, ``seconds`` (wall-clock, s)."""
        return pd.DataFrame([{"stage": s.name, "label_ja": STAGE_LABELS[s.name][0],
                              "label_en": STAGE_LABELS[s.name][1], "status": s.status,
                              "message": s.message, "seconds": round(s.seconds, 2)}
                             for s in self.stages.values()])


# --------------------------------------------------------------------------- network
def _take_roads(region: Region):
    """``region.roads``, with the region's reference to it removed."""
    roads, region.roads = region.roads, None
    return roads


def network_from_region(region: Region, settings: Settings | None = None, *,
                        progress: Progress | None = None,
                        release_roads: bool = False) -> Network:
    """Road network of ``region`` with its bridges, population and facilities attached.

    Bridges: the region's bridge inventory (matched with ``attach_bridges``, rivers
    used when loaded; at least some must match); without an inventory, the bridge
    lines of the road data (``bridges_from_roads``: OSM ``bridge=yes`` ways).  Edges
    carry the road lines' ``width_m``, which 撤去＋迂回路整備 uses to find the narrow
    sections of a detour.  Every step reports into ``region.report``.

    Parameters
    ----------
    region : Region
        Loaded layers (``io.load_region``) in a metric CRS; ``roads`` is required.
    settings : Settings, optional
        ``[network]`` and ``[bridges]`` parameters (default: ``Settings()``).
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.
    release_roads : bool
        Hand the road lines over to the network build and set ``region.roads`` to None,
        so that their geometry objects are freed while the edges are made (peak memory:
        about 0.2 GiB per million two-point lines).  For callers that do not read
        ``region.roads`` afterwards (``gunmane criticality``).

    Returns
    -------
    Network
        Nodes and edges (lengths in metres, times in minutes) in ``region.crs``.
    """
    settings = settings or Settings()
    if region.roads is None or len(region.roads) == 0:
        raise InputError("the region has no roads: give a road layer (--roads, or [inputs] "
                         "roads in the run file)", source="inputs")
    rep = region.report
    src = region.sources if isinstance(region.sources, dict) else {}
    # with release_roads the frame is passed on without a local name, so build_network
    # holds the only reference and can drop it once its vertex table is made
    net = build_network(_take_roads(region) if release_roads else region.roads, settings,
                        report=rep, source=src.get("roads", "roads"),
                        progress=sub_progress(progress, 0.0, 0.6))
    report_progress(progress, 0.6, "attaching bridges")
    if region.bridges is not None and len(region.bridges):
        net, matches = attach_bridges(net, region.bridges, rivers=region.rivers,
                                      settings=settings, report=rep,
                                      source=src.get("bridges", "bridges"),
                                      progress=sub_progress(progress, 0.6, 0.9))
        require_some_matched(matches, settings, source=src.get("bridges", "bridges"))
    else:
        net, _ = bridges_from_roads(net, source=src.get("roads", "roads"))
    report_progress(progress, 0.9, "attaching population and facilities")
    if region.population is not None:
        net = attach_population(net, region.population, settings, report=rep,
                                source=src.get("population", "population"))
    if region.facilities is not None and len(region.facilities):
        net = attach_facilities(net, region.facilities, settings, report=rep,
                                source=src.get("facilities", "facilities"))
    report_progress(progress, 1.0, "network ready")
    return net


# --------------------------------------------------------------------------- options
def run_options(region: Region, settings: Settings | None = None, *, plan: bool = False,
                budget_yen: float | None = None, target_saving_share: float | None = None,
                compare: tuple | None = None, client=None,
                progress: Progress | None = None) -> dict:
    """Network, criticality and the options outputs of a loaded ``Region``.

    Parameters
    ----------
    region : Region
        Loaded layers with ``roads`` and a bridge inventory ``bridges``.
    settings : Settings, optional
        Default: ``Settings()``.
    plan : bool
        Also make the plan (``make_plan``) and its cost curve.
    budget_yen : float, optional
        Life-cycle cost (present value, yen) the plan may use over the horizon.
    target_saving_share : float, optional
        Share (0..1) of the baseline life-cycle cost the plan should save.
    compare : tuple, optional
        ``("target", [pct, ...])`` or ``("budget", [yen, ...])``: also the plans at these
        levels side by side (``compare_plans``), layer ``plan_compare``.
    client : dask.distributed.Client, optional
        Run the ``compare`` levels as Dask tasks on this client (same table).
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.

    Returns
    -------
    dict
        Layer name -> frame: ``bridge_options``, ``consolidation_sets`` and, with
        ``plan=True``, ``plan``, ``cost_curve``, ``plan_summary`` (and ``plan_compare``); plus the
        ``network`` under the key ``"_network"`` (not a layer).
    """
    settings = settings or Settings()
    if region.bridges is None or len(region.bridges) == 0:
        raise InputError("no bridges: give --bridges (or [inputs] bridges in the run file)",
                         source="bridges")
    net = network_from_region(region, settings, progress=sub_progress(progress, 0.0, 0.3))
    crit = bridge_criticality(net, settings=settings, progress=sub_progress(progress, 0.3, 0.5))
    opts = generate_options(net, crit, region.bridges, settings=settings,
                            progress=sub_progress(progress, 0.5, 0.7))
    sets = find_consolidation_sets(net, crit, region.bridges, settings=settings,
                                   progress=sub_progress(progress, 0.7, 0.8))
    out = {"bridge_options": opts, "consolidation_sets": sets, "_network": net}
    if plan:
        end = 0.9 if compare else 1.0
        p, curve = make_plan(net, opts, sets, settings=settings, budget_yen=budget_yen,
                             target_saving_share=target_saving_share,
                             progress=sub_progress(progress, 0.8, end))
        out["plan"] = p
        out["cost_curve"] = curve
        out["plan_summary"] = pd.DataFrame([p.attrs["summary"]])
        if compare:
            kind, levels = compare
            out["plan_compare"] = compare_plans(
                net, opts, sets, settings=settings,
                targets_pct=levels if kind == "target" else None,
                budgets_yen=levels if kind == "budget" else None, client=client,
                progress=sub_progress(progress, 0.9, 1.0))
    report_progress(progress, 1.0, "done")
    return out


#: scenario levels of the report when ``[plan] compare`` is not set (saving targets, %)
DEFAULT_COMPARE_PCT = (0.0, 5.0, 10.0, 20.0)


def report_compare_levels(settings: Settings) -> tuple[str, list]:
    """The report's scenario levels: ``[plan] compare`` (%), else ``compare_budgets`` (yen),
    else ``DEFAULT_COMPARE_PCT`` with the plan's own target added."""
    p = settings.plan
    if p.compare and p.compare_budgets:
        raise InputError("[plan] compare and compare_budgets are both set: keep one",
                         source="settings")
    if p.compare:
        return "target", sorted({float(x) for x in p.compare})
    if p.compare_budgets:
        return "budget", sorted({float(x) for x in p.compare_budgets}, reverse=True)
    levels = set(DEFAULT_COMPARE_PCT)
    if p.target_saving_pct is not None:
        levels.add(float(p.target_saving_pct))
    return "target", sorted(levels)


# --------------------------------------------------------------------------- the run
def _run_stage(result: RunResult, name: str, fn, *, progress=None, frac=0.0) -> None:
    stage = Stage(name)
    result.stages[name] = stage
    missing = [n for n in NEEDS[name] if not result.ok(n)]
    if missing:
        stage.status = "skipped"
        stage.message = "needs " + ", ".join(missing)
        return
    report_progress(progress, frac, STAGE_LABELS[name][1])
    t0 = time.perf_counter()
    try:
        fn()
        stage.status = "ok"
    except GunmaneError as exc:
        stage.status, stage.message = "failed", str(exc)
    finally:
        stage.seconds = time.perf_counter() - t0


def _with_needs(stages) -> set:
    """``stages`` and every stage they need, transitively."""
    want = set(stages)
    todo = list(want)
    while todo:
        for need in NEEDS.get(todo.pop(), ()):
            if need not in want:
                want.add(need)
                todo.append(need)
    return want


def _require_municipalities(region: Region) -> None:
    if region.municipalities is None or not len(region.municipalities):
        raise InputError("no municipalities layer: add [inputs] municipalities", source="inputs")


def run_analysis(config, out_dir=None, *, progress: Progress | None = None, stages=None,
                 effect_inputs=None, region: Region | None = None,
                 settings: Settings | None = None) -> RunResult:
    """Run the analysis stages of run.toml (no files written).

    Parameters
    ----------
    config : path
        run.toml with an ``[inputs]`` table and settings sections.
    out_dir : path, optional
        Recorded as ``RunResult.out_dir`` (default: the current folder).
    progress : callable, optional
        ``progress(fraction, message) -> bool``; True cancels.
    stages : iterable of str, optional
        Only these stages and those they need (default: all analysis stages).
        Indicators and the effect estimate use the groups when ``grouping`` ran.
    effect_inputs : path, optional
        Effect input table; overrides ``[effect] inputs_table`` (relative to
        the current folder).
    region, settings : Region, Settings, optional
        Layers already loaded (with their load report) and the settings to use instead
        of loading ``config``'s ``[inputs]`` and reading its settings: one region of
        ``gunmane report --regions-by`` (``report.regions``).  ``config`` is still the
        run's file (recorded, and ``[effect] inputs_table`` is relative to it).

    Returns
    -------
    RunResult
        ``layers`` holds every output frame by layer name, ``stages`` what ran.
    """
    want = _with_needs(stages or STAGES)
    config = Path(config)
    if region is None:
        inputs, settings = load_run_config(config)
    elif settings is None:
        settings = load_run_config(config)[1]
    res = RunResult(out_dir=Path(out_dir) if out_dir else Path("."), settings=settings,
                    config_path=config)
    t0 = time.perf_counter()
    if region is None:
        region = load_region(inputs, settings, progress=sub_progress(progress, 0.0, 0.15))
    res.stages["load"] = Stage("load", "ok", f"{len(region.report)} notes in the load report",
                               time.perf_counter() - t0)
    res.region = region
    L = res.layers

    def network():
        res.network = network_from_region(region, settings,
                                          progress=sub_progress(progress, 0.15, 0.3))

    def criticality():
        L["bridge_criticality"] = bridge_criticality(res.network, settings=settings,
                                                     progress=sub_progress(progress, 0.3, 0.4))

    def options():
        L["bridge_options"] = generate_options(
            res.network, L["bridge_criticality"], region.bridges, settings=settings,
            progress=sub_progress(progress, 0.4, 0.5))
        L["consolidation_sets"] = find_consolidation_sets(
            res.network, L["bridge_criticality"], region.bridges, settings=settings,
            progress=sub_progress(progress, 0.5, 0.55))

    def plan():
        target = settings.plan.target_saving_pct
        p, curve = make_plan(res.network, L["bridge_options"], L["consolidation_sets"],
                             settings=settings, budget_yen=settings.plan.budget_yen,
                             target_saving_share=None if target is None else target / 100.0,
                             progress=sub_progress(progress, 0.55, 0.65))
        L["plan"], L["cost_curve"] = p, curve
        removed = p.loc[p["status"] == "planned", "bridge_id"].astype(str).tolist()
        if "summary" in p.attrs:
            # people whose trip to the nearest facility gets longer with the whole plan
            people = 0.0
            basis = population_basis(res.network, settings)[1]
            if removed:
                people = removal_scenario(res.network, removed, settings=settings,
                                          geometry=False).summary["population_with_longer_trips"]
            p.attrs["summary"]["people_longer_trips"] = float(people)
            # "now" or the target year whose population weighted those trips
            p.attrs["summary"]["population_basis"] = basis
            L["plan_summary"] = pd.DataFrame([p.attrs["summary"]])
        L["detour_routes"] = detour_routes(p, res.network)
        kind, levels = report_compare_levels(settings)
        L["plan_compare"] = compare_plans(
            res.network, L["bridge_options"], L["consolidation_sets"], settings=settings,
            targets_pct=levels if kind == "target" else None,
            budgets_yen=levels if kind == "budget" else None)

    def grouping():
        _require_municipalities(region)
        offices = None
        if region.facilities is not None and "facility_type" in region.facilities.columns:
            offices = region.facilities[region.facilities["facility_type"] == "office"]
            offices = offices if len(offices) else None
        g, m = municipal_groups(region.municipalities, bridges=region.bridges, staff=region.staff,
                                network=res.network, roads=region.roads, offices=offices,
                                settings=settings, report=region.report,
                                progress=sub_progress(progress, 0.65, 0.8))
        L["groups"], L["group_members"] = g, m

    def packages():
        assets = combine_assets(region.bridges, region.other_assets, settings, region.report)
        L["package_assets"], L["asset_packages"] = asset_packages(
            assets, network=res.network, settings=settings, report=region.report,
            progress=sub_progress(progress, 0.72, 0.76))
        L["area_assets"], L["multi_sector_areas"] = multi_sector_areas(
            assets, network=res.network, settings=settings, report=region.report)
        if region.roads is not None:
            L["road_pairs"] = road_pairs(region.roads, bridges=region.bridges, settings=settings,
                                         report=region.report)

    def indicators():
        _require_municipalities(region)
        ind = municipality_indicators(region.municipalities, region.bridges, region.staff,
                                      region.other_assets, group_members=L.get("group_members"),
                                      settings=settings, progress=sub_progress(progress, 0.8, 0.85))
        L["indicators"] = ind
        L["asset_type_counts"] = asset_type_counts(region.other_assets, region.municipalities,
                                                   group_members=L.get("group_members"))
        L["skipped_features"] = pd.DataFrame(ind.attrs.get("skipped", []),
                                             columns=SKIPPED_COLUMNS)

    def effect():
        table = None
        if effect_inputs:
            table = read_effect_inputs(effect_inputs)
            L["effect_inputs"] = table
        elif settings.effect.inputs_table:
            path = Path(settings.effect.inputs_table)
            if not path.is_absolute():
                path = config.resolve().parent / path
            table = read_effect_inputs(path)
            L["effect_inputs"] = table
        drivers = None
        if L.get("package_assets") is not None or L.get("plan") is not None:
            offices = None
            if region.facilities is not None and "facility_type" in region.facilities.columns:
                offices = region.facilities[region.facilities["facility_type"] == "office"]
            drivers = effect_drivers(region.municipalities, package_assets=L.get("package_assets"),
                                     plan=L.get("plan"), bridges=region.bridges,
                                     group_members=L.get("group_members"), offices=offices,
                                     network=res.network, settings=settings)
            L["effect_drivers"] = drivers
        L["effect"] = effect_estimate(region.municipalities, region.bridges, region.other_assets,
                                      inputs=table, group_members=L.get("group_members"),
                                      drivers=drivers, settings=settings,
                                      progress=sub_progress(progress, 0.85, 0.9))
        L["effect_assumptions"] = effect_assumptions(settings, table)

    order = [("network", network, 0.15), ("criticality", criticality, 0.3),
             ("options", options, 0.4), ("plan", plan, 0.55), ("grouping", grouping, 0.65),
             ("packages", packages, 0.72), ("indicators", indicators, 0.8),
             ("effect", effect, 0.85)]
    for name, fn, frac in order:
        if name in want:
            _run_stage(res, name, fn, progress=progress, frac=frac)
        else:
            res.stages[name] = Stage(name, "skipped", "not requested in this run")
    return res
