"""One module per algorithm; ``algorithm_classes()`` lists those the provider registers."""
from __future__ import annotations


def algorithm_classes():
    """The algorithm classes, in toolbox order."""
    from .council_map import CouncilMapAlgorithm
    from .criticality import BridgeCriticalityAlgorithm
    from .effect import EffectEstimateAlgorithm
    from .groups import MunicipalGroupsAlgorithm
    from .indicators import IndicatorsAlgorithm
    from .load_layers import LoadLayersAlgorithm
    from .packages import AssetPackagesAlgorithm
    from .road_pairs import RoadPairsAlgorithm
    from .options import BridgeOptionsAlgorithm
    from .plan import PlanAlgorithm
    from .scenario import RemovalScenarioAlgorithm
    return [
        LoadLayersAlgorithm,
        BridgeCriticalityAlgorithm,
        RemovalScenarioAlgorithm,
        BridgeOptionsAlgorithm,
        PlanAlgorithm,
        MunicipalGroupsAlgorithm,
        AssetPackagesAlgorithm,
        RoadPairsAlgorithm,
        IndicatorsAlgorithm,
        EffectEstimateAlgorithm,
        CouncilMapAlgorithm,
    ]
