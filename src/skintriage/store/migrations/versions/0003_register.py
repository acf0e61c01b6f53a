"""Training register tables: staff roster, knowledge-check attempts and their answers.

Revision ID: 0003_register
Revises: 0002_classroom
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_register"
down_revision = "0002_classroom"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "register_staff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("staff_id", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(80), nullable=False),
        sa.Column("site", sa.String(80), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "register_attempt",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attempt_id", sa.String(32), nullable=False, unique=True),
        sa.Column("staff_pk", sa.Integer, sa.ForeignKey("register_staff.id", ondelete="CASCADE"), nullable=False),
        sa.Column("attempt_number", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("n_questions", sa.Integer, nullable=False),
        sa.Column("pass_mark", sa.Float, nullable=False),
        sa.Column("bank_fingerprint", sa.String(64), nullable=False),
        sa.Column("correct", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("score_percent", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.UniqueConstraint("staff_pk", "attempt_number"),
    )
    op.create_index("ix_register_attempt_staff_pk", "register_attempt", ["staff_pk"])
    op.create_table(
        "register_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attempt_pk", sa.Integer, sa.ForeignKey("register_attempt.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("case_id", sa.String(120), nullable=False),
        sa.Column("question_id", sa.String(120), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("answer_given", sa.String(1000), nullable=False),
        sa.Column("is_correct", sa.Boolean, nullable=False),
        sa.UniqueConstraint("attempt_pk", "number"),
    )
    op.create_index("ix_register_answer_attempt_pk", "register_answer", ["attempt_pk"])


def downgrade() -> None:
    op.drop_table("register_answer")
    op.drop_table("register_attempt")
    op.drop_table("register_staff")
