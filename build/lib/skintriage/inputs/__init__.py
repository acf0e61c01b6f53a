"""Reading what people hand the course (case files, findings forms) safely: regular files of bounded size,
YAML without aliases or deep nesting, text without control characters, links only where the course allows,
and every problem as one short line."""
