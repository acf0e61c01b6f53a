"""The knowledge check: seeded draw, scoring and training records, the static self-assessment page, the Voila app
and the certificate."""
