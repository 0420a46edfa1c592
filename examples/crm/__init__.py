"""Building blocks of the sample CRM data generator (see examples/generate.py)."""
