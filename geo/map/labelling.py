"""Names on a matplotlib map that never overlap, or are left out (and counted).

Each is written at the first of its candidate positions where it overlaps nothing already
there. Hand-written on purpose: adjustText, the usual library, moves labels apart iteratively
and guarantees neither that none overlaps nor that one stays near its point; a picture for
officials needs both, and a name left out is better than a name on top of another (the brief
lists every record anyway). Greedy placement over fixed candidates is the classic
cartographic answer and is fast: a few text measurements per name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from matplotlib.transforms import Bbox

#: A candidate: offset (dx, dy) in pixels from the point, and the text's alignment there.
Candidate = tuple[float, float, str, str]


@dataclass(frozen=True)
class PlacedLabel:
    """A name written on the map: its text and its box in pixels (x0, y0, x1, y1)."""

    text: str
    box: tuple[float, float, float, float]
    kind: str  # "area" or "site"


def around(near: float, far: float) -> list[Candidate]:
    """Candidates around a point (a site's name).

    Parameters
    ----------
    near, far
        Distances from the point, in pixels.

    Returns
    -------
    list of Candidate
        Right, left, above, below and the four diagonals, ``near`` off, then the same ``far``
        off (those get a leader line); each with the text's alignment there.
    """
    out: list[Candidate] = []
    for d in (near, far):
        out += [
            (d, 0, "left", "center"),
            (-d, 0, "right", "center"),
            (0, d, "center", "bottom"),
            (0, -d, "center", "top"),
            (d * 0.8, d * 0.8, "left", "bottom"),
            (-d * 0.8, d * 0.8, "right", "bottom"),
            (d * 0.8, -d * 0.8, "left", "top"),
            (-d * 0.8, -d * 0.8, "right", "top"),
        ]
    return out


def centred(step: float) -> list[Candidate]:
    """Candidates on and over a point (an area's name).

    Parameters
    ----------
    step
        The vertical step, in pixels.

    Returns
    -------
    list of Candidate
        On the point, then ``step`` above, ``step`` below and ``2 * step`` above.
    """
    return [
        (0, 0, "center", "center"),
        (0, step, "center", "bottom"),
        (0, -step, "center", "top"),
        (0, 2 * step, "center", "bottom"),
    ]


@dataclass
class Labeller:
    """Places names on ``ax`` (data coordinates in, pixel boxes checked) inside its frame.

    ``leader``: a name set further than this many pixels from its point gets a thin line to it;
    ``pad``: pixels kept free around each name.
    """

    ax: object  # matplotlib Axes, its limits already set
    renderer: object
    leader: float
    pad: float
    line_width: float = 0.8
    placed: list[PlacedLabel] = field(default_factory=list)
    dropped: int = 0
    _boxes: list[Bbox] = field(default_factory=list)

    def block(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Keep names off a pixel box (a marker, the scale bar ...).

        Parameters
        ----------
        x0, y0, x1, y1
            The box in display pixels (left, bottom, right, top).
        """
        self._boxes.append(Bbox([[x0, y0], [x1, y1]]))

    def _fits(self, box: Bbox) -> bool:
        frame = self.ax.get_window_extent()
        inside = box.x0 >= frame.x0 and box.y0 >= frame.y0 and box.x1 <= frame.x1
        inside = inside and box.y1 <= frame.y1
        return inside and not any(box.overlaps(other) for other in self._boxes)

    def place(
        self,
        text: str,
        x: float,
        y: float,
        kind: str,
        candidates: list[Candidate],
        leader: bool = True,
        **style,
    ) -> bool:
        """Write ``text`` for the point (x, y) at its first candidate that fits.

        A candidate fits if the name's box, padded by :attr:`pad`, lies inside the axes and
        overlaps no name or blocked box already there.

        Parameters
        ----------
        text
            The name.
        x, y
            The point in the axes' data coordinates.
        kind
            ``area`` or ``site`` (recorded in :attr:`placed`).
        candidates
            Offsets and alignments to try, in order (:func:`around`, :func:`centred`).
        leader
            Draw a thin line to the point when the name is set further than :attr:`leader`
            pixels from it.
        **style
            Passed to ``Axes.text`` (font, colour, zorder ...).

        Returns
        -------
        bool
            True if the name was written (and added to :attr:`placed`); False if no candidate
            fits: nothing is written and :attr:`dropped` is counted up.
        """
        ax = self.ax
        artist = ax.text(x, y, text, **style)
        inverse = ax.transData.inverted()
        px, py = ax.transData.transform((x, y))
        for dx, dy, ha, va in candidates:
            artist.set_horizontalalignment(ha)
            artist.set_verticalalignment(va)
            artist.set_position(inverse.transform((px + dx, py + dy)))
            box = artist.get_window_extent(self.renderer).padded(self.pad)
            if self._fits(box):
                self._boxes.append(box)
                self.placed.append(PlacedLabel(text, tuple(map(float, box.extents)), kind))
                if leader and math.hypot(dx, dy) > self.leader:
                    end = inverse.transform((px + dx * 0.92, py + dy * 0.92))
                    ax.plot([x, end[0]], [y, end[1]], color="#546e7a", lw=self.line_width, zorder=6)
                return True
        artist.remove()
        self.dropped += 1
        return False
