"""Workbook generator: sheet layouts as plain data (``layout``), one openpyxl renderer (``render``) with the
named styles registered once (``styles``), and the planning workbook built on them (``plan``).

Only ``render`` imports openpyxl, and only when called, so importing a layout stays light.
"""
