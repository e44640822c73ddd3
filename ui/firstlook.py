"""The first look: a session's first view of the overview is its header and map (issue 28).

Streamlit's frontend draws each element of a run as it arrives, on the page's main thread,
which is the map frame's too. On a browser's first visit every kind of element is new to it:
its code is fetched and compiled, and its first drawing compiles what it calls. The filter
panel's widgets and what lies under the map (the site panel, the report buttons, the
subdistrict buttons) came in the same run as the map, and its frame waited for them: about
twice a bare Streamlit page's with one empty map.

So the first run of a session that opens the overview draws the frame of the page, its title
and figures (they are above the map; they come after it in the run, which does not change
where they are shown) and the map; in the filter panel's place a line saying it is on its way.
Then the run ends: the hidden trigger under the map (``ui.widgets.wait_for_map``,
static/ui/deferred.js) asks for the whole page once the map shows its sites, painted. That run
draws everything, the map included, where it was (nothing moves). Until then the filter
already holds what the link asked for (``ui.context.setup`` reads it before drawing anything).

Only a browser's session holds a first look: a session without one (no request headers: a test
harness, a script) runs nothing that would ask for the rest, and gets the whole page at once.
"""

from __future__ import annotations

import streamlit as st

from ui.context import FIRST_LOOK as STATE
from ui.context import FIRST_LOOK_HOLDING as _HOLDING
from ui.context import FIRST_LOOK_OVER as _OVER
from ui.context import first_look_holding as holding
from ui.widgets import wait_for_map, waited_for_map

#: The trigger's place under the map.
TRIGGER_KEY = "sz_first_look"


def begin(holds: bool) -> bool:
    """Whether this run is a first look: the session's first run(s) on a page that ``holds``
    (shows a map and calls :func:`hold` under it), from a browser. Any other page ends the
    session's first look."""
    over = st.session_state.get(STATE) == _OVER or waited_for_map(TRIGGER_KEY) == _OVER
    if over or not holds or not st.context.headers:  # the map painted; no map; no browser
        st.session_state[STATE] = _OVER
        return False
    st.session_state[STATE] = _HOLDING
    return True


def hold(sites: int) -> None:
    """Under the map: in a first look, the trigger that asks for the whole page once the map
    shows ``sites`` sites, painted; then this run ends. Otherwise nothing."""
    if not holding():
        return
    with st.container(key=TRIGGER_KEY):
        wait_for_map(TRIGGER_KEY, _OVER, sites)
    st.stop()
