"""All tunable parameters of a run, in one object that a TOML file can override.

Each concern has its own section (a dataclass).  ``Settings.from_toml(path)``
reads a file whose tables are named like the sections (``[network]``,
``[costs]``, ...) and overrides only the keys it names; unknown keys are an
error naming the file and the key.  ``Settings.to_dict()`` is what every output
records, so a run can be reproduced.

Monetary defaults are ILLUSTRATIVE, not official unit costs: replace them with
your own before using results for decisions.  See ``docs/settings.md``.
"""
from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def calendar_year() -> int:
    """This calendar year (the one place the library asks the clock for the year)."""
    import datetime
    return datetime.date.today().year

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class IOSettings:
    """Loading and validation."""
    target_crs: str | None = None          # e.g. "EPSG:6677"; None = pick JGD2011 zone from data
    min_built_year: int = 1850              # earlier years are reported as impossible
    max_built_year: int | None = None       # None = current year
    max_bridge_length_m: float = 5000.0
    max_bridge_width_m: float = 100.0
    population_target_year: int = 2050      # future-population mesh: population_<year> column
    emergency_route_tolerance_m: float = 20.0  # N10 line -> road / bridge (load_region)


@dataclass
class NetworkSettings:
    """Building the routable graph."""
    snap_tolerance_m: float = 1.0           # end points closer than this are merged (reported)
    bridge_match_tolerance_m: float = 30.0  # inventory point -> road edge
    ambiguous_match_m: float = 5.0          # 2nd road this close to the best: ambiguous_match
    split_at_crossings: bool = False        # node lines where they cross (never bridges/tunnels)
    use_oneway: bool = False
    default_speed_kmh: dict = field(default_factory=lambda: {
        "national": 50.0, "prefectural": 40.0, "municipal": 30.0, "other": 20.0,
    })
    walking_speed_kmh: float = 4.8
    default_bridge_length_m: float = 15.0   # bridge edge length when the inventory has no length_m
    population_max_snap_m: float = 1000.0   # population/facilities farther from a node are reported


@dataclass
class CriticalitySettings:
    """Single-bridge and scenario measures."""
    weight: str = "length_m"                # "length_m" or "time_min" for alt routes
    # partitioned runs (--partition; docs/criticality.md "Partitioned runs")
    partition_halo_m: float = 10_000.0      # margin around each part, metres
    partition_cell_m: float = 40_000.0      # side of a --partition grid cell, metres
    population_basis: str = "now"           # trips weighted by "now" or "target" ([io] population_target_year)
    # report over regions (gunmane report --regions-by; docs/report.md "Several regions")
    region_halo_m: float = 20_000.0         # roads/facilities this near a region belong to it, metres
    # ranking: isolated population first, then affected vehicle-km, then detour (docs/criticality.md)


@dataclass
class CostSettings:
    """Life-cycle cost model (ILLUSTRATIVE defaults, yen; see docs/options.md).

    Years are counted t = 0 (``base_year``) .. horizon_years - 1; a cost in
    year t is discounted by (1 + discount_rate) ** -t.
    """
    base_year: int | None = None                # None = the current calendar year
    horizon_years: int = 50
    discount_rate: float = 0.04
    repair_cost_per_m2_by_rating: dict = field(default_factory=lambda: {
        "1": 0.0, "2": 50_000.0, "3": 150_000.0, "4": 300_000.0,
    })
    assumed_rating_when_missing: int = 2        # recorded in the 'assumptions' column
    renewal_cost_per_m2: float = 600_000.0
    design_life_years: int = 70
    min_remaining_life_years: int = 10          # a repaired bridge lasts at least this long
    assumed_built_year_when_missing: int = 1970
    removal_cost_per_m2: float = 150_000.0
    downsizing_cost_per_m2: float = 250_000.0   # per m2 of the NEW pedestrian deck
    pedestrian_width_m: float = 2.5
    inspection_cost_per_bridge: float = 1_000_000.0   # one close inspection (定期点検)
    inspection_interval_years: int = 5
    upkeep_cost_per_bridge_per_year: float = 50_000.0
    upkeep_cost_per_m2_per_year: float = 1_000.0
    count_residual_value: bool = True           # credit the remaining life at the horizon
    detour_upgrade_cost_per_m: float = 200_000.0
    widening_cost_per_m2: float = 400_000.0     # widening a bridge that receives a consolidation's traffic
    detour_min_width_m: float = 5.5             # narrower detour sections are upgraded
    detour_upgrade_road_classes: list = field(default_factory=lambda: ["other"])
    upgraded_speed_kmh: float = 40.0
    value_per_vehicle_km_yen: float = 30.0
    value_per_vehicle_hour_yen: float = 2_500.0
    assumed_aadt_when_missing: float = 100.0    # vehicles/day, recorded in 'assumptions'
    days_per_year: int = 365


@dataclass
class GuardSettings:
    """Hard guards on removal options; each can be switched off by the user.

    ``overrides`` waives guards per bridge: ``{"B012": ["emergency_route"]}``;
    guard names: isolation, emergency_route, max_detour, walk_detour, bus_route, school_route,
    national_bridge.
    """
    forbid_isolation: bool = True               # population or a facility cut off
    forbid_emergency_route: bool = True
    max_detour_m: float = 3000.0                # inf switches it off
    max_walk_detour_m: float = 1000.0           # walkers' detour above which a bridge is not
                                                # removed outright (downsizing keeps it for them)
    max_school_walk_detour_m: float = 500.0     # the same on a school route (通学路)
    flag_bus_route: bool = True
    flag_school_route: bool = True
    forbid_bus_route: bool = False
    forbid_school_route: bool = False
    forbid_national_bridge: bool = True         # bridges of the national government are not
                                                # planned for removal by a municipality
    overrides: dict = field(default_factory=dict)
    consolidation_max_gap_m: float = 1000.0     # straight distance between bridges of a set
    consolidation_max_set_size: int = 3


@dataclass
class PlanSettings:
    """What the plan aims at (the report and ``gunmane plan`` read these; CLI flags win).

    With neither set, the plan takes only options with a positive net present benefit.
    """
    budget_yen: float | None = None          # life-cycle cost the stock may use over the horizon
    target_saving_pct: float | None = None   # cut the baseline life-cycle cost by this %, e.g. 10
    require_detour_upgrade: bool = True      # a removal whose detour has substandard sections
                                             # is planned only with the improvement (撤去＋迂回路整備)
    compare: list = field(default_factory=list)          # saving targets in % shown side by side, e.g. [0, 5, 10, 20]
    compare_budgets: list = field(default_factory=list)  # or budgets (yen) side by side


@dataclass
class GroupingSettings:
    """Municipal groups, asset packages, road pairs (docs/grouping.md)."""
    # adjacency
    adjacency_tolerance_m: float = 50.0     # boundaries closer than this touch (gaps, slivers)
    adjacency_use_roads: bool = True        # a road/bridge crossing between two municipalities joins them
    adjacency_max_link_m: float = 10_000.0  # road links longer than this outside every polygon do not join (inf = no limit)
    # group floor and ceiling
    min_staff: int = 5                      # floor: technical staff per group
    min_bridges: int = 0                    # floor: municipal bridges per group
    max_members: int = 5                    # ceiling: municipalities per group
    max_travel_min: float = 60.0            # ceiling: road minutes between any two offices of a group
    n_candidates: int = 3                   # candidate partitions returned (1 = best)
    # objective = balance + travel_weight * travel (+ 1000 * violation)
    travel_weight: float = 0.5
    workload_weights: dict = field(default_factory=lambda: {
        "bridges": 0.25, "deck_area_m2": 0.25, "rating_3_4": 0.25, "over_50_years": 0.25,
    })
    old_age_years: int = 50
    reference_year: int = 0                 # 0 = the current year
    # travel time without a road network: straight line * circuity at this speed
    fallback_speed_kmh: float = 40.0
    fallback_circuity: float = 1.3
    # search
    exact_max_units: int = 10               # exhaustive search up to this many municipalities
    restarts: int = 3
    seed: int = 0
    time_limit_s: float = 30.0              # the heuristic stops restarting after this
    # asset packages and multi-sector areas
    package_min_assets: int = 50
    package_max_assets: int = 400
    package_balance_tolerance: float = 0.25 # package workload within +-25 % of the mean
    inspection_hours_per_bridge: float = 16.0
    inspection_hours_per_m2: float = 0.02   # extra hours per m2 of deck
    other_asset_hours: float = 8.0          # when an asset has no inspection_hours
    multi_sector_areas: int = 2
    # prefectural / municipal road pairs
    road_pair_parallel_m: float = 300.0
    road_pair_end_m: float = 200.0
    road_pair_min_share: float = 0.7
    road_pair_min_length_m: float = 300.0


@dataclass
class EffectSettings:
    """導入効果試算 (ILLUSTRATIVE defaults)."""
    hourly_labour_cost_yen: float = 5_000.0
    inspection_hours_per_bridge: float = 16.0
    management_hours_per_bridge: float = 8.0
    outsourcing_cost_per_bridge_yen: float = 300_000.0
    group_hours_reduction: float = 0.3
    group_outsourcing_discount: float = 0.15
    # yen per staff hour moved to the group contract (新たに必要となる委託費), ILLUSTRATIVE
    outsourcing_yen_per_moved_hour: float = 4_000.0
    # drivers of the after-state measured from the analysis (effect_drivers.py), ILLUSTRATIVE
    inspection_crew_size: int = 2               # staff per inspection visit
    contracts_per_municipality: float = 1.0     # inspection contracts a municipality lets a year alone
    procurement_hours_per_contract: float = 80.0   # staff hours to procure one contract
    management_overhead_hours: float = 400.0    # fixed management hours a year per municipality
    inputs_table: str = ""                  # CSV of 導入効果試算 inputs (relative to run.toml); "" = none
    # 見える化 (indicators.py; docs/indicators.md)
    reference_year: int | None = None       # "now" for ageing/overdue; None = current calendar year
    ageing_threshold_years: int = 50         # 建設後50年以上
    ageing_horizons_years: list = field(default_factory=lambda: [10, 20])
    inspection_cycle_years: int = 5          # 5年に1回の近接目視点検


@dataclass
class MapSettings:
    paper: str = "A3"
    dpi: int = 200
    font_family: str = "Noto Sans CJK JP"
    formats: list = field(default_factory=lambda: ["pdf", "png"])
    date: str = ""                  # date printed on maps/report, YYYY-MM-DD; "" = today
    region_name: str = ""           # used in titles, e.g. "○○地域"; "" = from the municipalities
    data_sources: str = ""          # credit line; "" = the input file names of the run


@dataclass
class Settings:
    """The one settings object of a run."""
    io: IOSettings = field(default_factory=IOSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    criticality: CriticalitySettings = field(default_factory=CriticalitySettings)
    costs: CostSettings = field(default_factory=CostSettings)
    guards: GuardSettings = field(default_factory=GuardSettings)
    plan: PlanSettings = field(default_factory=PlanSettings)
    grouping: GroupingSettings = field(default_factory=GroupingSettings)
    effect: EffectSettings = field(default_factory=EffectSettings)
    maps: MapSettings = field(default_factory=MapSettings)

    # ------------------------------------------------------------------
    def reference_year(self, section: str | None = None) -> int:
        """The year an analysis counts as "now" (ageing, overdue inspections, t = 0).

        The first of ``[effect] reference_year``, ``[grouping] reference_year`` and
        ``[costs] base_year`` that is set, else the current calendar year; so setting one
        of them sets it for the whole run.  A section's own key still wins for that
        section: ``section`` is ``"effect"`` (見える化, 導入効果試算), ``"grouping"``
        or ``"costs"`` (the options' t = 0).

        Returns
        -------
        int
            A calendar year.
        """
        own = {"effect": self.effect.reference_year, "grouping": self.grouping.reference_year,
               "costs": self.costs.base_year}
        if section is not None:
            if section not in own:
                raise ValueError(f"reference_year: no section {section!r}; one of {', '.join(own)}")
            if section == "costs" and own["costs"] is not None:
                return int(own["costs"])
            if own[section] and int(own[section]) > 0:
                return int(own[section])
        for year in own.values():
            if year:
                return int(year)
        return calendar_year()

    def to_dict(self) -> dict[str, Any]:
        """All parameters as plain nested dicts (for recording in outputs)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> "Settings":
        """Defaults overridden by ``data``; unknown sections or keys raise ``ValueError``."""
        settings = cls()
        for section_name, values in data.items():
            if section_name in RUN_FILE_TABLES:
                raise ValueError(
                    f"{source}: [{section_name}] belongs in a run file (run.toml, read by "
                    "--config); a settings file holds only settings sections: remove "
                    f"[{section_name}] or give the layers on the command line")
            if section_name not in {f.name for f in dataclasses.fields(cls)}:
                raise ValueError(
                    f"{source}: unknown settings section [{section_name}]; "
                    f"known sections: {', '.join(f.name for f in dataclasses.fields(cls))}")
            if not isinstance(values, dict):
                raise ValueError(f"{source}: [{section_name}] must be a table of key = value")
            section = getattr(settings, section_name)
            known = {f.name: f for f in dataclasses.fields(section)}
            for key, value in values.items():
                if key not in known:
                    raise ValueError(
                        f"{source}: unknown key '{key}' in [{section_name}]; "
                        f"known keys: {', '.join(sorted(known))}")
                current = getattr(section, key)
                where = f"{source}: [{section_name}] {key}"
                ann = str(known[key].type)

                def is_number(v):
                    return isinstance(v, (int, float)) and not isinstance(v, bool)

                if isinstance(current, dict):
                    if not isinstance(value, dict):
                        raise ValueError(f"{where} must be a table, e.g. {key} = "
                                         f"{_toml_example(current)}")
                    if current and all(is_number(v) for v in current.values()):
                        bad = [k for k, v in value.items() if not is_number(v)]
                        if bad:
                            raise ValueError(f"{where}: the value of '{bad[0]}' must be a "
                                             f"number, e.g. {_toml_example(current)}")
                        value = {k: float(v) for k, v in value.items()}
                    merged = dict(current)
                    merged.update({str(k): v for k, v in value.items()})
                    value = merged
                elif isinstance(current, list) and not isinstance(value, list):
                    raise ValueError(f"{where} must be a list, e.g. {key} = "
                                     f"{_toml_example(current)}")
                elif isinstance(current, bool) and not isinstance(value, bool):
                    raise ValueError(f"{where} must be true or false")
                elif is_number(current) or (current is None and ann.split(" ")[0] in
                                            ("int", "float")):
                    if not is_number(value):
                        raise ValueError(f"{where} must be a number, not {value!r}")
                    value = float(value) if isinstance(current, float) or \
                        ann.startswith("float") else value
                elif (isinstance(current, str) or ann.startswith("str")) \
                        and not isinstance(value, str):
                    raise ValueError(f"{where} must be text in quotes, e.g. {key} = \"...\"")
                _check_range(where, section_name, key, value)
                setattr(section, key, value)
        return settings

    @classmethod
    def from_toml(cls, path: str | Path) -> "Settings":
        """Read a TOML file (``read_toml``: UTF-8 with or without BOM, or CP932); tables
        not named there keep their defaults."""
        path = Path(path)
        try:
            data, note = read_toml(path)
        except FileNotFoundError:
            raise FileNotFoundError(f"settings file not found: {path}; check the path") from None
        settings = cls.from_dict(data, source=str(path))
        if note:
            settings.read_notes = [(str(path), note)]
        return settings


def read_toml(path) -> tuple[dict, str | None]:
    """A TOML file (run.toml or a settings file) as a dict, and a note or None.

    TOML is UTF-8: a UTF-8 BOM (Windows メモ帳) is dropped; a file that is not UTF-8 but
    decodes as CP932 (Shift_JIS, "ANSI" in Japanese Windows) is read as CP932 and the
    note says so.  Anything else (UTF-16, a damaged file), and a TOML syntax error,
    raise ``InputError`` naming the file.  A missing file raises ``FileNotFoundError``.
    """
    from .errors import InputError
    path = Path(path)
    raw = path.read_bytes()
    note = None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is saved as UTF-16 (Unicode); fix: save it as UTF-8 "
                         "(メモ帳: 名前を付けて保存 → 文字コード UTF-8)", source=path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            raise InputError("the file is neither UTF-8 nor CP932 (Shift_JIS) text; fix: "
                             "save it as UTF-8 (メモ帳: 名前を付けて保存 → 文字コード UTF-8)",
                             source=path) from None
        note = ("the file is CP932 (Shift_JIS), not UTF-8 as TOML requires: read as CP932; "
                "save it as UTF-8 to silence this note")
    try:
        return tomllib.loads(text), note
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=path) from None


#: tables of a run file (run.toml) that are not settings sections
RUN_FILE_TABLES = ("inputs", "run", "output", "outputs", "meta", "project")


#: number settings whose name ends in a unit are amounts: 0 or more
UNIT_SUFFIXES = ("_m", "_m2", "_yen", "_kmh", "_min", "_s", "_years", "_hours", "_pct")
#: settings that take one of a few words
CHOICES = {("criticality", "weight"): ("length_m", "time_min"),
           ("criticality", "population_basis"): ("now", "target")}


def _check_range(where: str, section: str, key: str, value) -> None:
    """Refuse values no run can use (ValueError naming file, section, key and the fix)."""
    choices = CHOICES.get((section, key))
    if choices is not None and value not in choices:
        raise ValueError(f"{where} = {value!r}: use one of " + ", ".join(f'"{c}"' for c in choices))
    if (section, key) == ("costs", "discount_rate") and not value > -1:
        raise ValueError(f"{where} = {value}: must be more than -1, e.g. 0.04 for 4 % a year")
    if key.endswith("_pct") and isinstance(value, (int, float)) and not isinstance(value, bool):
        exclusive = (section, key) == ("plan", "target_saving_pct")
        if not (0 < value < 100 if exclusive else 0 <= value <= 100):
            raise ValueError(
                f"{where} = {value}: a percentage, in percent from 0 to 100 "
                f"({'more than 0 and less than 100, ' if exclusive else ''}e.g. 20 for 20 %; "
                "not a share such as 0.2 and not more than 100 %)")
    if key.endswith("_yen") and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and not abs(value) < float("inf"):
        raise ValueError(f"{where} = {value}: must be a finite amount of yen, e.g. "
                         "5_000_000_000")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value != value:
        raise ValueError(f"{where} = nan: give a number")
    if key.endswith(UNIT_SUFFIXES):
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for k, v in items:
            if isinstance(v, (int, float)) and not isinstance(v, bool) and not v >= 0:
                name = where if k is None else f"{where}.{k}"
                raise ValueError(f"{name} = {v}: must be 0 or more (an amount in the unit "
                                 "its name ends with)")


def _toml_example(value) -> str:
    """A value written as TOML, for error messages."""
    if isinstance(value, dict):
        items = list(value.items())[:3]
        return "{" + ", ".join(f"{k} = {_toml_example(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_example(v) for v in value[:3]) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value}"


def default_settings() -> Settings:
    return Settings()
