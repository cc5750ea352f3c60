"""Monitoring: implementation status, indicators, progress reports, the lasting topic store."""
