"""Compile the compiled route searches once, at set-up, instead of in the first real run.

    python -m gunmane_geo.warm_up

The searches (``gunmane_geo.network.kernels``) are compiled by numba on their first call
and cached next to the code (``__pycache__``).  Without a cache the first ``gunmane
criticality`` pays about 2.5 s of compilation (4.8 s instead of 2.2 s on 300k road
segments, docs/benchmarks.md).  ``scripts/setup_env.sh`` (``make env``) runs this module
after installing, on a small made-up street grid: a river crossed by a bridge, a dead-end
valley behind another, a one-way street and a footway, so that every search the
criticality runs is compiled with the types of a real run.
"""
from __future__ import annotations

import time


def warm_up():
    """Run ``bridge_criticality`` on a small grid, without and with one-way streets
    (compiles and caches the kernels); returns the two tables."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    from .criticality import bridge_criticality
    from .network import attach_bridges, build_network
    from .settings import Settings

    lines, classes = [], []
    for k in range(4):                      # a 4 x 4 grid of 100 m streets
        for j in range(3):
            lines += [LineString([(j * 100, k * 100), (j * 100 + 100, k * 100)]),
                      LineString([(k * 100, j * 100), (k * 100, j * 100 + 100)])]
            classes += ["municipal", "municipal"]
    lines += [LineString([(300, 0), (500, 0)]),       # across the river, one way back
              LineString([(300, 300), (500, 300)]), LineString([(500, 0), (500, 300)]),
              LineString([(0, 300), (0, 500)]),       # a dead-end valley behind a bridge
              LineString([(100, 300), (100, 400)])]   # a footway
    classes += ["prefectural", "prefectural", "municipal", "municipal", "footway"]
    roads = gpd.GeoDataFrame({"road_id": [f"w{i}" for i in range(len(lines))],
                              "road_class": classes,
                              "oneway": [False] * (len(lines) - 4) + [True, False, False,
                                                                     False]},
                             geometry=lines, crs="EPSG:6677")
    bridges = gpd.GeoDataFrame({"bridge_id": ["river", "valley", "footbridge"]},
                               geometry=[Point(400, 0), Point(0, 400), Point(100, 350)],
                               crs="EPSG:6677")
    tables = []
    for use_oneway in (False, True):
        settings = Settings()
        settings.network.use_oneway = use_oneway
        net, _ = attach_bridges(build_network(roads, settings), bridges, settings=settings)
        tables.append(bridge_criticality(net, settings=settings))
    return tables


if __name__ == "__main__":
    start = time.perf_counter()
    warm_up()
    print(f"gunmane-geo: route searches compiled and cached ({time.perf_counter() - start:.1f} s)")
