//! Safe SQL over a relation named by a `regclass` argument and columns named by text arguments.
//!
//! Functions such as `crm_kpis(relation regclass, customer => 'customer_id', ...)` build one SQL
//! statement from these names and run it through SPI. This module is the only place that turns
//! user-given names into SQL text:
//! - the relation is looked up by oid and written schema-qualified with both parts quoted
//!   (`quote_identifier`, the same as `format('%I.%I')`), so `search_path` cannot redirect it;
//!   an oid that names no relation raises 42P01 (undefined_table);
//! - a column name is matched exactly (case-sensitive, as stored in the catalog, no quoting by the
//!   caller), must be a live user column (not dropped, not a system column) and is written quoted;
//!   a missing one raises 42703 (undefined_column) naming the argument, the column and the relation;
//! - type requirements (for example "a date or timestamp") raise 42804 (datatype_mismatch).
//!
//! The statement runs through SPI as the calling user (these functions are SECURITY INVOKER), so
//! the caller's table and column privileges and row-level security policies apply as they would
//! to the same SELECT typed by hand. Every statement runs under [`with_catalog_search_path`]:
//! operators and functions in the text resolve to the built-ins of `pg_catalog` only, so objects
//! another role created in a schema on the caller's path (`public./(float8, bigint)` ...) never run.

use pgrx::callconv::{Arg, ArgAbi};
use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiHeapTupleData, SpiResult};
use pgrx::{impl_sql_translatable, pg_sys};
use std::ffi::CStr;

/// A `regclass` argument: the oid of a relation. (pgrx's `PgRelation` opens the relation while
/// unboxing, which fails with an internal error for an oid that names nothing; this wrapper leaves
/// the check to [`RelationQuery::new`].)
pub struct Regclass(pub pg_sys::Oid);

impl_sql_translatable!(Regclass, arg_only = "regclass");

// SAFETY: a regclass datum is an oid datum.
unsafe impl<'fcx> ArgAbi<'fcx> for Regclass {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        Regclass(unsafe { pg_sys::Oid::unbox_arg_unchecked(arg) })
    }
}

/// A relation checked to exist, with its name ready for SQL text.
pub struct RelationQuery {
    oid: pg_sys::Oid,
    /// Unquoted `schema.name` for messages (`pg_temp.name` for a temporary table).
    display: String,
    /// Quoted, schema-qualified name for SQL text.
    sql: String,
}

/// A column of a [`RelationQuery`], checked to exist.
pub struct Column {
    /// The quoted column name for SQL text.
    pub sql: String,
    name: String,
    /// The column's type with domains resolved to their base type.
    base_type: pg_sys::Oid,
    /// `format_type` of the declared type, for messages.
    type_name: String,
}

fn raise(code: PgSqlErrorCode, message: String, hint: Option<String>) -> ! {
    let mut report = pgrx::pg_sys::panic::ErrorReport::new(code, message, "crm_ext");
    if let Some(h) = hint {
        report = report.set_hint(h);
    }
    report.report(PgLogLevel::ERROR);
    unreachable!("ERROR does not return")
}

/// Raises 22004 (null_value_not_allowed) for a NULL argument that must be given.
pub fn required<T>(value: Option<T>, argument: &str) -> T {
    value.unwrap_or_else(|| raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, format!("{argument} must not be null"), None))
}

/// Runs `f` with `search_path` set to `pg_catalog, pg_temp`, as `SET search_path` on a function
/// would (a GUC nest level, restored on return; on an error the (sub)transaction abort restores it).
/// SQL text run inside resolves unqualified operators, functions and types in `pg_catalog` only
/// (PostgreSQL's guidance for trusted extensions); relation names are schema-qualified anyway.
pub fn with_catalog_search_path<R>(f: impl FnOnce() -> R) -> R {
    with_settings(&[(c"search_path", c"pg_catalog, pg_temp")], f)
}

/// Runs `f` with the given settings, as `SET name = value` clauses on a function would (a GUC
/// nest level, restored on return; on an error the (sub)transaction abort restores them).
pub fn with_settings<R>(settings: &[(&CStr, &CStr)], f: impl FnOnce() -> R) -> R {
    // SAFETY: the GUC API as fmgr_security_definer uses it; the strings are NUL-terminated.
    let level = unsafe {
        let level = pg_sys::NewGUCNestLevel();
        for (name, value) in settings {
            pg_sys::set_config_option(
                name.as_ptr(),
                value.as_ptr(),
                pg_sys::GucContext::PGC_USERSET,
                pg_sys::GucSource::PGC_S_SESSION,
                pg_sys::GucAction::GUC_ACTION_SAVE,
                true,
                0,
                false,
            );
        }
        level
    };
    let result = f();
    // SAFETY: pops the nest level opened above.
    unsafe { pg_sys::AtEOXact_GUC(true, level) };
    result
}

impl RelationQuery {
    /// Looks the relation up. Errors: 22004 when NULL, 42P01 when the oid names no relation.
    pub fn new(relation: Option<Regclass>) -> RelationQuery {
        let oid = required(relation, "relation").0;
        let found = with_catalog_search_path(|| {
            Spi::get_two_with_args::<String, String>(
                "SELECT n.nspname::text, c.relname::text FROM pg_catalog.pg_class c \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1",
                &[oid.into()],
            )
        });
        match found {
            Ok((Some(schema), Some(name))) => RelationQuery {
                oid,
                // The session's temporary schema under its stable alias (pg_temp_3 -> pg_temp).
                display: format!("{}.{name}", if schema.starts_with("pg_temp_") { "pg_temp" } else { &schema }),
                sql: format!("{}.{}", quote_identifier(&schema), quote_identifier(&name)),
            },
            _ => raise(PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE, format!("relation with oid {} does not exist", oid.to_u32()), None),
        }
    }

    /// The quoted, schema-qualified relation name for a FROM clause.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The column named by `argument`. Errors: 22004 when NULL, 42703 when the relation has no
    /// such (live, user) column.
    pub fn column(&self, argument: &str, name: Option<&str>) -> Column {
        let name = required(name, argument);
        let found = with_catalog_search_path(|| {
            Spi::get_two_with_args::<pg_sys::Oid, String>(
                "SELECT atttypid, pg_catalog.format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute \
                 WHERE attrelid = $1 AND attname = $2 AND attnum > 0 AND NOT attisdropped",
                &[self.oid.into(), name.into()],
            )
        });
        match found {
            Ok((Some(type_oid), Some(type_name))) => Column {
                sql: quote_identifier(name),
                name: name.to_string(),
                // SAFETY: a catalog lookup of an existing type.
                base_type: unsafe { pg_sys::getBaseType(type_oid) },
                type_name,
            },
            _ => raise(
                PgSqlErrorCode::ERRCODE_UNDEFINED_COLUMN,
                format!("column \"{name}\" (argument {argument}) does not exist in relation \"{}\"", self.display),
                Some("column names are matched exactly as stored, case-sensitively and without quotes".into()),
            ),
        }
    }

    /// [`RelationQuery::column`] for an optional argument: `None` when the argument is NULL.
    pub fn optional_column(&self, argument: &str, name: Option<&str>) -> Option<Column> {
        name.map(|n| self.column(argument, Some(n)))
    }
}

impl Column {
    /// `format_type` of the column's declared type, for casts in SQL text.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// Requires the column's (base) type to be one of `allowed`; else 42804 saying `expected`.
    pub fn expect_types(self, argument: &str, allowed: &[pg_sys::Oid], expected: &str) -> Column {
        if !allowed.contains(&self.base_type) {
            self.mismatch(argument, expected);
        }
        self
    }

    /// Requires a numeric type (type category N: integers, numeric, float, money); else 42804.
    pub fn expect_numeric(self, argument: &str) -> Column {
        // SAFETY: a catalog lookup of an existing type.
        let category = unsafe { pg_sys::TypeCategory(self.base_type) } as u8;
        if category != b'N' {
            self.mismatch(argument, "a numeric type");
        }
        self
    }

    fn mismatch(&self, argument: &str, expected: &str) -> ! {
        raise(
            PgSqlErrorCode::ERRCODE_DATATYPE_MISMATCH,
            format!("column \"{}\" (argument {argument}) is of type {}, expected {expected}", self.name, self.type_name),
            None,
        )
    }
}

/// Runs a read-only statement built from [`RelationQuery::sql`] and [`Column::sql`] under
/// [`with_catalog_search_path`] and maps every row (columns are numbered from 1), checking for
/// query cancel as it goes. SQL errors (privileges, row-level security, casts) are raised as they
/// are; a row that does not match `map`'s types is an internal error.
pub fn select_rows<T>(sql: &str, map: impl Fn(&SpiHeapTupleData) -> SpiResult<T>) -> Vec<T> {
    let rows = with_catalog_search_path(|| {
        Spi::connect(|client| -> SpiResult<Vec<T>> {
            let table = client.select(sql, None, &[])?;
            let mut out = Vec::with_capacity(table.len());
            let mut check = crate::pg::aggregate_support::check_interrupts;
            let mut countdown = crm_core::interrupt::Countdown::new(&mut check);
            for row in table {
                countdown.tick();
                out.push(map(&row)?);
            }
            Ok(out)
        })
    });
    rows.unwrap_or_else(|e| raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, format!("crm_ext query failed: {e}"), None))
}

/// The type oids accepted for an order timestamp.
pub const DATE_OR_TIMESTAMP: [pg_sys::Oid; 3] = [pg_sys::DATEOID, pg_sys::TIMESTAMPOID, pg_sys::TIMESTAMPTZOID];

/// For the PL/pgSQL one-call functions (sql/extension/cltv.sql): the same checks as
/// [`RelationQuery::new`] and [`RelationQuery::column`] (42P01, 42703 naming the argument, 22004)
/// before they build SQL from the names. `arguments` names the argument of each column.
#[pg_extern(stable, parallel_safe)]
#[allow(non_snake_case)] // the double underscore marks the function internal in SQL
fn crm__check_columns(relation: Option<Regclass>, arguments: Option<Vec<Option<String>>>, columns: Option<Vec<Option<String>>>) {
    let rel = RelationQuery::new(relation);
    let (arguments, columns) = (required(arguments, "arguments"), required(columns, "columns"));
    for (argument, column) in arguments.iter().zip(&columns) {
        rel.column(required(argument.as_deref(), "arguments element"), column.as_deref());
    }
}

extension_sql!(
    "COMMENT ON FUNCTION crm__check_columns(regclass, text[], text[]) IS 'Internal: raises 42P01 for a relation that does not exist and 42703 for a column argument it does not have.';",
    name = "crm__check_columns_comment",
    requires = [crm__check_columns]
);
