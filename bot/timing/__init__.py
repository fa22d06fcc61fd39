"""Pure time maths for the scheduler and dispatcher: rhythms, quiet hours and retry backoff."""
