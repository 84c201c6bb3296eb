"""QGIS, GDAL's numpy bindings and the scientific stack share one numpy 1.x in one process."""
from __future__ import annotations

import sys


def test_one_numpy_below_2_everywhere(qgis_app, tmp_path):
    import numpy
    import qgis.core
    import processing  # noqa: F401  (QGIS's Processing plugin, on sys.path via qgis_app)
    from osgeo import gdal, gdal_array
    import geopandas
    import pandas
    import rasterio
    import rasterio.io
    import networkx
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    major = int(numpy.__version__.split(".")[0])
    assert major < 2, f"numpy {numpy.__version__}: QGIS/GDAL/matplotlib from Debian need numpy 1"
    assert sys.modules["numpy"] is numpy
    # every library sees the very same numpy module object
    assert gdal_array.numpy is numpy
    assert pandas.core.frame.np is numpy
    assert matplotlib.cbook.np is numpy
    assert qgis.core.Qgis.QGIS_VERSION_INT >= 32200

    # and the compiled extensions really work with it (an ABI mismatch fails here)
    values = numpy.arange(12, dtype=numpy.float32).reshape(3, 4)
    dataset = gdal_array.OpenArray(values)
    assert numpy.array_equal(dataset.ReadAsArray(), values)
    assert gdal.VersionInfo()

    with rasterio.io.MemoryFile() as memfile:
        with memfile.open(driver="GTiff", width=4, height=3, count=1, dtype="float32") as dst:
            dst.write(values, 1)
        with memfile.open() as src:
            assert numpy.array_equal(src.read(1), values)

    frame = geopandas.GeoDataFrame({"v": [1.5, 2.5]},
                                   geometry=geopandas.points_from_xy([0, 3], [0, 4]),
                                   crs="EPSG:6673")
    assert frame.geometry.iloc[0].distance(frame.geometry.iloc[1]) == 5.0

    graph = networkx.Graph()
    graph.add_edge("a", "b", weight=2.0)
    graph.add_edge("b", "c", weight=3.0)
    assert networkx.shortest_path_length(graph, "a", "c", weight="weight") == 5.0

    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    ax.plot([0, 1], [0, 1])
    fig.canvas.draw()
    pixels = numpy.asarray(fig.canvas.buffer_rgba())
    plt.close(fig)
    assert pixels.shape == (20, 20, 4) and pixels.min() < 255
