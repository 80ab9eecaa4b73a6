"""Evidence: what collectors observed, in the Attempt envelope that the store persists.

Evaluation and reports read these models only (never collector internals).
"""
