"""Wijkweefsel: social infrastructure per wijk and buurt (the analysis core, without Streamlit)."""

__version__ = "0.1.0"
