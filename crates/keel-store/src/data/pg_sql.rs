//! The SQL of the PostgreSQL import (see `postgres.rs`), built from a [`TableSpec`]. Ids are
//! written as literals: they are integers from the database, never input.

use super::TableSpec;
use super::postgres::STAGING;
use super::stage::{Target, insert_columns, non_key, set_list};

fn list(cols: impl Iterator<Item = &'static str>, prefix: &str) -> String {
    cols.map(|c| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ")
}

fn data_columns(spec: &TableSpec, prefix: &str) -> String {
    list(spec.columns.iter().map(|(c, _)| *c), prefix)
}

/// `t.k1 = s.k1 AND …` over the natural key.
fn key_match(spec: &TableSpec) -> String {
    spec.key
        .iter()
        .map(|k| format!("t.{k} = s.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

pub(super) fn update_sql(spec: &TableSpec, target: Target) -> String {
    format!(
        "UPDATE {table} t SET ({cols}) = ({new}) FROM {STAGING} s
         WHERE t.project_id = {project} AND {keys}
           AND ROW({old}) IS DISTINCT FROM ROW({new})",
        table = spec.table,
        cols = list(non_key(spec), ""),
        new = list(non_key(spec), "s."),
        old = list(non_key(spec), "t."),
        project = target.project,
        keys = key_match(spec),
    )
}

pub(super) fn insert_sql(spec: &TableSpec, target: Target, anti_join: bool) -> String {
    let only_new = if anti_join {
        format!(
            "WHERE NOT EXISTS (SELECT 1 FROM {} t WHERE t.project_id = {} AND {})",
            spec.table,
            target.project,
            key_match(spec)
        )
    } else {
        String::new()
    };
    format!(
        "INSERT INTO {table} ({cols}) SELECT {org}, {project}, {data} FROM {STAGING} s {only_new}",
        table = spec.table,
        cols = insert_columns(spec),
        org = target.org,
        project = target.project,
        data = data_columns(spec, "s."),
    )
}

/// The last line of each key, upserted.
pub(super) fn upsert_last_sql(spec: &TableSpec, target: Target) -> String {
    let key = spec.key.join(", ");
    format!(
        "INSERT INTO {table} ({cols})
         SELECT DISTINCT ON ({key}) {org}, {project}, {data} FROM {STAGING}
         ORDER BY {key}, seq DESC
         ON CONFLICT (project_id, {key}) DO UPDATE SET {set}
         WHERE ROW({old}) IS DISTINCT FROM ROW({new})",
        table = spec.table,
        cols = insert_columns(spec),
        org = target.org,
        project = target.project,
        data = data_columns(spec, ""),
        set = set_list(spec, "EXCLUDED"),
        old = list(non_key(spec), &format!("{}.", spec.table)),
        new = list(non_key(spec), "EXCLUDED."),
    )
}

/// Lines that change their key's values: a first line that differs from the stored row, or
/// a later line that differs from the line before it with the same key.
pub(super) fn replaced_sql(spec: &TableSpec, target: Target) -> String {
    let key = spec.key.join(", ");
    let vals = format!("ROW({})", list(non_key(spec), ""));
    format!(
        "WITH s AS (
             SELECT {key}, {vals} AS v, LAG({vals}) OVER w AS prev, ROW_NUMBER() OVER w AS n
             FROM {STAGING} WINDOW w AS (PARTITION BY {key} ORDER BY seq))
         SELECT COUNT(*) FROM s
         LEFT JOIN {table} t ON t.project_id = {project} AND {keys}
         WHERE (s.n > 1 AND s.v IS DISTINCT FROM s.prev)
            OR (s.n = 1 AND t.project_id IS NOT NULL AND ROW({old}) IS DISTINCT FROM s.v)",
        table = spec.table,
        project = target.project,
        keys = key_match(spec),
        old = list(non_key(spec), "t."),
    )
}
