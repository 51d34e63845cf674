"""The neighbourhood map as a picture: residents as dots coloured by their isolation type,
over the venues, marked by activity type and coloured by how many thresholds they have now.

Nothing is drawn with matplotlib while the model runs: the venue markers are drawn once, as
small stamps (one per activity type and number of thresholds), and each week the residents'
pixels and the open venues' stamps are painted with numpy into an image of palette indices
(every colour the map can have fits one palette), so a map, PNG included, costs a few
milliseconds however often the offer changes.

>>> from isolation_sim.app.live import Live
>>> live = Live.start("scenarios/baseline.toml", residents=300, burn_in_weeks=0, seed=1)
>>> NeighbourhoodMap(live.model).pixels(live.model).shape
(560, 560, 3)
"""

from __future__ import annotations

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..population import ISOLATION_TYPES  # noqa: E402
from ..scenario import ACTIVITY_TYPES  # noqa: E402

SIZE = 560  # pixels a side
GROUND = (250, 250, 250)
TYPE_RGB = np.array([[158, 202, 225], [253, 174, 107], [116, 196, 118], [178, 24, 43]], np.uint8)
TYPE_HEX = ["#%02x%02x%02x" % tuple(rgb) for rgb in TYPE_RGB]  # the same colours in the charts
BUDDY_RGB = (20, 20, 20)  # the centre of the dot of a resident with a buddy
MARKERS = dict(zip(ACTIVITY_TYPES, ("o", "^", "s", "D")))
THRESHOLD_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")  # 0 to 4 thresholds
STAMP = 21  # pixels a side of a venue marker's stamp
# Palette indices: the ground, the isolation types, a buddy's centre, then the stamps' colours.
TYPE_INDEX = 1 + np.arange(len(ISOLATION_TYPES), dtype=np.uint8)
BUDDY_INDEX = 1 + len(ISOLATION_TYPES)


@cache
def stamps() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every venue marker as a stamp, by activity type and number of thresholds, and the map's
    palette: ``(offsets, index, ink, palette)``. ``offsets`` are the stamp's pixels as (dy, dx);
    ``index`` (types, 0..4, pixels) their palette indices, ``ink`` where the marker covers them;
    ``palette`` (colours, 3) every colour of the map."""
    rgba = np.zeros((len(ACTIVITY_TYPES), len(THRESHOLD_COLOURS), STAMP, STAMP, 4), np.float32)
    fig = plt.figure(figsize=(STAMP / 100, STAMP / 100), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    fig.patch.set_alpha(0)
    for a, activity in enumerate(ACTIVITY_TYPES):
        for n, colour in enumerate(THRESHOLD_COLOURS):
            ax.clear()
            ax.set_axis_off()
            ax.set_xlim(-1, 1)
            ax.set_ylim(-1, 1)
            ax.scatter([0], [0], s=90, marker=MARKERS[activity], c=colour, edgecolors="black", linewidths=1.2)
            fig.canvas.draw()
            rgba[a, n] = np.asarray(fig.canvas.buffer_rgba(), np.float32) / 255
    plt.close(fig)
    rgba = rgba.reshape(*rgba.shape[:2], -1, 4)
    ink = rgba[..., 3] >= 0.5  # the marker and the inner half of its smoothed edge
    # The canvas is premultiplied: a stamp's colour over the ground is colour + ground x (1 - alpha).
    over = np.round(rgba[..., :3] * 255 + np.array(GROUND) * (1 - rgba[..., 3:])).astype(np.uint8)
    fixed = np.array([GROUND, *TYPE_RGB, BUDDY_RGB], np.uint8)
    colours, index = np.unique(over[ink], axis=0, return_inverse=True)
    palette = np.concatenate([fixed, colours])
    assert len(palette) <= 256, "the map's colours must fit one PNG palette"
    stamp_index = np.zeros(ink.shape, np.uint8)
    stamp_index[ink] = len(fixed) + index.ravel()
    dy, dx = np.mgrid[:STAMP, :STAMP] - STAMP // 2
    return np.stack([dy.ravel(), dx.ravel()], axis=1), stamp_index, ink, palette


class NeighbourhoodMap:
    """The map of one model; :meth:`picture` gives it as PNG bytes for the current week."""

    def __init__(self, model) -> None:
        p = model.people
        pad = 0.03 * max(np.ptp(p.x), np.ptp(p.y), 1e-6)
        self.x0, self.y0 = float(p.x.min() - pad), float(p.y.max() + pad)
        self.scale = (SIZE - 1) / max(float(np.ptp(p.x)) + 2 * pad, float(np.ptp(p.y)) + 2 * pad)
        self.px = np.clip(((p.x - self.x0) * self.scale).astype(np.int32), 0, SIZE - 2)
        self.py = np.clip(((self.y0 - p.y) * self.scale).astype(np.int32), 1, SIZE - 1)

    def indices(self, model) -> np.ndarray:
        """The map as palette indices: the ground, the residents, the open venues on top."""
        img = np.zeros((SIZE, SIZE), np.uint8)
        colour = TYPE_INDEX[model.people.isolation]
        for dy, dx in ((0, 0), (0, 1), (-1, 0), (-1, 1)):  # a dot of 2 x 2 pixels
            img[self.py + dy, self.px + dx] = colour
        matched = model.people.buddy >= 0  # with a buddy: a dark centre
        img[self.py[matched], self.px[matched]] = BUDDY_INDEX
        double = np.flatnonzero(model.people.isolation == len(ISOLATION_TYPES) - 1)  # larger, to be seen
        for dy in (-2, -1, 0, 1):
            for dx in (-1, 0, 1, 2):
                img[np.clip(self.py[double] + dy, 0, SIZE - 1), np.clip(self.px[double] + dx, 0, SIZE - 1)] = \
                    TYPE_INDEX[-1]
        self._paint_venues(img, model.venues)
        return img

    def pixels(self, model) -> np.ndarray:
        """The map as an RGB array."""
        return stamps()[3][self.indices(model)]

    def _paint_venues(self, img: np.ndarray, venues) -> None:
        """Stamp each open venue (its activity type, its thresholds now) into ``img``;
        venues beyond the residents' area are left off."""
        shown = np.flatnonzero(venues.open)
        x = (venues.x[shown] - self.x0) * self.scale
        y = (self.y0 - venues.y[shown]) * self.scale
        inside = (x >= 0) & (x < SIZE) & (y >= 0) & (y < SIZE)
        shown, x, y = shown[inside], x[inside].astype(np.int64), y[inside].astype(np.int64)
        offsets, index, ink, _ = stamps()
        kind = (venues.activity[shown], np.minimum(venues.threshold_count()[shown], 4))
        ys, xs = y[:, None] + offsets[:, 0], x[:, None] + offsets[:, 1]  # (venues, stamp pixels)
        keep = ink[kind] & (ys >= 0) & (ys < SIZE) & (xs >= 0) & (xs < SIZE)
        img[ys[keep], xs[keep]] = index[kind][keep]

    def picture(self, model) -> bytes:
        from PIL import Image  # comes with matplotlib

        image = Image.fromarray(self.indices(model), mode="P")
        image.putpalette(stamps()[3].ravel().tolist())
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)  # fast, not smallest
        return buffer.getvalue()
