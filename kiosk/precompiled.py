"""The hot paths' statements run on the driver's own cursor, compiled once.

SQLAlchemy caches a statement's compiled SQL, yet each execution still builds an execution
context, fires events, processes every parameter and wraps the result: about 40 µs a statement
on SQLite, where the statement itself takes 10-20 µs, and a ticket runs nine of them. `run`
compiles a statement once per dialect and shape (an INSERT's columns, how many values a list in
IN has), then hands the SQL and the parameters straight to the cursor of the connection's own
transaction: the same SQL, the same type conversions (JSON, booleans; on PostgreSQL chosen from
the types psycopg reports), the same errors (wrapped as SQLAlchemy's, so the engine's retry on
IntegrityError/OperationalError still holds). What it cannot do as cheaply (a value rendered
into the SQL, a default computed in Python, a driver with another parameter style) goes through
`conn.execute` unchanged. Only the statements built once (kiosk/statements.py, kiosk/line.py)
come here. `KIOSK_PLAIN_SQL=1` sends every statement through `conn.execute` (the bench's
"before"); tests/test_precompiled.py holds both paths to the same answers.
"""

from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

Params = Mapping[str, Any]
_OFF = bool(os.environ.get("KIOSK_PLAIN_SQL"))
_MISSING = object()


class Rows:
    """The part of SQLAlchemy's Result the engine uses, over rows already fetched."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any]):
        self._rows = rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise ValueError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]


class _Plan:
    """One statement compiled for one dialect: its SQL, where each value comes from (by position
    for SQLite's ?, by name for psycopg's %(name)s), and how each result column is converted."""

    __slots__ = ("stmt", "sql", "binds", "positional", "row", "columns", "convert", "returns", "dialect")

    def __init__(self, stmt: ClauseElement, compiled: Any, dialect: Any, params: Params):
        processors = compiled._bind_processors
        # a column left out of an INSERT or UPDATE gets its default (only constants come here)
        defaults = {c.key: c.default.arg for c in _prefetch(compiled)}
        self.positional = bool(compiled.positional)
        names: Sequence[str] = compiled.positiontup or () if self.positional else compiled.binds
        sql_text = compiled.string
        # a list expanded into IN (?, ?, ?): the SQL for this many values, each from its place
        expanded: dict[str, tuple[str, int]] = {}
        if compiled.post_compile_params:
            state = compiled.construct_expanded_state(dict(params))
            names = state.positiontup if self.positional else list(state.parameters)
            sql_text = state.statement
            for original, parts in state.parameter_expansion.items():
                expanded.update((part, (original, i)) for i, part in enumerate(parts))
        binds: list[tuple[str, str, int | None, Any, Callable[[Any], Any] | None]] = []
        for name in names:
            original, index = expanded.get(name, (name, None))
            bp = compiled.binds[original]
            if bp.key in defaults:
                default = defaults[bp.key]
            else:
                default = bp.value if bp.value is not None or not bp.required else _MISSING
            binds.append((name, bp.key, index, default, processors.get(original)))
        self.stmt = stmt
        self.sql = sql_text
        self.binds = tuple(binds)
        self.dialect = dialect
        self.columns = compiled._result_columns
        self.returns = bool(self.columns)
        self.convert: tuple[Callable[[Any], Any] | None, ...] | None = None  # at the first rows: needs their types
        self.row = _row_class(tuple(c[0] for c in self.columns)) if self.columns else None

    def values(self, params: Params) -> tuple[Any, ...] | dict[str, Any]:
        out = []
        for _, key, index, default, process in self.binds:
            v = params.get(key, default)
            if v is _MISSING:
                raise KeyError(f"no value for the parameter {key!r}")
            if index is not None:
                v = v[index]
            out.append(process(v) if process is not None else v)
        if self.positional:
            return tuple(out)
        return {b[0]: v for b, v in zip(self.binds, out, strict=True)}

    def rows(self, cursor: Any) -> list[Any]:
        make, convert = self.row, self.convert
        assert make is not None
        if convert is None:  # a column's conversion may depend on the type the driver reports
            types = [d[1] for d in cursor.description]
            self.convert = convert = tuple(
                c[3]._cached_result_processor(self.dialect, t) for c, t in zip(self.columns, types, strict=True)
            )
        raw = cursor.fetchall()
        if any(convert):
            return [make(*(f(v) if f is not None else v for f, v in zip(convert, r, strict=True))) for r in raw]
        return [make(*r) for r in raw]


def _row_class(names: tuple[str, ...]) -> type:
    base = namedtuple("Row", names, rename=True)  # type: ignore[misc]  # a label may not be an identifier

    class Row(base):
        """A fetched row: by position, by attribute, and `_mapping` by column name."""

        __slots__ = ()

        @property
        def _mapping(self) -> dict[str, Any]:
            return dict(zip(names, self, strict=True))

    return Row


def _prefetch(compiled: Any) -> list[Any]:
    """The columns whose defaults SQLAlchemy computes in Python before the statement."""
    return [*(getattr(compiled, "insert_prefetch", None) or ()), *(getattr(compiled, "update_prefetch", None) or ())]


# (id of the statement, the dialect, its shape) -> its plan, or None: through conn.execute. The statement is
# kept with its plan, so an id reused by a new statement is never mistaken for it. The shape: an
# INSERT's columns, or how many values each list expanded into IN has.
_plans: dict[tuple[int, str, tuple[Any, ...]], tuple[ClauseElement, _Plan | None]] = {}
_expanding: dict[int, tuple[ClauseElement, tuple[str, ...]]] = {}  # statement -> its lists' names
_MAX_PLANS = 2000  # the hot statements x their shapes are a few hundred


def _shape(stmt: Any, params: Params) -> tuple[Any, ...]:
    if stmt.is_insert:
        return tuple(params)
    lists = _expanding.get(id(stmt))
    if lists is None or lists[0] is not stmt:
        names = tuple(p.key for p in stmt.compile().post_compile_params if p.value is None)  # given at each call
        if len(_expanding) >= _MAX_PLANS:
            _expanding.clear()
        _expanding[id(stmt)] = lists = (stmt, names)
    return tuple(len(params[k]) for k in lists[1])


def _plan(conn: Connection, stmt: ClauseElement, shape: tuple[Any, ...], params: Params) -> _Plan | None:
    """The statement's plan, made at its first run; None: it goes through conn.execute."""
    key = (id(stmt), conn.dialect.name, shape)
    found = _plans.get(key)
    if found is not None and found[0] is stmt:
        return found[1]
    plan: _Plan | None = None
    if conn.dialect.paramstyle in ("qmark", "pyformat"):
        keys = list(params) if getattr(stmt, "is_insert", False) else None
        compiled: Any = stmt.compile(dialect=conn.dialect, column_keys=keys)
        simple = not compiled.literal_execute_params and all(
            c.default is not None and c.default.is_scalar for c in _prefetch(compiled)
        )
        if simple:
            plan = _Plan(stmt, compiled, conn.dialect, params)
    if len(_plans) >= _MAX_PLANS:  # a statement built per call passed here by mistake: stay bounded
        _plans.clear()
    _plans[key] = (stmt, plan)
    return plan


def run(conn: Connection, stmt: Any, params: Params | Sequence[Params]) -> Any:
    """`conn.execute(stmt, params)`, precompiled where it can be. For a list of parameter sets
    (an executemany) nothing is returned."""
    sets: Sequence[Params] = [params] if isinstance(params, Mapping) else params
    if _OFF or not sets:
        return conn.execute(stmt, params)
    first = sets[0]
    plan = _plan(conn, stmt, _shape(stmt, first), first)
    if plan is None:
        return conn.execute(stmt, params)
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    dbapi = conn.dialect.loaded_dbapi
    try:
        if len(sets) > 1 or not isinstance(params, Mapping):
            cursor.executemany(plan.sql, [plan.values(p) for p in sets])
            return None
        cursor.execute(plan.sql, plan.values(first))
        return Rows(plan.rows(cursor)) if plan.returns else None
    except dbapi.Error as e:  # the errors the engine knows (IntegrityError, OperationalError)
        gone = conn.dialect.is_disconnect(e, conn.connection.dbapi_connection, cursor)
        if gone:  # as SQLAlchemy's own execute does: this connection is not given out again
            conn.invalidate(e)
        raise DBAPIError.instance(
            plan.sql, params, e, dbapi.Error, dialect=conn.dialect, connection_invalidated=gone
        ) from e
    finally:
        cursor.close()
