"""Answers and feedback: the tables of the first (sqlite3) store, created only where missing, so a file that
store made is adopted with its rows.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # SQLite counts insertions in rowid; PostgreSQL needs a column for it (the row cap deletes the oldest).
    seq = [sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False)] if postgres else []
    op.create_table(
        "answers",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("intent", sa.Text),
        sa.Column("abstained", sa.Integer, nullable=False),
        sa.Column("chunk_ids", sa.Text, nullable=False),
        sa.Column("generation", sa.Text),
        *seq,
        if_not_exists=True,
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.Text, sa.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("rating", sa.Text, sa.CheckConstraint("rating IN ('up', 'down')"), nullable=False),
        sa.Column("comment", sa.Text),
        sqlite_autoincrement=True,
        if_not_exists=True,
    )
    op.create_index("answers_created", "answers", ["created"], if_not_exists=True)
    op.create_index("feedback_answer", "feedback", ["answer_id"], if_not_exists=True)
    if postgres:
        op.create_index("answers_seq", "answers", ["seq"], unique=True, if_not_exists=True)


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("answers")
