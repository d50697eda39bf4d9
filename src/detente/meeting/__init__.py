"""The meeting as data: schema, loading with located errors, programme checks and agenda exports."""
