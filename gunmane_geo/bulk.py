"""Helpers for steps that create millions of Python objects at once."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def few_collections():
    """Pause Python's cyclic garbage collector for a bulk step (reading, building).

    Creating the geometry objects of a large layer (one per road line and one per edge)
    triggers a collection every few hundred allocations, and each older-generation
    collection walks every object alive, so the collector's share grows with the layer:
    about 15 % of ``gunmane criticality`` at a million segments.  Those steps leave almost
    nothing on reference cycles (a collection after reading, building and criticality of
    280k segments finds 519 objects), and everything else is still freed by reference
    counting as it goes.  The previous state is restored on exit (with no forced
    collection).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
