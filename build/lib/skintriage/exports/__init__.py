"""The course in other systems: the knowledge check as a SCORM package, the case bank as Moodle XML."""
