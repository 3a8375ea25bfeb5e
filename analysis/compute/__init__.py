"""Computations on the clean model: proximity, networks, survey statistics, indicators, priorities."""
