"""Organised-crime mapping and partnership intelligence (issue 16): graded intelligence from every
partner, a POLE network (people, objects, locations, events) with typed, dated, sourced links,
OCG profiles, network analysis over what the user may see, link charts, and i2 ANX, GraphML and
CSV exports."""
