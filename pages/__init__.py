"""Wijkweefsel's Streamlit pages (registered explicitly in app.py with st.navigation)."""
