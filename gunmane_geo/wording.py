"""Bilingual wording: the (Japanese, English) labels and sentences that several
modules print.

Every entry is a ``(ja, en)`` pair; pick one with ``[0 if lang == "ja" else 1]``.
"""
from __future__ import annotations

#: The stages of a run (``pipeline.STAGES``) as people read them.
STAGE_LABELS = {
    "load": ("入力の読み込み・検証", "load and validate inputs"),
    "network": ("道路ネットワークの構築", "road network"),
    "criticality": ("橋梁の重要度（単独撤去）", "bridge criticality (single removal)"),
    "options": ("集約・撤去の案", "consolidation and removal options"),
    "plan": ("集約・撤去計画", "plan"),
    "grouping": ("広域連携グループ", "municipal groups"),
    "packages": ("発注パッケージ・多分野連携・道路ペア",
                 "asset packages, multi-sector areas, road pairs"),
    "indicators": ("見える化指標", "indicators (見える化)"),
    "effect": ("導入効果試算", "effect estimate"),
    "maps": ("地図", "maps"),
    "report": ("報告書", "report"),
}

#: A stage's status in Japanese (English keeps the status word).
STATUS_JA = {"ok": "実行", "failed": "実行できず", "skipped": "前段がないため省略"}
