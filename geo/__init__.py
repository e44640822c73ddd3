"""Pure library behind the Shizhong dashboard: data, datum, validation, filters, KPIs, store.

Never imports streamlit, so every part of it runs and is tested without a server.
"""
