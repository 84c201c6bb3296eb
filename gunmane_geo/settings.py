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


@dataclass
class NetworkSettings:
    """Building the routable graph."""
    snap_tolerance_m: float = 1.0           # end points closer than this are merged (reported)
    bridge_match_tolerance_m: float = 30.0  # inventory point -> road edge
    split_at_crossings: bool = False        # node lines where they cross (never bridges/tunnels)
    use_oneway: bool = False
    default_speed_kmh: dict = field(default_factory=lambda: {
        "national": 50.0, "prefectural": 40.0, "municipal": 30.0, "other": 20.0,
    })
    walking_speed_kmh: float = 4.8


@dataclass
class CriticalitySettings:
    """Single-bridge and scenario measures."""
    weight: str = "length_m"                # "length_m" or "time_min" for alt routes
    # ranking: isolated population first, then affected vehicle-km, then detour (docs/criticality.md)


@dataclass
class CostSettings:
    """Life-cycle cost model (ILLUSTRATIVE defaults, yen)."""
    horizon_years: int = 50
    discount_rate: float = 0.04
    repair_cost_per_m2_by_rating: dict = field(default_factory=lambda: {
        "1": 0.0, "2": 50_000.0, "3": 150_000.0, "4": 300_000.0,
    })
    renewal_cost_per_m2: float = 600_000.0
    design_life_years: int = 70
    removal_cost_per_m2: float = 150_000.0
    downsizing_cost_per_m2: float = 250_000.0   # per m2 of the NEW pedestrian deck
    pedestrian_width_m: float = 2.5
    inspection_cost_per_bridge_per_5y: float = 1_000_000.0
    upkeep_cost_per_m2_per_year: float = 1_000.0
    detour_upgrade_cost_per_m: float = 200_000.0
    value_per_vehicle_km_yen: float = 30.0
    value_per_vehicle_hour_yen: float = 2_500.0
    days_per_year: int = 365


@dataclass
class GuardSettings:
    """Hard guards on removal options; each can be switched off by the user."""
    forbid_isolation: bool = True
    forbid_emergency_route: bool = True
    max_detour_m: float = 3000.0
    flag_bus_route: bool = True
    flag_school_route: bool = True


@dataclass
class GroupingSettings:
    """Municipal groups and asset packages."""
    adjacency_tolerance_m: float = 50.0
    min_staff: int = 5
    min_bridges: int = 0
    max_members: int = 5
    max_travel_min: float = 60.0
    n_candidates: int = 3
    package_min_assets: int = 50
    package_max_assets: int = 400


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
    grouping: GroupingSettings = field(default_factory=GroupingSettings)
    effect: EffectSettings = field(default_factory=EffectSettings)
    maps: MapSettings = field(default_factory=MapSettings)

    # ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """All parameters as plain nested dicts (for recording in outputs)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> "Settings":
        """Defaults overridden by ``data``; unknown sections or keys raise ``ValueError``."""
        settings = cls()
        for section_name, values in data.items():
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
                if isinstance(current, dict) and isinstance(value, dict):
                    merged = dict(current)
                    merged.update({str(k): v for k, v in value.items()})
                    value = merged
                elif isinstance(current, bool) and not isinstance(value, bool):
                    raise ValueError(f"{source}: [{section_name}] {key} must be true or false")
                elif isinstance(current, (int, float)) and not isinstance(current, bool):
                    if not isinstance(value, (int, float)) or isinstance(value, bool):
                        raise ValueError(f"{source}: [{section_name}] {key} must be a number")
                    value = type(current)(value) if isinstance(current, float) else value
                setattr(section, key, value)
        return settings

    @classmethod
    def from_toml(cls, path: str | Path) -> "Settings":
        """Read a TOML file; tables not named there keep their defaults."""
        path = Path(path)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise FileNotFoundError(f"settings file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from None
        return cls.from_dict(data, source=str(path))


def default_settings() -> Settings:
    return Settings()
