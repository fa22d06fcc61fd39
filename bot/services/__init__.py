"""Use-case services: one module per family of things staff and operators do.

Each service is given the `Database` (and the clock, settings or runner it needs), owns its
transactions and its rules, and raises the domain errors of `bot.services.errors`. The JSON API,
the admin pages and the CLI only parse, call a service and render; `Runtime.build` makes one
`Services` bundle (`bot.services.bundle`) that they all share.
"""
