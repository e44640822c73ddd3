"""来源 Sources: every document and imported file the records and figures cite, in full."""

import pandas as pd
import streamlit as st

from geo.data.tables import sources_for_people
from geo.text.labels import shows_english_text, t
from ui import layout
from ui.context import get_context
from ui.text import md_escape

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
documents = sources_for_people(data.sources, references, lang)

layout.page_header(ctx, t("page_sources", lang))
st.caption(t("sources_intro", lang))
for i, row in enumerate(documents.itertuples(index=False)):
    citation, short, count = row[0], row[1], int(row[2])
    with st.container(border=True, key=f"source-{i}"):
        st.markdown(md_escape(citation))
        cited = t("src_cited", lang, n=count) if count else t("src_reference_only", lang)
        st.caption(f"{t('src_col_short', lang)}：{md_escape(short)} · {cited}")
        if shows_english_text(lang):  # sources.csv's licences and notes are in English only
            st.caption(md_escape(t("src_licence_line", lang, licence=row[3], note=row[4])))
