"""Evaluation: judge stored evidence and declarations against a policy pack (pure)."""
