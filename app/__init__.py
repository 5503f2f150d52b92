"""The composition root: the profile and its paths, the settings schema (the only reader of
settings and secrets), logs, doctor, the builders of inference, memory, tools and voice,
and the one typed facade every front end uses (`app.famulus.Famulus`)."""
