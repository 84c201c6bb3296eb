<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
    <context>
        <name>gunmane</name>
        <message>
            <location filename="algorithms/base.py" line="22" />
            <source>1. Input data</source>
            <translation>1. 入力データ</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="23" />
            <source>2. Bridges and consolidation</source>
            <translation>2. 橋梁と集約・撤去</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="24" />
            <source>3. Municipal groups</source>
            <translation>3. 広域連携の組合せ</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="25" />
            <source>4. Visibility and effect</source>
            <translation>4. 見える化と導入効果</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="26" />
            <source>5. Council maps</source>
            <translation>5. 議会説明用の地図</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="73" />
            <source>Settings file (TOML, optional: defaults when empty)</source>
            <translation>設定ファイル（TOML、任意：空欄なら既定値）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="109" />
            <source>Settings file: {message}</source>
            <translation>設定ファイル: {message}</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="186" />
            <source>Layer '{layer}' has no field '{field}'. Choose one of: {fields}.</source>
            <translation>レイヤ「{layer}」に項目「{field}」がありません。次から選んでください: {fields}。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="204" />
            <source>Give at least one input layer.</source>
            <translation>入力レイヤを一つ以上指定してください。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="246" />
            <source>Cancelled by the user.</source>
            <translation>ユーザーが中止しました。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="248" />
            <source>{algorithm}: {message}</source>
            <translation>{algorithm}: {message}</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="23" />
            <source>Council map (PDF layout)</source>
            <translation>議会説明用の地図（PDFレイアウト）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="25" />
            <source>map,layout,print,pdf,council,report</source>
            <translation>地図,レイアウト,印刷,PDF,議会,資料</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="26" />
            <source>Builds a print layout for council meetings (議会説明資料) from the chosen layers: Japanese title, map, legend, scale bar, north arrow, date and data sources, on A3 or A4 landscape, and exports it to PDF (text kept as text with the Japanese font embedded) and optionally PNG.

Layers are drawn with their current styles, the first layer on top. Run from the desktop, the layout is also added to the project (Project &gt; Layouts) so you can edit it in the layout designer.

Needs a Japanese font: Noto Sans CJK JP (Debian/Ubuntu package fonts-noto-cjk) is registered automatically when installed.</source>
            <translation>選んだレイヤから議会説明資料用の印刷レイアウトを作ります：日本語の表題、地図、凡例、縮尺記号、方位記号、作成日、出典を A3 または A4 横に配置し、PDF（文字は文字のまま、日本語フォントを埋め込み）と、必要なら PNG に書き出します。

レイヤは現在のスタイルで描かれ、最初のレイヤが一番上になります。デスクトップから実行すると、レイアウトはプロジェクトにも追加され（プロジェクト＞レイアウト）、レイアウトデザイナで編集できます。

日本語フォントが必要です：Noto Sans CJK JP（Debian/Ubuntu のパッケージ fonts-noto-cjk）が入っていれば自動で登録されます。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="62" />
            <source>Layers to show (first on top)</source>
            <translation>表示するレイヤ（最初のものが一番上）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="64" />
            <source>Bridge consolidation study</source>
            <translation>橋梁の集約・撤去の検討</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="64" />
            <source>Title</source>
            <translation>表題</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="66" />
            <source>Subtitle</source>
            <translation>副題</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="68" />
            <source>Paper (landscape)</source>
            <translation>用紙（横向き）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="70" />
            <source>Map extent (empty: all layers)</source>
            <translation>地図の範囲（空欄：すべてのレイヤ）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="72" />
            <source>Data sources</source>
            <translation>出典</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="73" />
            <source>National Land Numerical Information (administrative areas), bridge inventory, OpenStreetMap contributors</source>
            <translation>国土数値情報（行政区域）、橋梁台帳、© OpenStreetMap contributors</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="76" />
            <source>Date (empty: today)</source>
            <translation>作成日（空欄：今日）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="78" />
            <source>Resolution (dpi)</source>
            <translation>解像度（dpi）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="81" />
            <source>Add the layout to the project</source>
            <translation>レイアウトをプロジェクトに追加する</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="83" />
            <source>Council map PDF</source>
            <translation>議会説明用の地図（PDF）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="83" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF ファイル (*.pdf)</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="85" />
            <source>Council map PNG</source>
            <translation>議会説明用の地図（PNG）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="85" />
            <source>PNG files (*.png)</source>
            <translation>PNG ファイル (*.png)</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="92" />
            <source>Choose at least one layer for the map.</source>
            <translation>地図に表示するレイヤを一つ以上選んでください。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="95" />
            <source>Give the map a title.</source>
            <translation>地図の表題を入力してください。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="112" />
            <source>Building the {paper} layout...</source>
            <translation>{paper} のレイアウトを作成しています…</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="140" />
            <source>Layout '{name}' added to the project.</source>
            <translation>レイアウト「{name}」をプロジェクトに追加しました。</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="29" />
            <source>Load and validate layers</source>
            <translation>レイヤの読込みと検証</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="31" />
            <source>validate,load,check,report,bridges,municipalities,roads</source>
            <translation>検証,読込み,チェック,レポート,橋梁,市区町村,道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="32" />
            <source>Reads municipal boundaries, roads, a bridge inventory and facilities, recognises their columns (Japanese or English names such as 橋梁名, 橋長(m), 判定区分, 架設年度 in 和暦, N03_007), converts values to the canonical fields, reprojects everything to one metric CRS (a JGD2011 plane rectangular zone chosen from the data unless you set one), and writes the cleaned layers.

Nothing is dropped silently: every feature that was skipped, repaired or converted is listed in the load report table with the layer, row and reason.

Give at least one layer. 'Selected features only' is honoured.</source>
            <translation>行政区域、道路、橋梁台帳、施設を読み込み、列名（橋梁名、橋長(m)、判定区分、和暦の架設年度、N03_007 など日本語・英語の名前）を認識して標準の項目に変換し、すべてを一つのメートル単位の座標系（指定がなければデータに合う JGD2011 平面直角座標系）に投影し直して、整えたレイヤを出力します。

黙って捨てるものはありません：除外・修復・変換した地物はすべて、レイヤ・行・理由とともに読込みレポートの表に記載されます。

レイヤを一つ以上指定してください。「選択した地物のみ」に対応しています。</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="60" />
            <source>Municipal boundaries (e.g. N03)</source>
            <translation>行政区域（N03 など）</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="62" />
            <source>Municipality code field</source>
            <translation>市区町村コードの項目</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="64" />
            <source>Municipality name field</source>
            <translation>市区町村名の項目</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="66" />
            <source>Roads</source>
            <translation>道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="67" />
            <source>Bridges (inventory points or bridge lines)</source>
            <translation>橋梁（台帳の点または橋梁の線）</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="69" />
            <source>Bridge ID field</source>
            <translation>橋梁IDの項目</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="70" />
            <source>Facilities (hospitals, schools, offices)</source>
            <translation>施設（病院・学校・役場）</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="73" />
            <source>Analysis CRS (empty: the JGD2011 plane rectangular zone of the data)</source>
            <translation>解析の座標系（空欄：データに合う JGD2011 平面直角座標系）</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="78" />
            <source>Loaded municipalities</source>
            <translation>読込み済みの市区町村</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="79" />
            <source>Loaded roads</source>
            <translation>読込み済みの道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="80" />
            <source>Loaded bridges</source>
            <translation>読込み済みの橋梁</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="81" />
            <source>Loaded facilities</source>
            <translation>読込み済みの施設</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="86" />
            <source>Load report</source>
            <translation>読込みレポート</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="87" />
            <source>Analysis CRS</source>
            <translation>解析の座標系</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="88" />
            <source>Features skipped</source>
            <translation>除外した地物の数</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="89" />
            <source>Errors in the load report</source>
            <translation>読込みレポートのエラー数</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="103" />
            <source>The analysis CRS must be projected in metres (e.g. EPSG:6669-6687, JGD2011 plane rectangular zones); {crs} is geographic.</source>
            <translation>解析の座標系はメートル単位の投影座標系（例：EPSG:6669〜6687、JGD2011 平面直角座標系）にしてください。{crs} は地理座標系です。</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="130" />
            <source>Analysis CRS: {crs}; {skipped} feature(s) skipped, {errors} error(s): see the load report.</source>
            <translation>解析の座標系: {crs}。除外 {skipped} 件、エラー {errors} 件：読込みレポートを確認してください。</translation>
        </message>
        <message>
            <location filename="convert.py" line="100" />
            <source>Layer '{layer}' has no valid coordinate reference system. Set it in Layer Properties &gt; Source (e.g. EPSG:6668 JGD2011, or a plane rectangular zone EPSG:6669-6687), then run again.</source>
            <translation>レイヤ「{layer}」に有効な座標系がありません。レイヤのプロパティ＞ソースで設定してから（例：EPSG:6668 JGD2011、平面直角座標系 EPSG:6669〜6687）、もう一度実行してください。</translation>
        </message>
        <message>
            <location filename="convert.py" line="268" />
            <source>Cannot write geometry types {types} to a layer.</source>
            <translation>ジオメトリの種類 {types} はレイヤに書き出せません。</translation>
        </message>
        <message>
            <location filename="convert.py" line="272" />
            <source>A result mixes geometry types ({types}); it cannot be written to one layer.</source>
            <translation>結果に複数のジオメトリの種類（{types}）が混在しているため、一つのレイヤに書き出せません。</translation>
        </message>
        <message>
            <location filename="deps.py" line="120" />
            <source>The gunmane plugin found geopandas, shapely and pyproj, but they do not work inside QGIS ({problem}). Another plugin may have imported them first; restart QGIS, or install the versions built for your QGIS (Linux: sudo apt install python3-shapely python3-pyproj python3-geopandas). See the plugin documentation.</source>
            <translation>gunmane プラグインは geopandas・shapely・pyproj を見つけましたが、QGIS の中で正しく動きません（{problem}）。別のプラグインが先に読み込んだ可能性があります。QGIS を再起動するか、お使いの QGIS 向けに作られた版を入れてください（Linux：sudo apt install python3-shapely python3-pyproj python3-geopandas）。プラグインの説明書を参照してください。</translation>
        </message>
        <message>
            <location filename="deps.py" line="128" />
            <source>The gunmane plugin needs Python packages that QGIS cannot import: {names}. Install them into the Python that QGIS uses, then restart QGIS. Windows: open the OSGeo4W Shell and run: python -m pip install gunmane-geo . macOS: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install gunmane-geo . Linux: python3 -m pip install --user gunmane-geo . (Packages: {packages}; interpreter: {python}.)</source>
            <translation>gunmane プラグインに必要な Python パッケージを QGIS が読み込めません: {names}。QGIS が使う Python にインストールしてから QGIS を再起動してください。Windows：OSGeo4W Shell を開いて python -m pip install gunmane-geo を実行。macOS：/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install gunmane-geo を実行。Linux：python3 -m pip install --user gunmane-geo を実行。（パッケージ: {packages}、インタプリタ: {python}）</translation>
        </message>
        <message>
            <location filename="layout.py" line="85" />
            <source>No Japanese font found for the council map. Install Noto Sans CJK JP (Debian/Ubuntu: sudo apt install fonts-noto-cjk; Windows/macOS: from https://fonts.google.com/noto), then restart QGIS.</source>
            <translation>議会説明用の地図に使う日本語フォントが見つかりません。Noto Sans CJK JP を入れてから（Debian/Ubuntu：sudo apt install fonts-noto-cjk、Windows/macOS：https://fonts.google.com/noto から）QGIS を再起動してください。</translation>
        </message>
        <message>
            <location filename="layout.py" line="229" />
            <source>Legend</source>
            <translation>凡例</translation>
        </message>
        <message>
            <location filename="layout.py" line="280" />
            <source>Sources: {sources}</source>
            <translation>出典：{sources}</translation>
        </message>
        <message>
            <location filename="layout.py" line="282" />
            <source>Created: {date}</source>
            <translation>作成日：{date}</translation>
        </message>
        <message>
            <location filename="layout.py" line="324" />
            <source>Could not write the PDF {path} (error {code}): {error}</source>
            <translation>PDF {path} を書き出せませんでした（エラー {code}）：{error}</translation>
        </message>
        <message>
            <location filename="layout.py" line="332" />
            <source>Could not write the image {path} (error {code}): {error}</source>
            <translation>画像 {path} を書き出せませんでした（エラー {code}）：{error}</translation>
        </message>
        <message>
            <location filename="plugin.py" line="28" />
            <source>gunmane</source>
            <translation>gunmane</translation>
        </message>
        <message>
            <location filename="provider.py" line="22" />
            <source>gunmane (regional infrastructure group management)</source>
            <translation>gunmane（地域インフラ群マネジメント）</translation>
        </message>
        <message>
            <location filename="provider.py" line="25" />
            <source>gunmane-geo: regional infrastructure group management (群マネ)</source>
            <translation>gunmane-geo：地域インフラ群再生戦略マネジメント（群マネ）</translation>
        </message>
        <message>
            <source>Validating {n} layer(s)...</source>
            <translation type="vanished">{n} 個のレイヤを検証しています…</translation>
        </message>
    </context>
</TS>
