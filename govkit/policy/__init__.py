"""Role-based access policies: which view of which column each role gets for a purpose."""
