"""Inventory v1: models and loader (validation reported as file:line)."""
