"""Classroom tables: class sessions, seats, polls and answers.

Revision ID: 0002_classroom
Revises: 0001_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_classroom"
down_revision = "0001_base"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "class_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
    )
    op.create_table(
        "class_seat",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("class_session.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(40), nullable=True),
        sa.Column("joined_at", TS, nullable=False),
    )
    op.create_index("ix_class_seat_session_id", "class_seat", ["session_id"])
    op.create_table(
        "class_poll",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("class_session.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.UniqueConstraint("session_id", "case_id", "question_id", "round"),
    )
    op.create_index("ix_class_poll_session_id", "class_poll", ["session_id"])
    op.create_table(
        "class_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("poll_id", sa.Integer, sa.ForeignKey("class_poll.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seat_id", sa.Integer, sa.ForeignKey("class_seat.id", ondelete="CASCADE"), nullable=False),
        sa.Column("option_ids", sa.String(1000), nullable=False),
        sa.Column("answered_at", TS, nullable=False),
        sa.UniqueConstraint("poll_id", "seat_id"),
    )
    op.create_index("ix_class_answer_poll_id", "class_answer", ["poll_id"])


def downgrade() -> None:
    op.drop_table("class_answer")
    op.drop_table("class_poll")
    op.drop_table("class_seat")
    op.drop_table("class_session")
