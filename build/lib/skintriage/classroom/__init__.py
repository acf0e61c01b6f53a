"""Live class sessions: trainees answer case questions on their phones, the instructor sees the room live."""
