"""来源 Sources: every document and imported file the records and figures cite."""

import pandas as pd
import streamlit as st

from geo.labels import t
from geo.tables import sources_for_people
from ui import layout
from ui.context import get_context

ctx = get_context()
lang, data = ctx.lang, ctx.data
references = pd.concat(
    [
        data.sites["source"],
        data.metrics["source"],
        data.alliances["source"],
        data.events["source"],
        data.programs["source"],
        data.units["source"],
    ]
)

layout.page_header(ctx, t("page_sources", lang))
st.caption(t("sources_intro", lang))
st.dataframe(sources_for_people(data.sources, references, lang), hide_index=True, width="stretch")
