"""The weekly processes, one module each, run in :data:`SCHEDULE` order.

Each module has a ``step(model)`` that changes the model's arrays for one week, with
no loop over residents. The order is documented in ``docs/ODD.md``.
"""

from . import (
    buddies,
    coherence,
    continuity,
    discovery,
    isolation,
    life_events,
    meeting,
    moving,
    reciprocity,
    steering,
    support,
    thresholds,
    ties,
    wellbeing,
)

SCHEDULE = (
    life_events,   # residents lose work and find it, and retire
    moving,        # households move out and in; partners are lost, residents move in together
    steering,      # levers act on the world; their cost is booked
    continuity,    # project funding ends, resident initiatives fold and start
    buddies,       # matches end, vulnerable residents are matched to buddies
    discovery,     # residents hear of venues in their neighbourhood
    thresholds,    # who attends which venue, given thresholds and capacity
    coherence,     # attending a venue opens the venues linked to it
    meeting,       # co-attendance makes light contacts and strengthens ties
    reciprocity,   # volunteers and community managers activate others
    ties,          # contact, decay and loss of ties; lonely residents drift away
    support,       # support needs met layer by layer, professionals last
    wellbeing,     # loneliness (with contagion) and quality of life
    isolation,     # the isolation type of every resident emerges
)

__all__ = ["SCHEDULE"]
