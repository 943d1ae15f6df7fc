//! K-Means in SQL: the `crm_kmeans` model type, the parallel `crm_kmeans_fit` aggregate,
//! assignment, centroids and the elbow table. The math is `crm_core::cluster::kmeans`.
//!
//! PostgreSQL aggregates take neither named nor default arguments, so `crm_kmeans_fit` comes in
//! overloads that add one trailing setting at a time:
//! `(features, k)`, `(features, k, scaling)`, `(features, k, scaling, seed)`,
//! `(features, k, scaling, seed, n_init)`, `(features, k, scaling, seed, n_init, max_iter)`,
//! with the defaults scaling = 'log_standard', seed = 42, n_init = 10, max_iter = 300.

use crate::models::model_common::{parse_model_json, write_model_json};
use crate::pg::aggregate_support::{check_interrupts, AggState};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::relation_query::{required, select_rows, Regclass, RelationQuery};
use crate::pg::row_call::{row_function, RowArgs};
use crate::pg::state_type::{self, state_type_functions, StateType};
use crate::pg::stored_form::stored_form;
use crm_core::cluster::kmeans::{self, KMeansModel, PointSet};
use crm_core::cluster::scaling::{Scaler, Scaling};
use crm_core::error::{CrmError, CrmResult};
use pgrx::datum::Array;
use pgrx::prelude::*;
use pgrx::{pg_sys, InOutFuncs, StringInfo};
use serde::{Deserialize, Serialize};
use std::ffi::CStr;

const DEFAULT_SCALING: Scaling = Scaling::LogStandard;
const DEFAULT_SEED: i64 = 42;
const DEFAULT_N_INIT: i32 = 10;
const DEFAULT_MAX_ITER: i32 = 300;

/// A fitted k-means model. Text form: JSON with the centroids in original units (cluster 1
/// first), the scaler's parameters, the inertia (in scaled units) and the fit settings.
#[allow(non_camel_case_types)]
#[derive(PostgresType, Serialize, Deserialize, Clone, Debug)]
#[inoutfuncs]
#[bikeshed_postgres_type_manually_impl_from_into_datum]
pub struct crm_kmeans {
    pub model: String,
    pub k: usize,
    pub inertia: f64,
    pub sizes: Vec<u64>,
    pub centroids: Vec<Vec<f64>>,
    pub scaled_centroids: Vec<Vec<f64>>,
    pub scaler: Scaler,
    pub n: u64,
    pub iterations: u32,
    pub seed: i64,
    pub n_init: u32,
    pub max_iter: u32,
    pub skipped_null: u64,
}

impl crm_kmeans {
    fn new(fit: KMeansModel, settings: &Settings, skipped_null: u64) -> crm_kmeans {
        crm_kmeans {
            model: "kmeans".into(),
            k: fit.k,
            inertia: fit.inertia,
            sizes: fit.sizes,
            centroids: fit.centroids,
            scaled_centroids: fit.scaled_centroids,
            scaler: fit.scaler,
            n: fit.n,
            iterations: fit.iterations,
            seed: settings.seed,
            n_init: settings.n_init,
            max_iter: settings.max_iter,
            skipped_null,
        }
    }

    fn core(&self) -> KMeansModel {
        KMeansModel {
            k: self.k,
            centroids: self.centroids.clone(),
            scaled_centroids: self.scaled_centroids.clone(),
            scaler: self.scaler.clone(),
            inertia: self.inertia,
            iterations: self.iterations,
            n: self.n,
            sizes: self.sizes.clone(),
        }
    }

    /// Shape and value checks for a model read from text.
    fn validate(&self) -> CrmResult<()> {
        let dims = self.scaler.dims();
        let rows_ok =
            |rows: &Vec<Vec<f64>>| rows.len() == self.k && rows.iter().all(|r| r.len() == dims && r.iter().all(|v| v.is_finite()));
        let ok = self.model == "kmeans"
            && self.k >= 1
            && dims >= 1
            && self.scaler.scale.len() == dims
            && self.scaler.center.iter().chain(&self.scaler.scale).all(|v| v.is_finite())
            && self.scaler.scale.iter().all(|s| *s > 0.0)
            && rows_ok(&self.centroids)
            && rows_ok(&self.scaled_centroids)
            && self.sizes.len() == self.k;
        if ok {
            Ok(())
        } else {
            Err(CrmError::invalid("invalid crm_kmeans value: inconsistent model")
                .with_hint("\"model\" is \"kmeans\"; k >= 1 centroids and scaled_centroids, each with one value per scaler feature; k sizes; finite values, positive scales"))
        }
    }
}

stored_form!(crm_kmeans, crm_kmeans_send, "crm__kmeans_send", crm_kmeans_recv, "crm__kmeans_recv");

crm_sql::model_comparisons!(crm_kmeans);

impl InOutFuncs for crm_kmeans {
    fn input(input: &CStr) -> Self {
        let m: crm_kmeans = parse_model_json(input, "crm_kmeans");
        m.validate().or_raise();
        m
    }

    fn output(&self, buffer: &mut StringInfo) {
        write_model_json(self, buffer);
    }
}

/// The settings of one fit; aggregate arguments, so every row repeats them and all must agree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Settings {
    k: usize,
    scaling: Scaling,
    seed: i64,
    n_init: u32,
    max_iter: u32,
}

const SCALINGS: [Scaling; 4] = [Scaling::None, Scaling::Standard, Scaling::MinMax, Scaling::LogStandard];

impl Settings {
    /// From the (optional) aggregate arguments; NULL settings raise 22004, bad values 22023.
    pub(crate) fn from_args(
        k: Option<i32>,
        scaling: Option<&str>,
        seed: Option<i64>,
        n_init: Option<i32>,
        max_iter: Option<i32>,
    ) -> CrmResult<Settings> {
        let k = k.ok_or_else(|| CrmError::null_not_allowed("k must not be null"))?;
        if k < 1 {
            return Err(CrmError::invalid(format!("k must be at least 1, got {k}")));
        }
        let positive = |name: &str, v: i32| -> CrmResult<u32> {
            if v < 1 {
                Err(CrmError::invalid(format!("{name} must be at least 1, got {v}")))
            } else {
                Ok(v as u32)
            }
        };
        Ok(Settings {
            k: k as usize,
            scaling: scaling.map(Scaling::parse).transpose()?.unwrap_or(DEFAULT_SCALING),
            seed: seed.unwrap_or(DEFAULT_SEED),
            n_init: positive("n_init", n_init.unwrap_or(DEFAULT_N_INIT))?,
            max_iter: positive("max_iter", max_iter.unwrap_or(DEFAULT_MAX_ITER))?,
        })
    }

    /// k (u32), scaling code, seed (i64), n_init, max_iter (u32), little-endian: 21 bytes.
    fn to_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.k as u32).to_le_bytes());
        out.push(SCALINGS.iter().position(|s| *s == self.scaling).expect("every scaling has a code") as u8);
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&self.n_init.to_le_bytes());
        out.extend_from_slice(&self.max_iter.to_le_bytes());
    }

    fn from_bytes(b: &[u8]) -> CrmResult<Settings> {
        let bad = || CrmError::invalid("corrupt k-means aggregate state: settings");
        if b.len() != 21 {
            return Err(bad());
        }
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        Ok(Settings {
            k: u32_at(0) as usize,
            scaling: *SCALINGS.get(b[4] as usize).ok_or_else(bad)?,
            seed: i64::from_le_bytes(b[5..13].try_into().expect("8 bytes")),
            n_init: u32_at(13),
            max_iter: u32_at(17),
        })
    }
}

/// Aggregate state: the points (finite, one length), the settings once a row was seen, and the
/// number of rows skipped for a NULL feature array or a NULL element.
#[derive(Default)]
pub struct KMeansState {
    points: PointSet,
    settings: Option<Settings>,
    skipped_null: u64,
}

impl KMeansState {
    fn set(&mut self, s: Settings) -> CrmResult<()> {
        match self.settings {
            Some(old) if old != s => {
                Err(CrmError::invalid("crm_kmeans_fit settings (k, scaling, seed, n_init, max_iter) differ between rows")
                    .with_detail(format!("{old:?} and {s:?}"))
                    .with_hint("pass the same settings on every row (constants)"))
            }
            _ => {
                self.settings = Some(s);
                Ok(())
            }
        }
    }

    /// One row: the aggregate's settings and a feature array (a NULL one, or one with a NULL
    /// element, is skipped and counted).
    pub(crate) fn add_row(&mut self, settings: Settings, features: Option<&Array<f64>>) {
        self.set(settings).or_raise();
        match features.and_then(features_of) {
            Some(point) => self.points.add(&point).or_raise(),
            None => self.skipped_null += 1,
        }
    }

    pub(crate) fn fit(&self) -> Option<crm_kmeans> {
        let s = self.settings?;
        if self.points.is_empty() {
            return None;
        }
        let fit = kmeans::kmeans_fit(
            &self.points.to_points(&mut check_interrupts),
            s.k,
            s.scaling,
            s.seed as u64,
            s.n_init,
            s.max_iter,
            &mut check_interrupts,
        )
        .or_raise();
        Some(crm_kmeans::new(fit, &s, self.skipped_null))
    }
}

impl AggState for KMeansState {
    fn merge(&mut self, other: &KMeansState) {
        if let Some(s) = other.settings {
            self.set(s).or_raise();
        }
        self.points.merge(&other.points).or_raise();
        self.skipped_null += other.skipped_null;
    }

    /// settings flag (1 byte) and settings (21 bytes, zeros when unset), skipped (u64), points.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![u8::from(self.settings.is_some())];
        self.settings.unwrap_or(Settings { k: 0, scaling: Scaling::None, seed: 0, n_init: 0, max_iter: 0 }).to_bytes(&mut out);
        out.extend_from_slice(&self.skipped_null.to_le_bytes());
        out.extend_from_slice(&self.points.to_bytes());
        out
    }

    fn from_bytes(bytes: &[u8]) -> KMeansState {
        if bytes.len() < 30 {
            raise(CrmError::invalid("corrupt k-means aggregate state: truncated"));
        }
        let settings = (bytes[0] == 1).then(|| Settings::from_bytes(&bytes[1..22]).or_raise());
        KMeansState {
            settings,
            skipped_null: u64::from_le_bytes(bytes[22..30].try_into().expect("8 bytes")),
            points: PointSet::from_bytes(&bytes[30..]).or_raise(),
        }
    }

    fn heap_bytes(&self) -> usize {
        self.points.heap_bytes()
    }
}

/// The values of a feature array, or None when it has a NULL element.
fn features_of(features: &Array<f64>) -> Option<Vec<f64>> {
    features.iter().collect()
}

state_type_functions!(
    KMeansState,
    KMEANS_STATE_METHODS,
    [pg_finfo_crm__kmeans_state_in crm__kmeans_state_in],
    [pg_finfo_crm__kmeans_state_out crm__kmeans_state_out],
    [pg_finfo_crm__kmeans_state_send crm__kmeans_state_send],
    [pg_finfo_crm__kmeans_state_recv crm__kmeans_state_recv]
);

impl StateType for KMeansState {
    const TYPE_NAME: &'static str = "crm__kmeans_state";
    const FORMAT_VERSION: u8 = 1;
    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &KMEANS_STATE_METHODS
    }
}

/// crm_kmeans_fit's transition: the features in argument 1, k in 2 and the `given` - 1 further
/// settings (scaling, seed, n_init, max_iter) of the form in 3.. (the others default).
fn trans(a: &RowArgs, given: usize) -> pg_sys::Datum {
    crate::pg::array_args::require_one_dimension(a.fcinfo(), 1, "features");
    let scaling = (given >= 2).then(|| required(a.opt_text(3), "scaling"));
    let seed = (given >= 3).then(|| required(a.opt_i64(4), "seed"));
    let n_init = (given >= 4).then(|| required(a.opt_i32(5), "n_init"));
    let max_iter = (given >= 5).then(|| required(a.opt_i32(6), "max_iter"));
    let settings = Settings::from_args(a.opt_i32(2), scaling, seed, n_init, max_iter).or_raise();
    let features = a.opt_f64_array(1);
    // SAFETY: declared with a crm__kmeans_state argument 0.
    unsafe { state_type::transition::<KMeansState>(a.fcinfo(), |s| s.add_row(settings, features.as_ref())) }
}

row_function!(pg_finfo_crm__kmeans_trans2, crm__kmeans_trans2, |a| trans(a, 1));
row_function!(pg_finfo_crm__kmeans_trans3, crm__kmeans_trans3, |a| trans(a, 2));
row_function!(pg_finfo_crm__kmeans_trans4, crm__kmeans_trans4, |a| trans(a, 3));
row_function!(pg_finfo_crm__kmeans_trans5, crm__kmeans_trans5, |a| trans(a, 4));
row_function!(pg_finfo_crm__kmeans_trans6, crm__kmeans_trans6, |a| trans(a, 5));
// SAFETY (combine and final): declared with crm__kmeans_state arguments.
row_function!(pg_finfo_crm__kmeans_combine, crm__kmeans_combine, |a| unsafe { state_type::combine::<KMeansState>(a.fcinfo()) });
row_function!(pg_finfo_crm__kmeans_final, crm__kmeans_final, |a| {
    a.ret_opt(unsafe { state_type::with_state::<KMeansState, _>(a.fcinfo(), 0, KMeansState::fit) }.flatten())
});

extension_sql!(
    r#"
CREATE TYPE crm__kmeans_state;
CREATE FUNCTION crm__kmeans_state_in(cstring) RETURNS crm__kmeans_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_in';
CREATE FUNCTION crm__kmeans_state_out(crm__kmeans_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_out';
CREATE FUNCTION crm__kmeans_state_send(crm__kmeans_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_send';
CREATE FUNCTION crm__kmeans_state_recv(internal) RETURNS crm__kmeans_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_state_recv';
CREATE TYPE crm__kmeans_state (
    INPUT = crm__kmeans_state_in, OUTPUT = crm__kmeans_state_out,
    SEND = crm__kmeans_state_send, RECEIVE = crm__kmeans_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans2';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans3';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans4';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint, n_init integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans5';
CREATE FUNCTION crm__kmeans_trans(state crm__kmeans_state, features float8[], k integer, scaling text, seed bigint, n_init integer, max_iter integer)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_trans6';
CREATE FUNCTION crm__kmeans_combine(state crm__kmeans_state, other crm__kmeans_state)
    RETURNS crm__kmeans_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_combine';
CREATE FUNCTION crm__kmeans_final(state crm__kmeans_state)
    RETURNS crm_kmeans IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__kmeans_final';
CREATE AGGREGATE crm_kmeans_fit(features float8[], k integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint, n_init integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_kmeans_fit(features float8[], k integer, scaling text, seed bigint, n_init integer, max_iter integer) (
    sfunc = crm__kmeans_trans, stype = crm__kmeans_state, finalfunc = crm__kmeans_final,
    combinefunc = crm__kmeans_combine, sspace = 8192, parallel = safe);
COMMENT ON TYPE crm_kmeans IS 'A k-means model: centroids in original and scaled units (cluster 1 = highest centroid of the last feature), scaler parameters, inertia, cluster sizes and fit settings. Text form is JSON.';
COMMENT ON AGGREGATE crm_kmeans_fit(float8[], integer) IS 'Fits k-means (k-means++ starts, Lloyd iterations) on feature arrays with the defaults scaling log_standard, seed 42, n_init 10, max_iter 300. Rows with a NULL array or element are skipped; empty input gives NULL. Deterministic for a seed, independent of row order.';
COMMENT ON AGGREGATE crm_kmeans_fit(float8[], integer, text) IS 'Fits k-means with a feature scaling: none, standard, min_max, log_standard (log1p then standard).';
COMMENT ON AGGREGATE crm_kmeans_fit(float8[], integer, text, bigint) IS 'Fits k-means with a scaling and a random seed.';
COMMENT ON AGGREGATE crm_kmeans_fit(float8[], integer, text, bigint, integer) IS 'Fits k-means with a scaling, a seed and n_init k-means++ starts (the lowest inertia wins).';
COMMENT ON AGGREGATE crm_kmeans_fit(float8[], integer, text, bigint, integer, integer) IS 'Fits k-means with a scaling, a seed, n_init starts and at most max_iter Lloyd iterations per start.';
COMMENT ON TYPE crm__kmeans_state IS 'Internal: the state of crm_kmeans_fit (the feature arrays and settings of a group); text form hexadecimal, for Citus''s partial aggregates.';
"#,
    name = "crm_kmeans_fit_aggregates",
    requires = [crm_kmeans]
);

/// The cluster (1..k) whose centroid is nearest to `features` in the model's scaled space.
#[pg_extern(immutable, parallel_safe)]
fn crm_kmeans_assign(model: crm_kmeans, features: Array<f64>, fcinfo: pg_sys::FunctionCallInfo) -> i32 {
    crate::pg::array_args::require_one_dimension(fcinfo, 1, "features");
    let point = features_of(&features).unwrap_or_else(|| raise(CrmError::null_not_allowed("features must not contain NULL elements")));
    kmeans::kmeans_assign(&model.core(), &point).or_raise() as i32
}

/// One row per cluster: its number, size, centroid in original units and in scaled units.
#[pg_extern(immutable, parallel_safe)]
fn crm_kmeans_centroids(
    model: crm_kmeans,
) -> TableIterator<'static, (name!(cluster, i32), name!(size, i64), name!(centroid, Vec<f64>), name!(scaled_centroid, Vec<f64>))> {
    let rows: Vec<_> = model
        .centroids
        .into_iter()
        .zip(model.scaled_centroids)
        .zip(model.sizes)
        .enumerate()
        .map(|(i, ((c, sc), n))| (i as i32 + 1, n as i64, c, sc))
        .collect();
    TableIterator::new(rows)
}

/// Inertia for k = k_min..k_max on the numeric `columns` of `relation` (rows with a NULL in any
/// of them skipped), read once and fitted as `crm_kmeans_fit` would: for the elbow chart.
#[pg_extern(stable)]
#[allow(clippy::too_many_arguments)]
fn crm_kmeans_elbow(
    relation: Option<Regclass>,
    columns: Option<Vec<Option<String>>>,
    k_min: default!(Option<i32>, 1),
    k_max: default!(Option<i32>, 10),
    scaling: default!(Option<&str>, "'log_standard'"),
    seed: default!(Option<i64>, 42),
    n_init: default!(Option<i32>, 10),
    max_iter: default!(Option<i32>, 300),
    fcinfo: pg_sys::FunctionCallInfo,
) -> TableIterator<'static, (name!(k, i32), name!(inertia, f64))> {
    crate::pg::array_args::require_one_dimension(fcinfo, 1, "columns");
    let rel = RelationQuery::new(relation);
    let columns = required(columns, "columns");
    if columns.is_empty() {
        raise(CrmError::invalid("columns must name at least one column"));
    }
    let cols: Vec<String> = columns
        .iter()
        .map(|c| rel.column("columns", Some(required(c.as_deref(), "columns element"))).expect_numeric("columns").sql)
        .collect();
    let (k_min, k_max) = (required(k_min, "k_min"), required(k_max, "k_max"));
    if k_min < 1 || k_max < k_min {
        raise(CrmError::invalid(format!("need 1 <= k_min <= k_max, got k_min {k_min} and k_max {k_max}")));
    }
    let base =
        Settings::from_args(Some(k_min), Some(required(scaling, "scaling")), Some(required(seed, "seed")), n_init, max_iter).or_raise();

    let sql = format!(
        "SELECT ARRAY[{}]::float8[] FROM {} WHERE {}",
        cols.iter().map(|c| format!("{c}::float8")).collect::<Vec<_>>().join(", "),
        rel.sql(),
        cols.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND "),
    );
    let points: Vec<Vec<f64>> = select_rows(&sql, |row| Ok(row.get::<Vec<f64>>(1)?.expect("feature array is not null")));
    if points.is_empty() {
        raise(CrmError::invalid("crm_kmeans_elbow found no rows without NULL features"));
    }
    let rows: Vec<(i32, f64)> = kmeans::kmeans_elbow(
        &points,
        k_min as usize,
        k_max as usize,
        base.scaling,
        base.seed as u64,
        base.n_init,
        base.max_iter,
        &mut check_interrupts,
    )
    .or_raise()
    .into_iter()
    .map(|(k, inertia)| (k as i32, inertia))
    .collect();
    TableIterator::new(rows)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_kmeans_assign(crm_kmeans, float8[]) IS 'The cluster number (1..k) of a feature array: nearest centroid in the model''s scaled space (lowest number on ties). Numbers follow the model''s order: descending centroid of the last feature.';
COMMENT ON FUNCTION crm_kmeans_centroids(crm_kmeans) IS 'One row per cluster of a k-means model: cluster number, size, centroid in original units, centroid in scaled units.';
COMMENT ON FUNCTION crm_kmeans_elbow(regclass, text[], integer, integer, text, bigint, integer, integer) IS 'Within-cluster sum of squares (inertia, scaled units) for each k from k_min to k_max on numeric columns of a relation, for the elbow chart. Same settings and defaults as crm_kmeans_fit. Runs as the caller.';
"#,
    name = "crm_kmeans_comments",
    requires = [crm_kmeans_assign, crm_kmeans_centroids, crm_kmeans_elbow]
);

// Casts through the text form, binary I/O, and the COMMENTs of the comparison functions that
// `model_comparisons!` defines.
crm_sql::type_sql! { model: kmeans, title: "k-means", article: "a", jsonb_note: "model::jsonb ->> 'converged'" }

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    fn state(points: &[[f64; 2]], scaling: &str) -> KMeansState {
        let mut s = KMeansState::default();
        s.set(Settings::from_args(Some(3), Some(scaling), Some(5), None, None).unwrap()).unwrap();
        for p in points {
            s.points.add(p).unwrap();
        }
        s
    }

    const POINTS: [[f64; 2]; 6] = [[0.0, 0.0], [0.2, 0.1], [5.0, 5.0], [5.1, 4.9], [9.0, 0.0], [9.2, 0.3]];

    #[pg_test]
    fn serialized_partial_states_merge_into_the_serial_model() {
        let whole = state(&POINTS, "none");
        let mut merged = KMeansState::from_bytes(&state(&POINTS[..2], "none").to_bytes());
        merged.merge(&KMeansState::from_bytes(&KMeansState::default().to_bytes()));
        merged.merge(&KMeansState::from_bytes(&state(&POINTS[2..], "none").to_bytes()));
        assert_eq!(merged.points, whole.points);
        let model = merged.fit().expect("a model");
        let json = |m: &crm_kmeans| serde_json::to_string(m).unwrap();
        assert_eq!(json(&model), json(&whole.fit().expect("a model")));
        assert_eq!(model.sizes, vec![2, 2, 2]);
        assert!(KMeansState::default().fit().is_none());
    }

    #[pg_test(error = "crm_kmeans_fit settings (k, scaling, seed, n_init, max_iter) differ between rows")]
    fn merging_states_with_different_settings_fails() {
        let mut a = state(&POINTS[..3], "none");
        a.merge(&state(&POINTS[3..], "standard"));
    }

    #[pg_test(error = "corrupt k-means aggregate state: truncated")]
    fn truncated_state_bytes_fail() {
        KMeansState::from_bytes(&state(&POINTS, "none").to_bytes()[..20]);
    }
}
