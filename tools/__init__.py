"""Tools under graduated autonomy (registry, gate, review queue, audit). Not built yet: issue 4."""
