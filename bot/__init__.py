"""The running Companion service: channels, the inbound pipeline, the outbox and the CLI."""
