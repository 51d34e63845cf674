"""The layers of a tie in the social graph (Stam's carrying capacity, from household out to
light contacts; a buddy is a layer of its own), by name and by the code the arrays hold.

>>> LAYERS[FRIEND], bool(PERSONAL[ACQUAINTANCE])
('friend', False)
"""

import numpy as np

LAYERS = ("household", "family", "friend", "neighbour", "acquaintance", "buddy")
HOUSEHOLD, FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE, BUDDY = range(len(LAYERS))
# Layers that make the personal network (acquaintances are light contacts).
PERSONAL = np.array([True, True, True, True, False, True])
# Layers that count for "weekly contact with family, friends or neighbours" (CBS).
WEEKLY_CONTACT = np.array([False, True, True, True, False, False])
