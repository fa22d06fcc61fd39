"""The JSON API under /api/v1: bearer tokens, pydantic-checked bodies, an OpenAPI document."""
