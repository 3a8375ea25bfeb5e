"""The fictional demo municipality Voorbeeldstad and the input templates."""

from analysis.demo.files import demo_files, write_demo
from analysis.demo.survey import codebook_toml
from analysis.demo.templates import write_templates

__all__ = ["codebook_toml", "demo_files", "write_demo", "write_templates"]
