"""Forms for casework pages, one module per area."""
