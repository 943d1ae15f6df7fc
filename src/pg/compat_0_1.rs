//! The C functions that release 0.1.0's install script names and later releases dropped: the
//! internal-state support functions of the aggregates whose states became base types. The library
//! keeps them so that a database still on 0.1.0 keeps working with this library until
//! `ALTER EXTENSION crm_ext UPDATE` (which replaces them), and so that 0.1.0 can still be
//! installed (`92_upgrade`). No SQL declares them in the current release.

use crate::insights::kmeans::{crm_kmeans, KMeansState, Settings};
use crate::models::bgnbd::{crm_bgnbd, BgNbdState};
use crate::models::gamma_gamma::{crm_gamma_gamma, GammaGammaState};
use crate::pg::aggregate_support as agg;
use crate::pg::errors::OrRaise;
use crate::pg::relation_query::required;
use crate::pg::row_call::{row_function, RowArgs};
use crate::rfm::sample_aggregates::{limits_row, qcut_edges, Bins, LimitParams, Sample};
use pgrx::datum::Array;
use pgrx::datum::Internal;
use pgrx::pg_sys;
use pgrx::prelude::*;

/// 0.1.0's BG/NBD transition: one row with the aggregate's settings (None: not in the form).
fn bgnbd_trans(a: &RowArgs, penalizer: Option<usize>, unit: Option<usize>) -> pg_sys::Datum {
    let state = agg::update(a.internal(0), a.fcinfo(), |s: &mut BgNbdState| {
        s.settings.set(penalizer.map(|i| a.opt_f64(i)), unit.map(|i| a.opt_text(i))).or_raise();
        s.add_row(a.opt_f64(1), a.opt_f64(2), a.opt_f64(3), Some(1));
    });
    a.ret_internal(state)
}

/// 0.1.0's Gamma-Gamma transition.
fn gamma_gamma_trans(a: &RowArgs, penalizer: Option<usize>) -> pg_sys::Datum {
    let state = agg::update(a.internal(0), a.fcinfo(), |s: &mut GammaGammaState| {
        s.settings.set(penalizer.map(|i| a.opt_f64(i)), None).or_raise();
        s.add_row(a.opt_f64(1), a.opt_f64(2), Some(1));
    });
    a.ret_internal(state)
}

row_function!(pg_finfo_crm_bgnbd_trans3, crm_bgnbd_trans3, |a| bgnbd_trans(a, None, None));
row_function!(pg_finfo_crm_bgnbd_trans4, crm_bgnbd_trans4, |a| bgnbd_trans(a, Some(4), None));
row_function!(pg_finfo_crm_bgnbd_trans5, crm_bgnbd_trans5, |a| bgnbd_trans(a, Some(4), Some(5)));
row_function!(pg_finfo_crm_gamma_gamma_trans2, crm_gamma_gamma_trans2, |a| gamma_gamma_trans(a, None));
row_function!(pg_finfo_crm_gamma_gamma_trans3, crm_gamma_gamma_trans3, |a| gamma_gamma_trans(a, Some(3)));

// pgrx functions in 0.1.0: its script names their `_wrapper` symbols.
crate::pg::aggregate_support::parallel_state_functions!(
    BgNbdState,
    crm_bgnbd_combine,
    crm_bgnbd_serialize,
    crm_bgnbd_deserialize,
    sql = false
);
crate::pg::aggregate_support::parallel_state_functions!(
    GammaGammaState,
    crm_gamma_gamma_combine,
    crm_gamma_gamma_serialize,
    crm_gamma_gamma_deserialize,
    sql = false
);

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_bgnbd_final(mut state: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Option<crm_bgnbd> {
    agg::finish::<BgNbdState>(&mut state).and_then(|s| s.fit(fcinfo, s.settings.penalizer(), s.settings.unit()))
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_gamma_gamma_final(mut state: Internal, fcinfo: pg_sys::FunctionCallInfo) -> Option<crm_gamma_gamma> {
    agg::finish::<GammaGammaState>(&mut state).and_then(|s| s.fit(fcinfo, s.settings.penalizer()))
}

// crm_qcut_edges and crm_outlier_limits (pgrx functions: 0.1.0 names their `_wrapper` symbols).

fn qcut_trans_0_1(state: Internal, value: Option<f64>, bins: Option<i32>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    let bins = Bins::from_arg(bins);
    agg::update(state, fcinfo, |s: &mut Sample<Bins>| s.add(value, bins))
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_qcut_edges_trans1(state: Internal, value: Option<f64>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    qcut_trans_0_1(state, value, Some(Bins::DEFAULT), fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_qcut_edges_trans2(state: Internal, value: Option<f64>, bins: Option<i32>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    qcut_trans_0_1(state, value, bins, fcinfo)
}

crate::pg::aggregate_support::parallel_state_functions!(
    Sample<Bins>,
    crm_qcut_edges_combine,
    crm_qcut_edges_serialize,
    crm_qcut_edges_deserialize,
    sql = false
);

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_qcut_edges_final(mut state: Internal) -> Option<Vec<f64>> {
    qcut_edges(agg::finish::<Sample<Bins>>(&mut state)?)
}

fn limits_trans_0_1(state: Internal, value: Option<f64>, params: [Option<f64>; 3], fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    let params = LimitParams::from_args(params);
    agg::update(state, fcinfo, |s: &mut Sample<LimitParams>| s.add(value, params))
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_outlier_limits_trans1(state: Internal, value: Option<f64>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    limits_trans_0_1(state, value, LimitParams::DEFAULTS.map(Some), fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_outlier_limits_trans3(
    state: Internal,
    value: Option<f64>,
    low_quantile: Option<f64>,
    high_quantile: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    limits_trans_0_1(state, value, [low_quantile, high_quantile, Some(1.5)], fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_outlier_limits_trans4(
    state: Internal,
    value: Option<f64>,
    low_quantile: Option<f64>,
    high_quantile: Option<f64>,
    iqr_multiplier: Option<f64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    limits_trans_0_1(state, value, [low_quantile, high_quantile, iqr_multiplier], fcinfo)
}

crate::pg::aggregate_support::parallel_state_functions!(
    Sample<LimitParams>,
    crm_outlier_limits_combine,
    crm_outlier_limits_serialize,
    crm_outlier_limits_deserialize,
    sql = false
);

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_outlier_limits_final(
    mut state: Internal,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::composite_type!('static, "crm_outlier_limits_result")> {
    limits_row(agg::finish::<Sample<LimitParams>>(&mut state)?, fcinfo)
}

// crm_kmeans_fit.

/// The settings arguments of one row: k, scaling, seed, n_init, max_iter (None: not in this overload).
type SettingArgs<'a> = (Option<i32>, Option<&'a str>, Option<i64>, Option<i32>, Option<i32>);

fn kmeans_trans_0_1(state: Internal, features: Option<Array<f64>>, settings: SettingArgs, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    crate::pg::array_args::require_one_dimension(fcinfo, 1, "features");
    agg::update(state, fcinfo, |s: &mut KMeansState| {
        let (k, scaling, seed, n_init, max_iter) = settings;
        s.add_row(Settings::from_args(k, scaling, seed, n_init, max_iter).or_raise(), features.as_ref());
    })
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_kmeans_trans2(state: Internal, features: Option<Array<f64>>, k: Option<i32>, fcinfo: pg_sys::FunctionCallInfo) -> Internal {
    kmeans_trans_0_1(state, features, (k, None, None, None, None), fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_kmeans_trans3(
    state: Internal,
    features: Option<Array<f64>>,
    k: Option<i32>,
    scaling: Option<&str>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    kmeans_trans_0_1(state, features, (k, Some(required(scaling, "scaling")), None, None, None), fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_kmeans_trans4(
    state: Internal,
    features: Option<Array<f64>>,
    k: Option<i32>,
    scaling: Option<&str>,
    seed: Option<i64>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let settings = (k, Some(required(scaling, "scaling")), Some(required(seed, "seed")), None, None);
    kmeans_trans_0_1(state, features, settings, fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_kmeans_trans5(
    state: Internal,
    features: Option<Array<f64>>,
    k: Option<i32>,
    scaling: Option<&str>,
    seed: Option<i64>,
    n_init: Option<i32>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let settings = (k, Some(required(scaling, "scaling")), Some(required(seed, "seed")), Some(required(n_init, "n_init")), None);
    kmeans_trans_0_1(state, features, settings, fcinfo)
}

#[pg_extern(immutable, parallel_safe, sql = false)]
#[allow(clippy::too_many_arguments)]
fn crm_kmeans_trans6(
    state: Internal,
    features: Option<Array<f64>>,
    k: Option<i32>,
    scaling: Option<&str>,
    seed: Option<i64>,
    n_init: Option<i32>,
    max_iter: Option<i32>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Internal {
    let settings = (
        k,
        Some(required(scaling, "scaling")),
        Some(required(seed, "seed")),
        Some(required(n_init, "n_init")),
        Some(required(max_iter, "max_iter")),
    );
    kmeans_trans_0_1(state, features, settings, fcinfo)
}

crate::pg::aggregate_support::parallel_state_functions!(
    KMeansState,
    crm_kmeans_combine,
    crm_kmeans_serialize,
    crm_kmeans_deserialize,
    sql = false
);

#[pg_extern(immutable, parallel_safe, sql = false)]
fn crm_kmeans_final(mut state: Internal) -> Option<crm_kmeans> {
    agg::finish::<KMeansState>(&mut state).and_then(KMeansState::fit)
}
