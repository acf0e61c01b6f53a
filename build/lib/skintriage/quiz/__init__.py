"""Case quizzes: state and feedback (core), the static HTML view and the live ipywidgets view."""
