"""Queries about provenance: documents, seed datasets, discrepancies."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import frame, source_columns
from db.reference import SYNTHETIC_SOURCE_KEY


def sources_table(session: Session) -> pd.DataFrame:
    """The source documents. Columns: key, file, title, citation, publisher, published, description,
    reading_notes; in key order."""
    s = m.Source
    stmt = select(s.key, s.file, s.title, s.citation, s.publisher, s.published, s.description,
                  s.reading_notes).order_by(s.id)
    return frame(session, stmt)


def discrepancies_table(session: Session, *, topic: str | None = None) -> pd.DataFrame:
    """Every recorded discrepancy. Columns: code, topic, subject, printed_value, recomputed_value,
    reading_kept, explanation + source columns; ordered by topic, code."""
    d = m.Discrepancy
    src_cols, src = source_columns(d)
    stmt = (select(d.code, d.topic, d.subject, d.printed_value, d.recomputed_value, d.reading_kept,
                   d.explanation, *src_cols)
            .join(src, src.id == d.source_id).order_by(d.topic, d.code))
    if topic is not None:
        stmt = stmt.where(d.topic == topic)
    return frame(session, stmt)


def datasets_table(session: Session) -> pd.DataFrame:
    """The seed files loaded. Columns: file, table_name, rows, sha256, loaded_at."""
    d = m.Dataset
    return frame(session, select(d.file, d.table_name, d.rows, d.sha256, d.loaded_at).order_by(d.id))


def last_change(session: Session):
    """Return when the store last changed (its data version's date), or None."""
    return session.scalar(select(m.DataVersion.changed_at).where(m.DataVersion.id == 1))


def is_synthetic(session: Session) -> bool:
    """Whether the store holds synthetic benchmark data (seed.synthetic) rather than Metropolis' data."""
    return session.scalar(select(m.Source.id).where(m.Source.key == SYNTHETIC_SOURCE_KEY)) is not None
