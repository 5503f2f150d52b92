"""api_integrations: REST connectors declared in JSON, MCP servers, and the person's own
command tools; all of them become ordinary tools behind the gate."""
