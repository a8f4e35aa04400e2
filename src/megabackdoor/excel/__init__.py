"""Worksheet functions: one registry (:mod:`.registry`) of specs declared in ``functions_<topic>.py`` modules.

Nothing here imports xlwings; the host module is :mod:`megabackdoor.udfs`.
"""
