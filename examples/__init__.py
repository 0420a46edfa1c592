"""Sample data and the demo pipeline (not part of the installed package)."""
