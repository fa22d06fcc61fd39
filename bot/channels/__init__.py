"""Channel adapters: one per way of reaching people, each behind the same small interface."""
