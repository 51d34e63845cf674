"""The neighbourhood map as a picture: residents as dots coloured by their isolation type,
over the venues, marked by activity type and coloured by how many thresholds they have.

The venues are drawn once (again only when the offer changes); each week only the
residents' pixels are painted, with numpy, so a map costs a few milliseconds.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..population import ISOLATION_TYPES  # noqa: E402
from ..scenario import ACTIVITY_TYPES  # noqa: E402

SIZE = 560  # pixels a side
TYPE_RGB = np.array([[158, 202, 225], [253, 174, 107], [116, 196, 118], [178, 24, 43]], np.uint8)  # as the charts
MARKERS = dict(zip(ACTIVITY_TYPES, ("o", "^", "s", "D")))
THRESHOLD_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")  # 0 to 4 thresholds


class NeighbourhoodMap:
    """The map of one model; :meth:`picture` gives it as PNG bytes for the current week."""

    def __init__(self, model) -> None:
        p = model.people
        pad = 0.03 * max(np.ptp(p.x), np.ptp(p.y), 1e-6)
        self.extent = (float(p.x.min() - pad), float(p.x.max() + pad), float(p.y.min() - pad), float(p.y.max() + pad))
        x0, x1, y0, y1 = self.extent
        scale = (SIZE - 1) / max(x1 - x0, y1 - y0)
        self.px = np.clip(((p.x - x0) * scale).astype(np.int32), 0, SIZE - 2)
        self.py = np.clip((SIZE - 1 - (p.y - y0) * scale).astype(np.int32), 1, SIZE - 1)
        self.scale = scale
        self.offer = None
        self.opaque = np.zeros(0, np.int64)      # pixels the venues cover
        self.colours = np.zeros((0, 3), np.uint8)

    def _venue_layer(self, model) -> None:
        """Draw the open venues (transparent elsewhere); only when the offer has changed."""
        v = model.venues
        offer = (len(v), int(v.open.sum()), int(v.open.astype(np.int64) @ np.arange(len(v))))
        if offer == self.offer:
            return
        self.offer = offer
        fig = plt.figure(figsize=(SIZE / 100, SIZE / 100), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        x0, x1, y0, y1 = self.extent
        side = (SIZE - 1) / self.scale
        ax.set_xlim(x0, x0 + side)
        ax.set_ylim(y1 - side, y1)
        fig.patch.set_alpha(0)
        shown = np.flatnonzero(v.open)
        counts = v.thresholds[shown].sum(axis=1)
        for a, activity in enumerate(ACTIVITY_TYPES):
            mine = v.activity[shown] == a
            ax.scatter(v.x[shown][mine], v.y[shown][mine], s=90, marker=MARKERS[activity],
                       c=[THRESHOLD_COLOURS[c] for c in counts[mine]], edgecolors="black", linewidths=1.2)
        fig.canvas.draw()
        layer = np.asarray(fig.canvas.buffer_rgba())
        self.opaque = np.flatnonzero(layer[..., 3].ravel() > 0)
        self.colours = layer[..., :3].reshape(-1, 3)[self.opaque].copy()
        plt.close(fig)

    def pixels(self, model) -> np.ndarray:
        """The map as an RGB array: a light ground, the residents, the venues on top."""
        self._venue_layer(model)
        img = np.full((SIZE, SIZE, 3), 250, np.uint8)
        colour = TYPE_RGB[model.people.isolation]
        for dy, dx in ((0, 0), (0, 1), (-1, 0), (-1, 1)):  # a dot of 2 x 2 pixels
            img[self.py + dy, self.px + dx] = colour
        matched = model.people.buddy >= 0  # with a buddy: a dark centre
        img[self.py[matched], self.px[matched]] = (20, 20, 20)
        double = np.flatnonzero(model.people.isolation == len(ISOLATION_TYPES) - 1)  # larger, to be seen
        for dy in (-2, -1, 0, 1):
            for dx in (-1, 0, 1, 2):
                img[np.clip(self.py[double] + dy, 0, SIZE - 1), np.clip(self.px[double] + dx, 0, SIZE - 1)] = TYPE_RGB[-1]
        img.reshape(-1, 3)[self.opaque] = self.colours
        return img

    def picture(self, model) -> bytes:
        from PIL import Image  # comes with matplotlib

        buffer = io.BytesIO()
        Image.fromarray(self.pixels(model)).save(buffer, format="png", compress_level=1)  # fast, not smallest
        return buffer.getvalue()


def legend() -> dict[str, list[tuple[str, str]]]:
    """What the map's colours and shapes mean (keys for :mod:`.i18n`)."""
    return {"residents": [(t, "#%02x%02x%02x" % tuple(TYPE_RGB[i])) for i, t in enumerate(ISOLATION_TYPES)],
            "thresholds": [(str(n), THRESHOLD_COLOURS[n]) for n in range(5)]}
