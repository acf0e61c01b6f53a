"""Instructor tools: the live session, the answer key and case lists, and the instructor edition's files."""
