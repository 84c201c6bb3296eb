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
            <location filename="algorithms/base.py" line="196" />
            <source>Layer '{layer}' has no field '{field}'. Choose one of: {fields}.</source>
            <translation>レイヤ「{layer}」に項目「{field}」がありません。次から選んでください: {fields}。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="215" />
            <source>Give at least one input layer.</source>
            <translation>入力レイヤを一つ以上指定してください。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="239" />
            <source>Analysis CRS (empty: the JGD2011 plane rectangular zone of the data)</source>
            <translation>解析の座標系（空欄：データに合う JGD2011 平面直角座標系）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="246" />
            <source>Load and analysis report</source>
            <translation>読込み・分析レポート</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="255" />
            <source>The analysis CRS must be projected in metres (e.g. EPSG:6669-6687, JGD2011 plane rectangular zones); {crs} is geographic.</source>
            <translation>解析の座標系はメートル単位の投影座標系（例：EPSG:6669〜6687、JGD2011 平面直角座標系）にしてください。{crs} は地理座標系です。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="315" />
            <source>Roads</source>
            <translation>道路</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="316" />
            <source>Bridges (inventory points or bridge lines)</source>
            <translation>橋梁（台帳の点または橋梁の線）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="318" />
            <source>Bridges (inventory; empty: the road lines flagged as bridges)</source>
            <translation>橋梁（台帳。空欄のときは道路レイヤで橋梁とされた線）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="321" />
            <source>Bridge ID field</source>
            <translation>橋梁IDの項目</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="322" />
            <source>Facilities (hospitals, schools, offices)</source>
            <translation>施設（病院・学校・役場）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="325" />
            <source>Population grid (persons per cell)</source>
            <translation>人口メッシュ（セルあたり人数）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="327" />
            <source>Rivers (help match bridges to roads)</source>
            <translation>河川（橋梁と道路の対応付けに使用）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="333" />
            <source>Emergency transport routes (緊急輸送道路, e.g. N10; guard the bridges on them)</source>
            <translation>緊急輸送道路（N10 など。路線上の橋梁を撤去対象から守る）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="342" />
            <source>No bridges: the bridges layer is empty and no road line is flagged as a bridge. Give a bridges layer (inventory points or bridge lines), or a roads layer with an is_bridge field (1/true, 橋梁) or OSM bridge=yes tags.</source>
            <translation>橋梁がありません：橋梁レイヤが空で、道路レイヤにも橋梁とされた線がありません。橋梁レイヤ（台帳の点または橋梁の線）を指定するか、is_bridge 列（1/true、橋梁）または OSM の bridge=yes タグを持つ道路レイヤを指定してください。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="374" />
            <source>Municipal boundaries (e.g. N03)</source>
            <translation>行政区域（N03 など）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="376" />
            <source>Municipality code field</source>
            <translation>市区町村コードの項目</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="378" />
            <source>Municipality name field</source>
            <translation>市区町村名の項目</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="396" />
            <source>Technical staff table (municipality_code, technical_staff)</source>
            <translation>技術系職員数の表（municipality_code, technical_staff）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="402" />
            <source>Other sectors' assets (parks, rivers, sewers: sector, inspection_hours)</source>
            <translation>他分野の施設（公園・河川・下水道：sector, inspection_hours）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="408" />
            <source>Group members (group_id, municipality_code; e.g. the output of 'Municipal groups')</source>
            <translation>グループの構成（group_id, municipality_code；例：「広域連携の組合せ」の出力）</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="450" />
            <source>Cancelled by the user.</source>
            <translation>ユーザーが中止しました。</translation>
        </message>
        <message>
            <location filename="algorithms/base.py" line="452" />
            <source>{algorithm}: {message}</source>
            <translation>{algorithm}: {message}</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="24" />
            <source>Council map (PDF layout)</source>
            <translation>議会説明用の地図（PDFレイアウト）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="26" />
            <source>map,layout,print,pdf,council,report</source>
            <translation>地図,レイアウト,印刷,PDF,議会,資料</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="27" />
            <source>Builds a print layout for council meetings (議会説明資料) from the chosen layers: Japanese title, map, legend, scale bar, north arrow, date and data sources, on A3 or A4 landscape, and exports it to PDF (text kept as text with the Japanese font embedded) and optionally PNG.

Layers are drawn with their current styles, the first layer on top. Outputs of the gunmane algorithms that are not in the project (for example the plan or groups output of the previous step of a model) get the plugin's styles and a legend name, unless you turn that off. Run from the desktop, the layout is also added to the project (Project &gt; Layouts) so you can edit it in the layout designer.

Detail maps: when the layers include the plan's detour routes (output Detour routes of the plan), up to 'Detail maps of detours' small maps (0 to 6; 0 = none) zoom to the longest detours, detours whose close-ups would overlap sharing one, longest first. They sit under the legend, or in a strip under the map when the legend leaves too little room; each is captioned with its bridge and detour and numbered on the main map in a purple frame. Removals that cut people off have no route and get no detail map (the log says how many).

Needs a Japanese font: Noto Sans CJK JP (Debian/Ubuntu package fonts-noto-cjk) is registered automatically when installed.</source>
            <translation>選んだレイヤから議会説明資料用の印刷レイアウトを作ります：日本語の表題、地図、凡例、縮尺記号、方位記号、作成日、出典を A3 または A4 横に配置し、PDF（文字は文字のまま、日本語フォントを埋め込み）と、必要なら PNG に書き出します。

レイヤは現在のスタイルで描かれ、最初のレイヤが一番上になります。プロジェクトにない gunmane アルゴリズムの出力（たとえばモデルの前の段階の計画やグループの出力）には、オフにしない限り、プラグインのスタイルと凡例名が付きます。デスクトップから実行すると、レイアウトはプロジェクトにも追加され（プロジェクト＞レイアウト）、レイアウトデザイナで編集できます。

詳細図：レイヤに計画の迂回路（計画の出力「迂回路」）があると、迂回の長い順に最大「迂回路の詳細図」枚（0～6、0 で作らない）の小さな地図で迂回路を拡大して示します。拡大範囲が重なる迂回路は一つの詳細図にまとめます。詳細図は凡例の下に、凡例の下に十分な余白がなければ地図の下の帯に並び、それぞれに橋梁と迂回距離の見出しが付き、本図には番号付きの紫の枠で範囲を示します。撤去で孤立が生じる橋梁には迂回路がないため詳細図を作りません（件数はログに出ます）。

日本語フォントが必要です：Noto Sans CJK JP（Debian/Ubuntu のパッケージ fonts-noto-cjk）がインストールされていれば自動で登録されます。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="75" />
            <source>Layers to show (first on top)</source>
            <translation>表示するレイヤ（最初のものが一番上）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="77" />
            <source>Bridge consolidation study</source>
            <translation>橋梁の集約・撤去の検討</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="77" />
            <source>Title</source>
            <translation>表題</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="79" />
            <source>Subtitle</source>
            <translation>副題</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="81" />
            <source>Paper (landscape)</source>
            <translation>用紙（横向き）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="83" />
            <source>Map extent (empty: all layers)</source>
            <translation>地図の範囲（空欄：すべてのレイヤ）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="85" />
            <source>Detail maps of detours (0 = none)</source>
            <translation>迂回路の詳細図（0 で作らない）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="89" />
            <source>Data sources</source>
            <translation>出典</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="90" />
            <source>National Land Numerical Information (administrative areas), bridge inventory, OpenStreetMap contributors</source>
            <translation>国土数値情報（行政区域）、橋梁台帳、© OpenStreetMap contributors</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="93" />
            <source>Date (empty: today)</source>
            <translation>作成日（空欄：今日）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="95" />
            <source>Resolution (dpi)</source>
            <translation>解像度（dpi）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="98" />
            <source>Style gunmane outputs that are not in the project</source>
            <translation>プロジェクトにない gunmane の出力にスタイルを適用する</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="101" />
            <source>Add the layout to the project</source>
            <translation>レイアウトをプロジェクトに追加する</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="103" />
            <source>Council map PDF</source>
            <translation>議会説明用の地図（PDF）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="103" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF ファイル (*.pdf)</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="105" />
            <source>Council map PNG</source>
            <translation>議会説明用の地図（PNG）</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="105" />
            <source>PNG files (*.png)</source>
            <translation>PNG ファイル (*.png)</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="112" />
            <source>Choose at least one layer for the map.</source>
            <translation>地図に表示するレイヤを一つ以上選んでください。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="115" />
            <source>Give the map a title.</source>
            <translation>地図の表題を入力してください。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="137" />
            <source>Building the {paper} layout...</source>
            <translation>{paper} のレイアウトを作成しています…</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="161" />
            <source>{count} detail maps of detours (the longest first).</source>
            <translation>迂回路の詳細図 {count} 枚（迂回の長い順）。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="164" />
            <source>{count} removals have no detour route (they cut people off or no route was found): no detail map for them.</source>
            <translation>迂回路のない撤去が {count} 件あります（孤立が生じるか、経路が見つかりません）：詳細図は作りません。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="168" />
            <source>{count} detour routes lie outside the map extent: no detail map for them.</source>
            <translation>地図の範囲外の迂回路が {count} 件あります：詳細図は作りません。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="171" />
            <source>{count} more detour areas have no detail map: raise 'Detail maps of detours' (at most 6) to show more.</source>
            <translation>ほかに詳細図のない迂回路の範囲が {count} か所あります：表示するには「迂回路の詳細図」を増やしてください（最大 6）。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="189" />
            <source>Styled '{name}' with the plugin's {style} style.</source>
            <translation>「{name}」にプラグインの {style} スタイルを適用しました。</translation>
        </message>
        <message>
            <location filename="algorithms/council_map.py" line="201" />
            <source>Layout '{name}' added to the project.</source>
            <translation>レイアウト「{name}」をプロジェクトに追加しました。</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="18" />
            <source>Bridge criticality</source>
            <translation>橋梁の重要度</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="20" />
            <source>criticality,detour,isolation,bridge,removal,network</source>
            <translation>重要度,迂回,孤立,橋梁,撤去,道路網</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="21" />
            <source>Removes each bridge on its own from the road network and measures what happens: the detour between the bridge's two ends (detour_m in metres, detour_min in minutes), whether the removal cuts people off (isolates, isolated_population, isolated_facilities and their names) and the vehicle-km added per day (AADT x detour). criticality_rank 1 is the most critical bridge; criticality_class groups the bridges for the map (detour under a third of the detour limit, up to two thirds, up to the limit (1, 2 and 3 km by default), over the limit, dead end with nobody cut off, removal cuts people off, not on the road network).

Bridges are matched to the road edges within the match tolerance of the settings; a bridge that matches no edge is kept with matched = false and no rank, and the reason. Each bridge is one point: the middle of its bridge edge, or its inventory location when it is not on the network.

Bridges: without a bridges layer, the road lines flagged as bridges (an is_bridge field, or OSM bridge=yes) are the bridges, each one on the network (as the command line does).

Population (a grid raster) and facilities are optional; without them isolation is counted in road nodes only.</source>
            <translation>道路網から橋梁を1橋ずつ取り除き、その影響を測ります：橋の両端の間の迂回距離（detour_m、メートル）と迂回時間（detour_min、分）、撤去で孤立が生じるか（isolates、isolated_population、isolated_facilities と施設名）、1日あたりの増加走行台キロ（交通量×迂回距離）。criticality_rank は 1 が最も重要な橋梁です。criticality_class は地図用の区分です（迂回が上限の3分の1未満、3分の2まで、上限まで（既定では 1、2、3 km）、上限超過、行き止まりで孤立なし、撤去で孤立が生じる、道路網と未接続）。

橋梁は設定の許容距離内で道路の辺に対応付けます。対応付けできない橋梁も matched = false、順位なしで、その理由とともに出力します。各橋梁は1点で出力します：橋梁の辺の中点、道路網にない橋梁は台帳の位置です。

橋梁：橋梁レイヤを指定しない場合は、道路レイヤで橋梁とされた線（is_bridge 列、または OSM の bridge=yes）を橋梁とし、どれも道路網上にあります（コマンドラインと同じ）。

人口（メッシュのラスタ）と施設は任意です。指定しない場合、孤立は道路ノード数のみで数えます。</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="51" />
            <source>Analysis CRS</source>
            <translation>解析の座標系</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="53" />
            <source>Bridges whose removal cuts people off</source>
            <translation>撤去で孤立が生じる橋梁数</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="55" />
            <source>Bridges not on the road network</source>
            <translation>道路網に対応付けできない橋梁数</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="65" />
            <source>Building the road network...</source>
            <translation>道路網を構築しています…</translation>
        </message>
        <message>
            <location filename="algorithms/criticality.py" line="82" />
            <source>{n} bridges: {isolating} cut people off, {unmatched} are not on the road network (see matched and reason).</source>
            <translation>橋梁 {n} 橋：撤去で孤立が生じるもの {isolating} 橋、道路網に対応付けできないもの {unmatched} 橋（matched と reason を参照）。</translation>
        </message>
        <message>
            <location filename="algorithms/effect.py" line="17" />
            <source>Effect estimate</source>
            <translation>導入効果試算</translation>
        </message>
        <message>
            <location filename="algorithms/effect.py" line="19" />
            <source>effect,cost,staff hours,outsourcing,導入効果試算</source>
            <translation>導入効果,費用,職員時間,委託,導入効果試算</translation>
        </message>
        <message>
            <location filename="algorithms/effect.py" line="20" />
            <source>Estimates the effect of managing bridges as a group (導入効果試算): total cost = direct staff hours x hourly labour cost + outsourcing, before and after, per municipality and per group (hours per year, yen per year).

Give your own figures as an input table (one row per municipality_code with any of direct_hours_before, direct_hours_after, outsourcing_before_yen, outsourcing_after_yen, hourly_labour_cost_yen; Japanese headers accepted); empty cells use the ILLUSTRATIVE defaults of the settings ([effect]), and uses_illustrative_defaults says where they were used. Without group members, one group 'ALL' holds every municipality.

The assumptions table lists every parameter, its value and where it came from.</source>
            <translation>橋梁をグループで管理する効果を試算します（導入効果試算）：総費用＝直営の職員時間×人件費単価＋委託費を、導入前と導入後について、市区町村ごと・グループごとに求めます（時間/年、円/年）。

独自の数値は入力表で指定します（municipality_code ごとに1行、direct_hours_before、direct_hours_after、outsourcing_before_yen、outsourcing_after_yen、hourly_labour_cost_yen のいずれか；日本語の見出しも可）。空欄には設定（[effect]）の例示値を使い、uses_illustrative_defaults に使った箇所を示します。グループの構成を指定しない場合は、すべての市区町村を1つのグループ「ALL」とします。

前提条件の表には、すべてのパラメータとその値、出典を示します。</translation>
        </message>
        <message>
            <location filename="algorithms/effect.py" line="42" />
            <source>Effect input table (hours and yen per municipality)</source>
            <translation>導入効果試算の入力表（市区町村ごとの時間と金額）</translation>
        </message>
        <message>
            <location filename="algorithms/effect.py" line="50" />
            <source>Assumptions</source>
            <translation>前提条件</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="20" />
            <source>Municipal groups</source>
            <translation>広域連携の組合せ</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="22" />
            <source>groups,municipalities,wide-area,horizontal,vertical,広域連携</source>
            <translation>グループ,市区町村,広域連携,水平連携,垂直連携</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="23" />
            <source>Suggests groups of neighbouring municipalities that could manage their bridges together (広域連携): every group is contiguous, reaches the floor of the settings (technical staff, bridges) and stays under the ceiling (members, travel minutes between municipal offices), and the workload per engineer is balanced across groups. The best few candidate partitions are returned (candidate 1 = best); the map shows candidate 1, one colour per group.

Neighbours share a boundary (within the tolerance) or are linked by a road or bridge across the water. Travel times use the roads when given, otherwise the straight line times a circuity factor. Offices are the facilities with facility_type = office (else a point inside each municipality).

'Vertical' names the prefecture as a partner of every group (垂直連携).</source>
            <translation>橋梁を共同で管理できる隣接市区町村のグループを提案します（広域連携）：各グループは地続きで、設定の下限（技術系職員数、橋梁数）を満たし、上限（団体数、役場間の移動時間）を超えず、技術者1人あたりの業務量がグループ間で均衡するようにします。上位の候補をいくつか出力します（candidate 1 が最良）。地図には候補1をグループごとに色分けして表示します。

隣接は、境界を（許容距離内で）共有するか、水域を渡る道路・橋梁で結ばれていることです。移動時間は道路があれば道路で、なければ直線距離×迂回係数で求めます。役場は facility_type = office の施設です（なければ各市区町村内の1点）。

「垂直連携」を選ぶと、都道府県を各グループのパートナーとします。</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="55" />
            <source>Vertical: the prefecture joins every group</source>
            <translation>垂直連携：都道府県が各グループに参加</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="57" />
            <source>Number of candidate partitions (empty: settings)</source>
            <translation>候補となる組合せの数（空欄：設定値）</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="60" />
            <source>Search</source>
            <translation>探索方法</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="60" />
            <source>automatic</source>
            <translation>自動</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="60" />
            <source>exact</source>
            <translation>厳密解</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="60" />
            <source>heuristic</source>
            <translation>発見的解法</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="67" />
            <source>Group members</source>
            <translation>グループの構成団体</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="69" />
            <source>Candidate partitions</source>
            <translation>組合せの候補</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="72" />
            <source>Neighbouring municipalities</source>
            <translation>隣接する市区町村</translation>
        </message>
        <message>
            <location filename="algorithms/groups.py" line="110" />
            <source>Candidate 1: {n} groups: {names}</source>
            <translation>候補1：{n} グループ：{names}</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="17" />
            <source>Indicators (visibility)</source>
            <translation>見える化の指標</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="19" />
            <source>indicators,visibility,ageing,rating,staff,見える化</source>
            <translation>指標,見える化,高齢化,判定区分,職員</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="20" />
            <source>Makes the state of the bridges visible per municipality and per group (見える化): number of bridges and deck area (m²), share 50 years or older now and in 10 and 20 years, bridges per rating (判定区分 I-IV) and the share rated III or IV, inspections overdue, technical staff and bridges per engineer, and other sectors' assets.

Give group members (for example the Group members output of 'Municipal groups'; only candidate 1 is used) to get one row per group after the municipalities. Bridges and assets that lie in no municipality are listed in the skipped table with the reason. Shares are fractions 0-1; NULL where the denominator is 0.</source>
            <translation>橋梁の状態を市区町村ごと・グループごとに見える化します：橋梁数と橋面積（m²）、建設後50年以上の割合（現在、10年後、20年後）、判定区分（I〜IV）ごとの橋梁数と III・IV の割合、点検の遅れ、技術系職員数と技術者1人あたりの橋梁数、他分野の施設数。

グループの構成（例：「広域連携の組合せ」のグループ構成の出力；候補1のみ使用）を指定すると、市区町村の後にグループごとの行を出力します。どの市区町村にも含まれない橋梁・施設は、理由とともに除外一覧に出力します。割合は 0〜1 の小数で、分母が 0 のときは NULL です。</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="45" />
            <source>Indicators</source>
            <translation>見える化の指標</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="47" />
            <source>Skipped bridges and assets</source>
            <translation>集計から除外した橋梁・施設</translation>
        </message>
        <message>
            <location filename="algorithms/indicators.py" line="69" />
            <source>{n} bridges or assets lie in no municipality: see the skipped table.</source>
            <translation>{n} 件の橋梁・施設がどの市区町村にも含まれません。除外一覧を確認してください。</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="30" />
            <source>Load and validate layers</source>
            <translation>レイヤの読込みと検証</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="32" />
            <source>validate,load,check,report,bridges,municipalities,roads</source>
            <translation>検証,読込み,チェック,レポート,橋梁,市区町村,道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="33" />
            <source>Reads municipal boundaries, roads, a bridge inventory and facilities, recognises their columns (Japanese or English names such as 橋梁名, 橋長(m), 判定区分, 架設年度 in 和暦, N03_007), converts values to the canonical fields, reprojects everything to one metric CRS (a JGD2011 plane rectangular zone chosen from the data unless you set one), and writes the cleaned layers.

Emergency transport routes (緊急輸送道路, e.g. 国土数値情報 N10) mark the roads and bridges that lie along them (emergency_route, emergency_tier 1..3).

Nothing is dropped silently: every feature that was skipped, repaired or converted is listed in the load report table with the layer, row and reason.

Give at least one layer. 'Selected features only' is honoured.</source>
            <translation>行政区域、道路、橋梁台帳、施設を読み込み、列名（橋梁名、橋長(m)、判定区分、和暦の架設年度、N03_007 など日本語・英語の名前）を認識して標準の項目に変換し、すべてを一つのメートル単位の座標系（指定がなければデータに合う JGD2011 平面直角座標系）に投影し直して、整えたレイヤを出力します。

緊急輸送道路（国土数値情報 N10 など）を指定すると、その路線に沿う道路と橋梁に印を付けます（emergency_route、emergency_tier 1〜3 次）。

黙って捨てるものはありません：除外・修復・変換した地物はすべて、レイヤ・行・理由とともに読込みレポートの表に記載されます。

レイヤを一つ以上指定してください。「選択した地物のみ」に対応しています。</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="78" />
            <source>Emergency transport routes (緊急輸送道路, e.g. N10)</source>
            <translation>緊急輸送道路（N10 など）</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="86" />
            <source>Loaded municipalities</source>
            <translation>読込み済みの市区町村</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="87" />
            <source>Loaded roads</source>
            <translation>読込み済みの道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="88" />
            <source>Loaded bridges</source>
            <translation>読込み済みの橋梁</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="89" />
            <source>Loaded facilities</source>
            <translation>読込み済みの施設</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="90" />
            <source>Loaded emergency transport routes</source>
            <translation>読み込んだ緊急輸送道路</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="95" />
            <source>Load report</source>
            <translation>読込みレポート</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="97" />
            <source>Features skipped</source>
            <translation>除外した地物の数</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="98" />
            <source>Errors in the load report</source>
            <translation>読込みレポートのエラー数</translation>
        </message>
        <message>
            <location filename="algorithms/load_layers.py" line="139" />
            <source>Analysis CRS: {crs}; {skipped} feature(s) skipped, {errors} error(s): see the load report.</source>
            <translation>解析の座標系: {crs}。除外 {skipped} 件、エラー {errors} 件：読込みレポートを確認してください。</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="18" />
            <source>Consolidation and removal options</source>
            <translation>集約・撤去の候補</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="20" />
            <source>options,consolidation,removal,downsizing,life-cycle cost,集約,撤去</source>
            <translation>候補,集約,撤去,ダウンサイジング,ライフサイクルコスト</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="21" />
            <source>For every bridge, costs and checks each way to deal with it: keep (repair and renew), simple removal (単純撤去), removal plus a detour upgrade (撤去＋迂回路整備) and downsizing to a pedestrian/bicycle bridge (ダウンサイジング); and finds sets of nearby bridges that can be replaced by one (複数橋梁の集約).

Each option has its life-cycle cost (present value in yen over the horizon of the settings), the cost avoided compared with keeping, the road users' cost of the detour, the guards that exclude it (people cut off, detour over the limit, emergency, bus and school routes) and a reason in Japanese and English. recommended marks the best option per bridge; the map shows it.

Cost defaults are ILLUSTRATIVE, not official unit costs: give your own in a settings file ([costs], [guards]) before using the results for decisions.</source>
            <translation>橋梁ごとに、各対策の費用と適否を評価します：維持（修繕・更新）、単純撤去、撤去＋迂回路整備、ダウンサイジング（歩行者・自転車橋化）。また、1橋にまとめられる近接した橋梁の組（複数橋梁の集約）を探します。

各対策について、ライフサイクルコスト（設定の対象期間の現在価値、円）、維持と比べて回避できる費用、迂回による利用者費用、除外条件（孤立の発生、迂回の上限超過、緊急輸送道路・バス路線・通学路）、日本語と英語の理由を示します。recommended は橋梁ごとの最善の対策で、地図に表示します。

費用の既定値は例示であり、公式の単価ではありません。判断に使う前に設定ファイル（[costs]、[guards]）で独自の値を指定してください。</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="43" />
            <source>Bridge options</source>
            <translation>橋梁ごとの対策案</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="45" />
            <source>Consolidation sets</source>
            <translation>集約の候補（複数橋梁）</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="48" />
            <source>Bridges with a recommended removal-type option</source>
            <translation>撤去系の対策が推奨される橋梁数</translation>
        </message>
        <message>
            <location filename="algorithms/options.py" line="80" />
            <source>{n} bridges, {rec} with a recommended removal-type option; {sets} consolidation sets. Costs are ILLUSTRATIVE unless your settings file sets [costs].</source>
            <translation>橋梁 {n} 橋のうち撤去系の対策が推奨されるもの {rec} 橋、集約の候補 {sets} 組。費用は設定ファイルの [costs] で指定しない限り例示値です。</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="21" />
            <source>Asset packages</source>
            <translation>包括委託のまとまり</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="23" />
            <source>packages,contract,inspection,multi-sector,包括的民間委託,多分野連携</source>
            <translation>まとまり,委託,点検,多分野連携,包括的民間委託</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="24" />
            <source>Clusters bridges and other assets (parks, rivers, sewers) into maintenance contract packages across municipal boundaries: each package is compact in road travel time from its centre asset and the packages are balanced by inspection hours, within the size range of the settings.

With 'Multi-sector areas per municipality' ticked, each municipality's assets of all sectors are split into a few contract areas instead (多分野連携, 包括的民間委託).

Outputs: the packages (or areas) as polygons (the buffered hull of their assets) and every asset with its package_id (or area_id) and travel_min.</source>
            <translation>橋梁と他分野の施設（公園・河川・下水道）を、市区町村の境界を越えて維持管理の委託のまとまりに分けます：各まとまりは中心となる施設からの道路の移動時間で見てまとまりがよく、点検時間が均衡し、設定の規模範囲に収まるようにします。

「代わりに市区町村ごとの多分野連携の区域を作る」を選ぶと、各市区町村の全分野の施設をいくつかの委託区域に分けます（多分野連携、包括的民間委託）。

出力：まとまり（区域）のポリゴン（施設を囲む範囲に緩衝帯をつけたもの）と、package_id（area_id）と travel_min を付けた各施設。</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="47" />
            <source>Roads (travel times; empty: straight line)</source>
            <translation>道路（移動時間に使用；空欄：直線距離）</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="50" />
            <source>Number of packages (empty: from the size range of the settings)</source>
            <translation>まとまりの数（空欄：設定の規模範囲から決定）</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="53" />
            <source>Multi-sector areas per municipality instead</source>
            <translation>代わりに市区町村ごとの多分野連携の区域を作る</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="56" />
            <source>Multi-sector: only this municipality code</source>
            <translation>多分野連携：この団体コードのみ</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="58" />
            <source>Multi-sector: areas per municipality (empty: settings)</source>
            <translation>多分野連携：市区町村あたりの区域数（空欄：設定値）</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="65" />
            <source>Assets with their package</source>
            <translation>施設と所属するまとまり</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="73" />
            <source>Give bridges and/or other sectors' assets.</source>
            <translation>橋梁または他分野の施設（あるいは両方）を指定してください。</translation>
        </message>
        <message>
            <location filename="algorithms/packages.py" line="103" />
            <source>{n} packages or areas for {assets} assets.</source>
            <translation>施設 {assets} 件を {n} のまとまり（区域）に分けました。</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="22" />
            <source>Plan under a budget</source>
            <translation>予算内の集約・撤去計画</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="24" />
            <source>plan,budget,saving,consolidation,removal,cost curve,計画,予算</source>
            <translation>計画,予算,削減,集約,撤去,費用曲線</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="25" />
            <source>Chooses options across all bridges, one step at a time, best net benefit first (cost avoided minus the road users' cost), re-measuring the detours of ALL removals of the plan on the network at each step and refusing steps that break a guard (people cut off, detour over the limit).

Give a budget (life-cycle cost in yen, present value, that the bridge stock may use over the horizon) and/or a saving target in percent of the baseline (everything kept). With neither, the plan takes every step with a positive net benefit.

Outputs: the plan (one point per bridge: the chosen option, the step, its detour with the whole plan, the reason; removed bridges are crossed out on the map), the cost curve (one row per step), a one-row summary and the detour routes (one line per bridge that loses vehicle traffic: the way round it with all removals of the plan made, drawn as a bold black dashed line). Each planned bridge names its method (集約 into a named kept bridge, 単純撤去, 撤去＋迂回路整備, ダウンサイジング) and why it won.

Compare saving targets: e.g. 0,5,10,20 plans at each of these targets side by side (a table and a chart: bridges by method, cost avoided, added vehicle-km, people whose trips get longer). Costs are ILLUSTRATIVE defaults unless your settings file sets [costs].</source>
            <translation>全橋梁の対策を、正味便益（回避できる費用−利用者費用）の大きい順に1段階ずつ選びます。各段階で計画に含まれるすべての撤去について道路網上で迂回を測り直し、制約条件（孤立の発生、迂回の上限超過）に反する段階は採用しません。

予算（対象期間に橋梁全体で使えるライフサイクルコスト、円、現在価値）または削減目標（すべて維持する場合に対する％）を指定してください。どちらも指定しない場合は、正味便益が正の段階をすべて採用します。

出力：計画（橋梁ごとに1点：選んだ対策、段階、計画全体での迂回、理由；地図では撤去する橋梁に×印）、費用曲線（段階ごとに1行）、1行の概要、迂回路（車が通れなくなる橋梁ごとに1本の線：計画のすべての撤去を行った後の迂回経路、太い黒の破線で表示）。計画に含まれる橋梁ごとに方法（残す橋を名指しした集約、単純撤去、撤去＋迂回路整備、ダウンサイジング）とそれを選んだ理由を示します。

比較する削減目標：例えば 0,5,10,20 と指定すると、それぞれの目標での計画を並べて比較します（表とグラフ：方法別の橋梁数、回避できる費用、増える走行台キロ、移動が長くなる人）。費用は設定ファイルの [costs] で指定しない限り例示値です。</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="61" />
            <source>Budget: life-cycle cost over the horizon (yen, present value)</source>
            <translation>予算：対象期間のライフサイクルコスト（円、現在価値）</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="64" />
            <source>Saving target (% of the baseline life-cycle cost)</source>
            <translation>削減目標（現状維持のライフサイクルコストに対する％）</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="67" />
            <source>Compare saving targets (%, comma-separated, e.g. 0,5,10,20)</source>
            <translation>比較する削減目標（%、カンマ区切り、例：0,5,10,20）</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="72" />
            <source>Plan</source>
            <translation>集約・撤去計画</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="74" />
            <source>Cost curve</source>
            <translation>費用曲線</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="76" />
            <source>Plan summary</source>
            <translation>計画の概要</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="78" />
            <source>Detour routes</source>
            <translation>迂回路</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="87" />
            <source>Scenario comparison</source>
            <translation>シナリオ比較</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="90" />
            <source>Scenario chart (PDF)</source>
            <translation>シナリオ比較グラフ（PDF）</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="93" />
            <source>Cost avoided (yen)</source>
            <translation>回避できる費用（円）</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="95" />
            <source>Bridges that lose vehicle traffic</source>
            <translation>車両通行がなくなる橋梁数</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="111" />
            <source>The saving target must be between 0 and 100 %, e.g. 20.</source>
            <translation>削減目標は 0〜100 ％の間で指定してください（例：20）。</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="118" />
            <source>Compare saving targets</source>
            <translation>比較する削減目標</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="163" />
            <source>Plan: {n} bridges lose vehicle traffic; life-cycle cost {before} -&gt; {after} yen ({share} saved); target reached: {reached}.</source>
            <translation>計画：車両通行がなくなる橋梁 {n} 橋、ライフサイクルコスト {before} 円 → {after} 円（{share} 削減）、目標達成：{reached}。</translation>
        </message>
        <message>
            <location filename="algorithms/plan.py" line="169" />
            <source>The budget or saving target cannot be reached within the guards: the plan takes every step that is allowed.</source>
            <translation>制約条件の範囲では予算・削減目標に届きません。計画には許されるすべての対策を含めました。</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="18" />
            <source>Road pairs for joint review</source>
            <translation>共同で検討すべき道路の組（垂直連携）</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="20" />
            <source>road pairs,prefecture,vertical,parallel,垂直連携</source>
            <translation>道路の組,都道府県,垂直連携,並行</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="21" />
            <source>Lists municipal road stretches that run parallel to a prefectural road and join the same places, so that the prefecture and the municipality can review them together (垂直連携), e.g. whether both bridges over the same river are needed.

Needs road_class (prefectural / municipal, or 都道府県道 / 市町村道) on the roads. parallel_share is the share of the municipal stretch within the parallel distance of the settings; the best candidates come first. Bridges within 30 m of a municipal stretch are counted on it.</source>
            <translation>都道府県道と並行し、同じ地点どうしを結ぶ市町村道の区間を一覧にします。都道府県と市町村が共同で検討するためのものです（垂直連携）。例：同じ川に架かる2つの橋がどちらも必要か。

道路に road_class（prefectural / municipal、または 都道府県道 / 市町村道）が必要です。parallel_share は市町村道の区間のうち設定の並行距離内にある割合で、有力な候補から順に並べます。市町村道の区間から 30 m 以内の橋梁をその区間の橋梁として数えます。</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="34" />
            <source>Roads (with road class)</source>
            <translation>道路（道路種別つき）</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="41" />
            <source>Road pairs</source>
            <translation>道路の組</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="43" />
            <source>Road pairs found</source>
            <translation>見つかった道路の組の数</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="53" />
            <source>Looking for parallel road stretches...</source>
            <translation>並行する道路区間を探しています…</translation>
        </message>
        <message>
            <location filename="algorithms/road_pairs.py" line="60" />
            <source>{n} road pairs.</source>
            <translation>道路の組 {n} 件。</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="23" />
            <source>Removal scenario for selected bridges</source>
            <translation>選択した橋梁の撤去シナリオ</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="25" />
            <source>scenario,removal,selected,detour,isolation,trips</source>
            <translation>シナリオ,撤去,選択,迂回,孤立,移動</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="26" />
            <source>Removes several bridges at once and measures the effect of the whole set (two parallel bridges can each be harmless alone but cut a village off together).

Choose the bridges to remove as a layer, usually the bridge layer itself with 'Selected features only' ticked, and/or type their IDs separated by commas.

Outputs: the removed bridges with their detour when the whole set is gone, the trips from settlements to their nearest hospital, school, office and fire station that get longer (with the new route as a line; no line when cut off), the road nodes cut off, and a one-row summary (persons and facilities cut off, vehicle-km added per day, trips longer).</source>
            <translation>複数の橋梁を同時に撤去し、その組合せ全体の影響を測ります（並行する2橋は、それぞれ単独では問題なくても、両方なくなると集落が孤立することがあります）。

撤去する橋梁はレイヤで指定します。通常は橋梁レイヤ自体を指定して「選択した地物のみ」にチェックを入れます。橋梁IDをカンマ区切りで入力することもできます（両方も可）。

出力：すべて撤去したときの迂回をつけた撤去橋梁、集落から最寄りの病院・学校・役場・消防署への移動のうち遠回りになるもの（新しい経路を線で；孤立する場合は線なし）、孤立する道路ノード、1行の概要（孤立する人口・施設、1日あたりの増加走行台キロ、遠回りになる移動の数）。</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="51" />
            <source>Bridges to remove (e.g. the selected bridges)</source>
            <translation>撤去する橋梁（例：選択した橋梁）</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="53" />
            <source>Bridge ID field of the bridges to remove</source>
            <translation>撤去する橋梁の橋梁IDフィールド</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="56" />
            <source>Bridge IDs to remove (comma separated)</source>
            <translation>撤去する橋梁ID（カンマ区切り）</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="58" />
            <source>Draw the new route of each longer trip</source>
            <translation>遠回りになる移動の新しい経路を線で出力</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="62" />
            <source>Removed bridges (detour with the whole set removed)</source>
            <translation>撤去する橋梁（すべて撤去したときの迂回）</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="65" />
            <source>Trips that get longer</source>
            <translation>遠回りになる移動</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="67" />
            <source>Road nodes cut off</source>
            <translation>孤立する道路ノード</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="69" />
            <source>Scenario summary</source>
            <translation>シナリオの概要</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="71" />
            <source>Persons cut off</source>
            <translation>孤立する人口</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="73" />
            <source>Vehicle-km added per day</source>
            <translation>1日あたりの増加走行台キロ</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="91" />
            <source>No bridges to remove: select bridges and give them as 'Bridges to remove' (Selected features only), or type their IDs.</source>
            <translation>撤去する橋梁がありません。橋梁を選択して「撤去する橋梁」に指定する（選択した地物のみ）か、橋梁IDを入力してください。</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="103" />
            <source>Removing {n} bridge(s) together: {ids}</source>
            <translation>{n} 橋を同時に撤去します：{ids}</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="131" />
            <source>Not on the road network, so their removal changes nothing: {ids}</source>
            <translation>道路網に対応付けできないため、撤去しても変化がない橋梁：{ids}</translation>
        </message>
        <message>
            <location filename="algorithms/scenario.py" line="133" />
            <source>{population} persons and {facilities} facilities cut off; {vkm} vehicle-km added per day; {trips} trips longer.</source>
            <translation>孤立する人口 {population} 人・施設 {facilities} 件、1日あたり {vkm} 台キロ増加、遠回りになる移動 {trips} 件。</translation>
        </message>
        <message>
            <location filename="convert.py" line="98" />
            <source>The file of layer '{layer}' is saved in CP932 (Shift_JIS) but QGIS reads it as UTF-8, so its Japanese field names and values are garbled. Fix: remove the layer and add it again with Layer &gt; Add Layer &gt; Add Delimited Text Layer, Encoding 'Shift_JIS' (or set Layer Properties &gt; Source &gt; Data source encoding to Shift_JIS), then run again.</source>
            <translation>レイヤ「{layer}」のファイルは CP932（Shift_JIS）で保存されていますが、QGIS は UTF-8 として読んでいるため、日本語のフィールド名と値が文字化けしています。対処：レイヤを削除し、レイヤ &gt; レイヤを追加 &gt; CSVテキストレイヤを追加 で文字コードに「Shift_JIS」を選んで追加し直す（またはレイヤのプロパティ &gt; ソース &gt; データソースのエンコーディングを Shift_JIS にする）してから、もう一度実行してください。</translation>
        </message>
        <message>
            <location filename="convert.py" line="145" />
            <source>Layer '{layer}' has no valid coordinate reference system. Set it in Layer Properties &gt; Source (e.g. EPSG:6668 JGD2011, or a plane rectangular zone EPSG:6669-6687), then run again.</source>
            <translation>レイヤ「{layer}」に有効な座標系がありません。レイヤのプロパティ＞ソースで設定してから（例：EPSG:6668 JGD2011、平面直角座標系 EPSG:6669〜6687）、もう一度実行してください。</translation>
        </message>
        <message>
            <location filename="convert.py" line="315" />
            <source>Cannot write geometry types {types} to a layer.</source>
            <translation>ジオメトリの種類 {types} はレイヤに書き出せません。</translation>
        </message>
        <message>
            <location filename="convert.py" line="319" />
            <source>A result mixes geometry types ({types}); it cannot be written to one layer.</source>
            <translation>結果に複数のジオメトリの種類（{types}）が混在しているため、一つのレイヤに書き出せません。</translation>
        </message>
        <message>
            <location filename="deps.py" line="125" />
            <source>numba is not installed: the detour searches run as plain Python (correct, but several times slower). Install it with Plugins &gt; gunmane &gt; Python dependencies.</source>
            <translation>numba がインストールされていません：迂回の探索を通常の Python で実行します（結果は同じですが数倍遅くなります）。プラグイン &gt; gunmane &gt; Python パッケージ… からインストールできます。</translation>
        </message>
        <message>
            <location filename="deps.py" line="141" />
            <source>(online: install --index)</source>
            <translation>（インターネット経由の場合：install --index）</translation>
        </message>
        <message>
            <location filename="deps.py" line="151" />
            <source>The gunmane plugin found geopandas, shapely and pyproj, but they do not work inside QGIS ({problem}). Another plugin may have imported them first; restart QGIS, or install the versions built for your QGIS (Linux: sudo apt install python3-shapely python3-pyproj python3-geopandas). See the plugin documentation.</source>
            <translation>gunmane プラグインは geopandas・shapely・pyproj を見つけましたが、QGIS の中で正しく動きません（{problem}）。別のプラグインが先に読み込んだ可能性があります。QGIS を再起動するか、お使いの QGIS 向けに作られた版を入れてください（Linux：sudo apt install python3-shapely python3-pyproj python3-geopandas）。プラグインの説明書を参照してください。</translation>
        </message>
        <message>
            <location filename="deps.py" line="159" />
            <source>The gunmane plugin needs Python packages that QGIS cannot use: {names}. In QGIS: Plugins &gt; gunmane &gt; Python dependencies... installs them with one click (from the wheel folder shipped beside the plugin zip, or from the internet) into {folder}, then restart QGIS. Without the QGIS window (qgis_process), run: {command} (Packages: {packages}; interpreter: {python}.)</source>
            <translation>gunmane プラグインに必要な Python パッケージを QGIS で使えません：{names}。QGIS では プラグイン &gt; gunmane &gt; Python パッケージ… から、ワンクリックで {folder} にインストールできます（プラグインの zip と一緒に配布した wheel フォルダから、またはインターネットから）。その後 QGIS を再起動してください。QGIS の画面を使わない場合（qgis_process）は、次を実行してください：{command}（パッケージ：{packages}、インタプリタ：{python}）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="39" />
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="41" />
            <source>missing</source>
            <translation>未インストール</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="41" />
            <source>optional, not installed</source>
            <translation>任意（未インストール）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="43" />
            <source>installed: restart QGIS</source>
            <translation>インストール済み：QGIS を再起動</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="44" />
            <source>wrong version</source>
            <translation>バージョン不適合</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="52" />
            <source>gunmane: Python dependencies</source>
            <translation>gunmane：Python パッケージ</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="66" />
            <source>Found</source>
            <translation>検出</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="66" />
            <source>Needed</source>
            <translation>必要</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="66" />
            <source>Package</source>
            <translation>パッケージ</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="66" />
            <source>Status</source>
            <translation>状態</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="73" />
            <source>From a wheel folder (offline: the folder shipped beside the plugin zip)</source>
            <translation>wheel フォルダから（オフライン：プラグインの zip と一緒に配布したフォルダ）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="75" />
            <source>From the internet (Python Package Index)</source>
            <translation>インターネットから（Python Package Index）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="80" />
            <source>Folder with .whl files, e.g. gunmane-0.1.0-wheels-...</source>
            <translation>.whl ファイルのあるフォルダ（例：gunmane-0.1.0-wheels-...）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="81" />
            <source>Browse...</source>
            <translation>参照…</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="87" />
            <source>Also install numba (optional: faster detour searches)</source>
            <translation>numba もインストールする（任意：迂回の探索が速くなります）</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="101" />
            <source>pip's log appears here.</source>
            <translation>pip のログがここに表示されます。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="105" />
            <source>Install</source>
            <translation>インストール</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="107" />
            <source>Cancel</source>
            <translation>中止</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="110" />
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="149" />
            <source>Installed. Restart QGIS to use: {names}.</source>
            <translation>インストールしました。QGIS を再起動すると使えます：{names}。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="152" />
            <source>{n} package(s) missing or with a wrong version: {names}. Click Install.</source>
            <translation>{n} 個のパッケージが未インストールまたはバージョン不適合です：{names}。「インストール」を押してください。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="156" />
            <source>All required packages are ready.</source>
            <translation>必要なパッケージはすべて揃っています。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="157" />
            <source>Installs into the plugin's own folder (QGIS's packages are left untouched): {folder}</source>
            <translation>プラグイン専用のフォルダにインストールします（QGIS のパッケージは変更しません）：{folder}</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="162" />
            <source>Wheel folder</source>
            <translation>wheel フォルダ</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="173" />
            <source>The wheel folder '{folder}' has no .whl files. Choose the folder shipped beside the plugin zip (gunmane-&lt;version&gt;-wheels-...), or install from the internet.</source>
            <translation>wheel フォルダ「{folder}」に .whl ファイルがありません。プラグインの zip と一緒に配布したフォルダ（gunmane-&lt;version&gt;-wheels-...）を選ぶか、インターネットからインストールしてください。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="178" />
            <source>This wheel folder does not fit this QGIS: {problem}</source>
            <translation>この wheel フォルダはこの QGIS に合いません：{problem}</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="233" />
            <source>Stopped. Packages pip had finished stay in the plugin's folder; click Install to complete.</source>
            <translation>中止しました。pip がインストールを終えたパッケージはプラグインのフォルダに残ります。「インストール」を押すと続きを行います。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="238" />
            <source>Done.</source>
            <translation>完了しました。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="238" />
            <source>Done. Restart QGIS to use the new packages.</source>
            <translation>完了しました。新しいパッケージを使うには QGIS を再起動してください。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="240" />
            <source>pip stopped with exit code {code}; see the log above.</source>
            <translation>pip が終了コード {code} で停止しました。上のログを確認してください。</translation>
        </message>
        <message>
            <location filename="deps_dialog.py" line="245" />
            <source>Could not start Python ({python}). Set GUNMANE_PYTHON to QGIS's Python interpreter.</source>
            <translation>Python（{python}）を起動できませんでした。環境変数 GUNMANE_PYTHON に QGIS の Python インタプリタを設定してください。</translation>
        </message>
        <message>
            <location filename="layout.py" line="102" />
            <source>No Japanese font found for the council map. Install Noto Sans CJK JP (Debian/Ubuntu: sudo apt install fonts-noto-cjk; Windows/macOS: from https://fonts.google.com/noto), then restart QGIS.</source>
            <translation>議会説明用の地図に使う日本語フォントが見つかりません。Noto Sans CJK JP を入れてから（Debian/Ubuntu：sudo apt install fonts-noto-cjk、Windows/macOS：https://fonts.google.com/noto から）QGIS を再起動してください。</translation>
        </message>
        <message>
            <location filename="layout.py" line="299" />
            <source>Detour {number}: bridge {bridge}</source>
            <translation>迂回路 {number}：橋梁 {bridge}</translation>
        </message>
        <message>
            <location filename="layout.py" line="300" />
            <source>detour +{distance}</source>
            <translation>迂回 +{distance}</translation>
        </message>
        <message>
            <location filename="layout.py" line="301" />
            <source>Detour {number}: bridge {bridge} and {others} more</source>
            <translation>迂回路 {number}：橋梁 {bridge} ほか{others}橋</translation>
        </message>
        <message>
            <location filename="layout.py" line="303" />
            <source>longest detour +{distance}</source>
            <translation>最長の迂回 +{distance}</translation>
        </message>
        <message>
            <location filename="layout.py" line="383" />
            <source>Legend</source>
            <translation>凡例</translation>
        </message>
        <message>
            <location filename="layout.py" line="445" />
            <source>Sources: {sources}</source>
            <translation>出典：{sources}</translation>
        </message>
        <message>
            <location filename="layout.py" line="447" />
            <source>Created: {date}</source>
            <translation>作成日：{date}</translation>
        </message>
        <message>
            <location filename="layout.py" line="532" />
            <source>The legend is set in {columns} columns with {size} pt labels to fit beside the map.</source>
            <translation>凡例を地図の横に収めるため、{columns}列・ラベル{size} ptで配置しました。</translation>
        </message>
        <message>
            <location filename="layout.py" line="536" />
            <source>The legend does not fit beside the map: even in {columns} columns with {size} pt labels it is {width} x {height} mm, and the column has {room_width} x {room_height} mm, so it runs off the page. Show fewer categories (fewer layers, or classes merged in the layer style), choose A3 paper, or edit the layout (Project &gt; Layouts).</source>
            <translation>凡例が地図の横に収まりません。{columns}列・ラベル{size} ptにしても {width} x {height} mm あり、凡例欄は {room_width} x {room_height} mm のため、用紙からはみ出します。分類を減らす（レイヤを減らす、またはレイヤのスタイルで分類をまとめる）、用紙をA3にする、またはレイアウトを編集する（プロジェクト &gt; レイアウト）のいずれかで対処してください。</translation>
        </message>
        <message>
            <location filename="layout.py" line="688" />
            <source>Detour {number}</source>
            <translation>迂回路 {number}</translation>
        </message>
        <message>
            <location filename="layout.py" line="770" />
            <source>Could not write the PDF {path} (error {code}): {error}</source>
            <translation>PDF {path} を書き出せませんでした（エラー {code}）：{error}</translation>
        </message>
        <message>
            <location filename="layout.py" line="778" />
            <source>Could not write the image {path} (error {code}): {error}</source>
            <translation>画像 {path} を書き出せませんでした（エラー {code}）：{error}</translation>
        </message>
        <message>
            <location filename="plugin.py" line="36" />
            <source>Python dependencies...</source>
            <translation>Python パッケージ…</translation>
        </message>
        <message>
            <location filename="plugin.py" line="38" />
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
            <location filename="styling.py" line="168" />
            <source>Consolidation and removal plan</source>
            <translation>集約・撤去計画（案）</translation>
        </message>
        <message>
            <location filename="styling.py" line="170" />
            <source>Recommended option per bridge</source>
            <translation>橋梁ごとの推奨案</translation>
        </message>
        <message>
            <location filename="styling.py" line="174" />
            <source>Share of bridges 50+ years old</source>
            <translation>建設後50年以上の橋梁の割合</translation>
        </message>
        <message>
            <location filename="styling.py" line="175" />
            <source>Total cost reduction per year</source>
            <translation>トータルコスト削減額（年間）</translation>
        </message>
        <message>
            <source>Builds a print layout for council meetings (議会説明資料) from the chosen layers: Japanese title, map, legend, scale bar, north arrow, date and data sources, on A3 or A4 landscape, and exports it to PDF (text kept as text with the Japanese font embedded) and optionally PNG.

Layers are drawn with their current styles, the first layer on top. Outputs of the gunmane algorithms that are not in the project (for example the plan or groups output of the previous step of a model) get the plugin's styles and a legend name, unless you turn that off. Run from the desktop, the layout is also added to the project (Project &gt; Layouts) so you can edit it in the layout designer.

Needs a Japanese font: Noto Sans CJK JP (Debian/Ubuntu package fonts-noto-cjk) is registered automatically when installed.</source>
            <translation type="vanished">選んだレイヤから議会説明資料用の印刷レイアウトを作ります：日本語の表題、地図、凡例、縮尺記号、方位記号、作成日、出典を A3 または A4 横に配置し、PDF（文字は文字のまま、日本語フォントを埋め込み）と、必要なら PNG に書き出します。

レイヤは現在のスタイルで描かれ、最初のレイヤが一番上になります。プロジェクトにない gunmane アルゴリズムの出力（たとえばモデルの前の段階の計画やグループの出力）には、オフにしない限り、プラグインのスタイルと凡例名が付きます。デスクトップから実行すると、レイアウトはプロジェクトにも追加され（プロジェクト＞レイアウト）、レイアウトデザイナで編集できます。

日本語フォントが必要です：Noto Sans CJK JP（Debian/Ubuntu のパッケージ fonts-noto-cjk）がインストールされていれば自動で登録されます。</translation>
        </message>
        <message>
            <source>Builds a print layout for council meetings (議会説明資料) from the chosen layers: Japanese title, map, legend, scale bar, north arrow, date and data sources, on A3 or A4 landscape, and exports it to PDF (text kept as text with the Japanese font embedded) and optionally PNG.

Layers are drawn with their current styles, the first layer on top. Run from the desktop, the layout is also added to the project (Project &gt; Layouts) so you can edit it in the layout designer.

Needs a Japanese font: Noto Sans CJK JP (Debian/Ubuntu package fonts-noto-cjk) is registered automatically when installed.</source>
            <translation type="vanished">選んだレイヤから議会説明資料用の印刷レイアウトを作ります：日本語の表題、地図、凡例、縮尺記号、方位記号、作成日、出典を A3 または A4 横に配置し、PDF（文字は文字のまま、日本語フォントを埋め込み）と、必要なら PNG に書き出します。

レイヤは現在のスタイルで描かれ、最初のレイヤが一番上になります。デスクトップから実行すると、レイアウトはプロジェクトにも追加され（プロジェクト＞レイアウト）、レイアウトデザイナで編集できます。

日本語フォントが必要です：Noto Sans CJK JP（Debian/Ubuntu のパッケージ fonts-noto-cjk）が入っていれば自動で登録されます。</translation>
        </message>
        <message>
            <source>Chooses options across all bridges, one step at a time, best net benefit first (cost avoided minus the road users' cost), re-measuring the detours of ALL removals of the plan on the network at each step and refusing steps that break a guard (people cut off, detour over the limit).

Give a budget (life-cycle cost in yen, present value, that the bridge stock may use over the horizon) and/or a saving target in percent of the baseline (everything kept). With neither, the plan takes every step with a positive net benefit.

Outputs: the plan (one point per bridge: the chosen option, the step, its detour with the whole plan, the reason; removed bridges are crossed out on the map), the cost curve (one row per step) and a one-row summary. Costs are ILLUSTRATIVE defaults unless your settings file sets [costs].</source>
            <translation type="vanished">全橋梁の対策を、正味便益（回避できる費用−利用者費用）の大きい順に1段階ずつ選びます。各段階で計画に含まれるすべての撤去について道路網上で迂回を測り直し、制約条件（孤立の発生、迂回の上限超過）に反する段階は採用しません。

予算（対象期間に橋梁全体で使えるライフサイクルコスト、円、現在価値）または削減目標（すべて維持する場合に対する％）を指定してください。どちらも指定しない場合は、正味便益が正の段階をすべて採用します。

出力：計画（橋梁ごとに1点：選んだ対策、段階、計画全体での迂回、理由；地図では撤去する橋梁に×印）、費用曲線（段階ごとに1行）、1行の概要。費用は設定ファイルの [costs] で指定しない限り例示値です。</translation>
        </message>
        <message>
            <source>Chooses options across all bridges, one step at a time, best net benefit first (cost avoided minus the road users' cost), re-measuring the detours of ALL removals of the plan on the network at each step and refusing steps that break a guard (people cut off, detour over the limit).

Give a budget (life-cycle cost in yen, present value, that the bridge stock may use over the horizon) and/or a saving target in percent of the baseline (everything kept). With neither, the plan takes every step with a positive net benefit.

Outputs: the plan (one point per bridge: the chosen option, the step, its detour with the whole plan, the reason; removed bridges are crossed out on the map), the cost curve (one row per step), a one-row summary and the detour routes (one line per bridge that loses vehicle traffic: the way round it with all removals of the plan made, drawn as a bold black dashed line). Costs are ILLUSTRATIVE defaults unless your settings file sets [costs].</source>
            <translation type="vanished">全橋梁の対策を、正味便益（回避できる費用−利用者費用）の大きい順に1段階ずつ選びます。各段階で計画に含まれるすべての撤去について道路網上で迂回を測り直し、制約条件（孤立の発生、迂回の上限超過）に反する段階は採用しません。

予算（対象期間に橋梁全体で使えるライフサイクルコスト、円、現在価値）または削減目標（すべて維持する場合に対する％）を指定してください。どちらも指定しない場合は、正味便益が正の段階をすべて採用します。

出力：計画（橋梁ごとに1点：選んだ対策、段階、計画全体での迂回、理由；地図では撤去する橋梁に×印）、費用曲線（段階ごとに1行）、1行の概要、迂回路（車が通れなくなる橋梁ごとに1本の線：計画のすべての撤去を行った後の迂回経路、太い黒の破線で表示）。費用は設定ファイルの [costs] で指定しない限り例示値です。</translation>
        </message>
        <message>
            <source>Detour routes (all removals of the plan made)</source>
            <translation type="vanished">迂回路（計画のすべての撤去を行った後）</translation>
        </message>
        <message>
            <source>Reads municipal boundaries, roads, a bridge inventory and facilities, recognises their columns (Japanese or English names such as 橋梁名, 橋長(m), 判定区分, 架設年度 in 和暦, N03_007), converts values to the canonical fields, reprojects everything to one metric CRS (a JGD2011 plane rectangular zone chosen from the data unless you set one), and writes the cleaned layers.

Nothing is dropped silently: every feature that was skipped, repaired or converted is listed in the load report table with the layer, row and reason.

Give at least one layer. 'Selected features only' is honoured.</source>
            <translation type="vanished">行政区域、道路、橋梁台帳、施設を読み込み、列名（橋梁名、橋長(m)、判定区分、和暦の架設年度、N03_007 など日本語・英語の名前）を認識して標準の項目に変換し、すべてを一つのメートル単位の座標系（指定がなければデータに合う JGD2011 平面直角座標系）に投影し直して、整えたレイヤを出力します。

黙って捨てるものはありません：除外・修復・変換した地物はすべて、レイヤ・行・理由とともに読込みレポートの表に記載されます。

レイヤを一つ以上指定してください。「選択した地物のみ」に対応しています。</translation>
        </message>
        <message>
            <source>Removes each bridge on its own from the road network and measures what happens: the detour between the bridge's two ends (detour_m in metres, detour_min in minutes), whether the removal cuts people off (isolates, isolated_population, isolated_facilities and their names) and the vehicle-km added per day (AADT x detour). criticality_rank 1 is the most critical bridge; criticality_class groups the bridges for the map (detour under 300 m, 300 m to 1 km, 1 km to the limit, over the limit, removal cuts people off, not on the road network).

Bridges are matched to the road edges within the match tolerance of the settings; a bridge that matches no edge is kept with matched = false and no rank, and the reason. Each bridge is one point: the middle of its bridge edge, or its inventory location when it is not on the network.

Population (a grid raster) and facilities are optional; without them isolation is counted in road nodes only.</source>
            <translation type="vanished" />
        </message>
        <message>
            <source>Removes each bridge on its own from the road network and measures what happens: the detour between the bridge's two ends (detour_m in metres, detour_min in minutes), whether the removal cuts people off (isolates, isolated_population, isolated_facilities and their names) and the vehicle-km added per day (AADT x detour). criticality_rank 1 is the most critical bridge; criticality_class groups the bridges for the map (detour under a third of the detour limit, up to two thirds, up to the limit (1, 2 and 3 km by default), over the limit, dead end with nobody cut off, removal cuts people off, not on the road network).

Bridges are matched to the road edges within the match tolerance of the settings; a bridge that matches no edge is kept with matched = false and no rank, and the reason. Each bridge is one point: the middle of its bridge edge, or its inventory location when it is not on the network.

Population (a grid raster) and facilities are optional; without them isolation is counted in road nodes only.</source>
            <translation type="vanished">道路網から橋梁を1橋ずつ取り除き、その影響を測ります：橋の両端の間の迂回距離（detour_m、メートル）と迂回時間（detour_min、分）、撤去で孤立が生じるか（isolates、isolated_population、isolated_facilities と施設名）、1日あたりの増加走行台キロ（交通量×迂回距離）。criticality_rank は 1 が最も重要な橋梁です。criticality_class は地図用の区分です（迂回が上限の3分の1未満、3分の2まで、上限まで（既定では 1、2、3 km）、上限超過、行き止まりで孤立なし、撤去で孤立が生じる、道路網と未接続）。

橋梁は設定の許容距離内で道路の辺に対応付けます。対応付けできない橋梁も matched = false、順位なしで、その理由とともに出力します。各橋梁は1点で出力します：橋梁の辺の中点、道路網にない橋梁は台帳の位置です。

人口（メッシュのラスタ）と施設は任意です。指定しない場合、孤立は道路ノード数のみで数えます。</translation>
        </message>
        <message>
            <source>The gunmane plugin needs Python packages that QGIS cannot import: {names}. Install them into the Python that QGIS uses, then restart QGIS. Windows: open the OSGeo4W Shell and run: python -m pip install gunmane-geo . macOS: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install gunmane-geo . Linux: python3 -m pip install --user gunmane-geo . (Packages: {packages}; interpreter: {python}.)</source>
            <translation type="vanished">gunmane プラグインに必要な Python パッケージを QGIS が読み込めません: {names}。QGIS が使う Python にインストールしてから QGIS を再起動してください。Windows：OSGeo4W Shell を開いて python -m pip install gunmane-geo を実行。macOS：/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install gunmane-geo を実行。Linux：python3 -m pip install --user gunmane-geo を実行。（パッケージ: {packages}、インタプリタ: {python}）</translation>
        </message>
        <message>
            <source>Validating {n} layer(s)...</source>
            <translation type="vanished">{n} 個のレイヤを検証しています…</translation>
        </message>
    </context>
</TS>
