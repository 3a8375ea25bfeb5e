"""Turning figures into maps, images and export files (no Streamlit)."""
