"""Council layout: PDF with the Japanese font embedded, rendered to PNG and not blank."""
from __future__ import annotations

import shutil
import subprocess

import pytest


def _non_white_fraction(png_path):
    from qgis.PyQt.QtGui import QImage
    image = QImage(str(png_path))
    assert not image.isNull(), png_path
    step = 4
    total = dark = coloured = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colour = image.pixelColor(x, y)
            total += 1
            if colour.red() + colour.green() + colour.blue() < 3 * 235:
                dark += 1
            if max(colour.red(), colour.green(), colour.blue()) - \
                    min(colour.red(), colour.green(), colour.blue()) > 40:
                coloured += 1
    return dark / total, coloured / total, (image.width(), image.height())


def _nfkc(text):
    import unicodedata
    # poppler maps some CJK glyphs to compatibility code points (⼄ for 乙, ‧ for ・)
    return unicodedata.normalize("NFKC", text).replace("\u2027", "・").replace(" ", "")


def test_council_map_pdf(qgis_app, tiny_region, tmp_path):
    import processing
    from qgis.core import QgsProject, QgsVectorLayer
    pdf, png = tmp_path / "council.pdf", tmp_path / "council_qgis.png"
    title = "橋梁の集約・撤去の検討（甲市・乙町）"
    layers = [QgsVectorLayer(f"{tiny_region}|layername={name}", label, "ogr")
              for name, label in (("bridges", "橋梁"), ("roads", "道路"),
                                  ("municipalities", "市区町村"))]
    QgsProject.instance().addMapLayers(layers)
    result = processing.run("gunmane:council_map", {
        "LAYERS": [layer.id() for layer in layers],
        "TITLE": title, "PAPER": 0, "SOURCES": "国土数値情報（行政区域）、橋梁台帳（試験データ）",
        "DATE": "2025年4月1日", "DPI": 100, "OUTPUT_PDF": str(pdf), "OUTPUT_PNG": str(png)})
    assert result["OUTPUT_PDF"] == str(pdf) and pdf.stat().st_size > 10_000
    assert png.exists()

    # the Japanese font is embedded (as a subset), and text is text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    noto = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert noto, fonts
    assert all(" yes " in line for line in noto), fonts   # emb column
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = _nfkc(text)
    assert _nfkc(title) in text, text
    # Qt's PDF writer maps some digit glyphs of the CJK font to no character in its
    # ToUnicode table, so pdftotext may drop digits; the rendered page shows them.
    assert "年4月1日" in text, text
    assert "市区町村" in text and "道路" in text   # legend entries

    # rendered with poppler: an A3 landscape page that is not blank
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(out)], check=True)
    rendered = tmp_path / "page.png"
    dark, coloured, (w, h) = _non_white_fraction(rendered)
    assert abs(w / h - 420 / 297) < 0.02, (w, h)
    assert dark > 0.01 and coloured > 0.001, (dark, coloured)
    shutil.copy(rendered, "/tmp/gunmane_council_map.png")   # for a human look

    # added to the project for editing, under the title's name
    layout = QgsProject.instance().layoutManager().layoutByName(title)
    assert layout is not None
    ids = {item.id() for item in layout.items() if hasattr(item, "id")}
    assert {"map", "legend", "scale_bar", "north_arrow"} <= ids
    map_item = layout.itemById("map")
    assert map_item.crs().authid() == "EPSG:6677"     # projected: JGD2011 zone IX
    QgsProject.instance().removeMapLayers([layer.id() for layer in layers])


def test_council_map_a4_and_error(qgis_app, tiny_region, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    pdf = tmp_path / "a4.pdf"
    processing.run("gunmane:council_map", {
        "LAYERS": [f"{tiny_region}|layername=municipalities"], "TITLE": "A4の地図", "PAPER": 1,
        "DPI": 72, "ADD_TO_PROJECT": False, "OUTPUT_PDF": str(pdf)})
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = [line for line in info.splitlines() if line.startswith("Page size")][0]
    # 297 x 210 mm = 841.89 x 595.28 pt, landscape
    assert "842 x 595" in size, size
    with pytest.raises(QgsProcessingException):
        processing.run("gunmane:council_map", {
            "LAYERS": [f"{tiny_region}|layername=municipalities"], "TITLE": "  ",
            "OUTPUT_PDF": str(tmp_path / "x.pdf")})
