//! The quantile aggregates `crm_qcut_edges` (pandas qcut bin edges) and `crm_outlier_limits` (the
//! course's outlier limits). Their state, every non-NULL value of a group and the aggregate's
//! constant arguments, is a base type (`state_type`: `crm__qcut_edges_state`,
//! `crm__outlier_limits_state`, text form hex), so Citus computes them on its workers. The math
//! is `crm_core::rfm::quantile` and `crm_core::rfm::outliers`.

use crate::pg::aggregate_support::{check_interrupts, AggState};
use crate::pg::composite::{result_tuple, set};
use crate::pg::errors::{raise, OrRaise};
use crate::pg::row_call::{row_function, RowArgs};
use crate::pg::state_type::{self, state_type_functions, StateType};
use crate::rfm::scoring::bins_arg;
use crm_core::error::{CrmError, CrmResult};
use crm_core::rfm::outliers::outlier_limits;
use crm_core::rfm::quantile::qcut_bins;
use pgrx::pg_sys;
use pgrx::prelude::*;

/// The constant arguments of an aggregate over a sample (every row repeats them; they must agree).
pub(crate) trait SampleParams: Copy + PartialEq + 'static {
    const BYTES: usize;
    /// The SQL state type of the aggregate.
    const STATE_TYPE: &'static str;
    fn methods() -> &'static pg_sys::ExpandedObjectMethods;
    fn describe(&self) -> String;
    fn write(&self, out: &mut Vec<u8>);
    fn read(bytes: &[u8]) -> Self;
}

/// All non-NULL values of a group (quantiles need every value) and the aggregate's parameters.
pub(crate) struct Sample<P> {
    values: Vec<f64>,
    params: Option<P>,
}

impl<P> Default for Sample<P> {
    fn default() -> Self {
        Sample { values: Vec::new(), params: None }
    }
}

impl<P: SampleParams> Sample<P> {
    fn set_params(&mut self, params: P) -> CrmResult<()> {
        match self.params {
            Some(old) if old != params => Err(CrmError::invalid(format!(
                "the parameters differ between rows of one group: {} and {}",
                old.describe(),
                params.describe()
            ))
            .with_hint("pass constants as the parameters of an aggregate")),
            _ => {
                self.params = Some(params);
                Ok(())
            }
        }
    }

    pub(crate) fn add(&mut self, value: Option<f64>, params: P) {
        self.set_params(params).or_raise();
        if let Some(v) = value {
            if !v.is_finite() {
                raise(CrmError::invalid(format!("quantile input must be finite, got {v}")));
            }
            self.values.push(v);
        }
    }

    /// The sorted values and the parameters, `None` without values (the aggregate gives NULL).
    pub(crate) fn sorted(&self) -> Option<(Vec<f64>, P)> {
        if self.values.is_empty() {
            return None;
        }
        let mut v = self.values.clone();
        crm_core::interrupt::sort_floats(&mut v, &mut check_interrupts);
        Some((v, self.params.expect("parameters are set with the first row")))
    }
}

impl<P: SampleParams> AggState for Sample<P> {
    fn merge(&mut self, other: &Self) {
        if let Some(p) = other.params {
            self.set_params(p).or_raise();
        }
        self.values.extend_from_slice(&other.values);
    }

    /// Flag byte and parameters (when set), then the values, all little-endian.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + P::BYTES + 8 * self.values.len());
        out.push(u8::from(self.params.is_some()));
        if let Some(p) = &self.params {
            p.write(&mut out);
        }
        for v in &self.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let corrupt = || -> ! { raise(CrmError::invalid("corrupt aggregate state: sample")) };
        let (params, rest) = match bytes.first() {
            Some(0) => (None, &bytes[1..]),
            Some(1) if bytes.len() > P::BYTES => (Some(P::read(&bytes[1..=P::BYTES])), &bytes[1 + P::BYTES..]),
            _ => corrupt(),
        };
        if rest.len() % 8 != 0 {
            corrupt();
        }
        let values = rest.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        Sample { values, params }
    }

    fn heap_bytes(&self) -> usize {
        crm_core::heap::vec_bytes::<f64>(self.values.capacity())
    }
}

/// Number of bins of `crm_qcut_edges`.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Bins(pub u32);

impl Bins {
    /// The bins of the one-argument form.
    pub const DEFAULT: i32 = 5;

    /// The bins argument of a row: 22004 when NULL, 22023 outside 2..=100.
    pub fn from_arg(bins: Option<i32>) -> Bins {
        Bins(bins_arg(bins.unwrap_or_else(|| raise(CrmError::null_not_allowed("bins must not be null")))))
    }
}

impl SampleParams for Bins {
    const BYTES: usize = 4;
    const STATE_TYPE: &'static str = "crm__qcut_edges_state";
    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &QCUT_STATE_METHODS
    }
    fn describe(&self) -> String {
        format!("bins {}", self.0)
    }
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn read(bytes: &[u8]) -> Self {
        Bins(u32::from_le_bytes(bytes.try_into().expect("4 bytes")))
    }
}

/// Limits of `crm_outlier_limits`: low quantile, high quantile, range multiplier.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct LimitParams(pub [f64; 3]);

impl LimitParams {
    /// Low quantile, high quantile and multiplier of the forms without them (the course's).
    pub const DEFAULTS: [f64; 3] = [0.01, 0.99, 1.5];

    /// The arguments of a row: 22004 when one is NULL.
    pub fn from_args(params: [Option<f64>; 3]) -> LimitParams {
        LimitParams(params.map(|p| {
            p.unwrap_or_else(|| {
                raise(CrmError::null_not_allowed("the quantiles and the multiplier of crm_outlier_limits must not be null"))
            })
        }))
    }
}

impl SampleParams for LimitParams {
    const BYTES: usize = 24;
    const STATE_TYPE: &'static str = "crm__outlier_limits_state";
    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        &OUTLIER_STATE_METHODS
    }
    fn describe(&self) -> String {
        let [l, h, m] = self.0;
        format!("(low_quantile {l}, high_quantile {h}, iqr_multiplier {m})")
    }
    fn write(&self, out: &mut Vec<u8>) {
        for v in self.0 {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    fn read(bytes: &[u8]) -> Self {
        let f = |i: usize| f64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        LimitParams([f(0), f(1), f(2)])
    }
}

extension_sql!(
    r#"
CREATE TYPE crm_outlier_limits_result AS (low double precision, up double precision);
COMMENT ON TYPE crm_outlier_limits_result IS 'Outlier limits: values below low or above up are outliers (crm_outlier_limits, crm_clip).';
"#,
    name = "crm_outlier_limits_result_type"
);

impl<P: SampleParams> StateType for Sample<P> {
    const TYPE_NAME: &'static str = P::STATE_TYPE;
    const FORMAT_VERSION: u8 = 1;
    fn methods() -> &'static pg_sys::ExpandedObjectMethods {
        P::methods()
    }
}

state_type_functions!(
    Sample<Bins>,
    QCUT_STATE_METHODS,
    [pg_finfo_crm__qcut_edges_state_in crm__qcut_edges_state_in],
    [pg_finfo_crm__qcut_edges_state_out crm__qcut_edges_state_out],
    [pg_finfo_crm__qcut_edges_state_send crm__qcut_edges_state_send],
    [pg_finfo_crm__qcut_edges_state_recv crm__qcut_edges_state_recv]
);
state_type_functions!(
    Sample<LimitParams>,
    OUTLIER_STATE_METHODS,
    [pg_finfo_crm__outlier_limits_state_in crm__outlier_limits_state_in],
    [pg_finfo_crm__outlier_limits_state_out crm__outlier_limits_state_out],
    [pg_finfo_crm__outlier_limits_state_send crm__outlier_limits_state_send],
    [pg_finfo_crm__outlier_limits_state_recv crm__outlier_limits_state_recv]
);

/// crm_qcut_edges' transition: the value in argument 1, bins in argument 2 (or 5).
fn qcut_trans(a: &RowArgs, bins_at: Option<usize>) -> pg_sys::Datum {
    let bins = Bins::from_arg(bins_at.map_or(Some(Bins::DEFAULT), |i| a.opt_i32(i)));
    // SAFETY: declared with a crm__qcut_edges_state argument 0.
    unsafe { state_type::transition::<Sample<Bins>>(a.fcinfo(), |s| s.add(a.opt_f64(1), bins)) }
}

/// crm_outlier_limits' transition: the value in argument 1, the quantiles and multiplier in
/// arguments 2..4 when the form has them (else `LimitParams::DEFAULTS`).
fn limits_trans(a: &RowArgs, given: usize) -> pg_sys::Datum {
    let params = LimitParams::from_args(std::array::from_fn(|i| if i < given { a.opt_f64(2 + i) } else { Some(LimitParams::DEFAULTS[i]) }));
    // SAFETY: declared with a crm__outlier_limits_state argument 0.
    unsafe { state_type::transition::<Sample<LimitParams>>(a.fcinfo(), |s| s.add(a.opt_f64(1), params)) }
}

/// pandas' bin edges of a group.
pub(crate) fn qcut_edges(s: &Sample<Bins>) -> Option<Vec<f64>> {
    let (mut values, Bins(bins)) = s.sorted()?;
    Some(qcut_bins(&mut values, bins, &mut check_interrupts).or_raise().to_pandas_bins())
}

/// The outlier limits of a group as a crm_outlier_limits_result (the calling function's type).
pub(crate) fn limits_row(
    s: &Sample<LimitParams>,
    fcinfo: pg_sys::FunctionCallInfo,
) -> Option<pgrx::heap_tuple::PgHeapTuple<'static, pgrx::AllocatedByRust>> {
    let (values, LimitParams([low_q, high_q, multiplier])) = s.sorted()?;
    let limits = outlier_limits(&values, low_q, high_q, multiplier).or_raise();
    let mut t = result_tuple(fcinfo);
    set(&mut t, "low", limits.low);
    set(&mut t, "up", limits.up);
    Some(t)
}

row_function!(pg_finfo_crm__qcut_edges_trans1, crm__qcut_edges_trans1, |a| qcut_trans(a, None));
row_function!(pg_finfo_crm__qcut_edges_trans2, crm__qcut_edges_trans2, |a| qcut_trans(a, Some(2)));
// SAFETY (combine and final): declared with crm__qcut_edges_state arguments.
row_function!(pg_finfo_crm__qcut_edges_combine, crm__qcut_edges_combine, |a| unsafe { state_type::combine::<Sample<Bins>>(a.fcinfo()) });
row_function!(pg_finfo_crm__qcut_edges_final, crm__qcut_edges_final, |a| {
    a.ret_opt(unsafe { state_type::with_state::<Sample<Bins>, _>(a.fcinfo(), 0, qcut_edges) }.flatten())
});
row_function!(pg_finfo_crm__outlier_limits_trans1, crm__outlier_limits_trans1, |a| limits_trans(a, 0));
row_function!(pg_finfo_crm__outlier_limits_trans3, crm__outlier_limits_trans3, |a| limits_trans(a, 2));
row_function!(pg_finfo_crm__outlier_limits_trans4, crm__outlier_limits_trans4, |a| limits_trans(a, 3));
// SAFETY (combine and final): declared with crm__outlier_limits_state arguments.
row_function!(pg_finfo_crm__outlier_limits_combine, crm__outlier_limits_combine, |a| unsafe {
    state_type::combine::<Sample<LimitParams>>(a.fcinfo())
});
row_function!(pg_finfo_crm__outlier_limits_final, crm__outlier_limits_final, |a| {
    a.ret_opt(unsafe { state_type::with_state::<Sample<LimitParams>, _>(a.fcinfo(), 0, |s| limits_row(s, a.fcinfo())) }.flatten())
});

extension_sql!(
    r#"
CREATE TYPE crm__qcut_edges_state;
CREATE FUNCTION crm__qcut_edges_state_in(cstring) RETURNS crm__qcut_edges_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_in';
CREATE FUNCTION crm__qcut_edges_state_out(crm__qcut_edges_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_out';
CREATE FUNCTION crm__qcut_edges_state_send(crm__qcut_edges_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_send';
CREATE FUNCTION crm__qcut_edges_state_recv(internal) RETURNS crm__qcut_edges_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_state_recv';
CREATE TYPE crm__qcut_edges_state (
    INPUT = crm__qcut_edges_state_in, OUTPUT = crm__qcut_edges_state_out,
    SEND = crm__qcut_edges_state_send, RECEIVE = crm__qcut_edges_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__qcut_edges_trans(state crm__qcut_edges_state, value float8)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_trans1';
CREATE FUNCTION crm__qcut_edges_trans(state crm__qcut_edges_state, value float8, bins integer)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_trans2';
CREATE FUNCTION crm__qcut_edges_combine(state crm__qcut_edges_state, other crm__qcut_edges_state)
    RETURNS crm__qcut_edges_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_combine';
CREATE FUNCTION crm__qcut_edges_final(state crm__qcut_edges_state)
    RETURNS float8[] IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__qcut_edges_final';

CREATE TYPE crm__outlier_limits_state;
CREATE FUNCTION crm__outlier_limits_state_in(cstring) RETURNS crm__outlier_limits_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_in';
CREATE FUNCTION crm__outlier_limits_state_out(crm__outlier_limits_state) RETURNS cstring
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_out';
CREATE FUNCTION crm__outlier_limits_state_send(crm__outlier_limits_state) RETURNS bytea
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_send';
CREATE FUNCTION crm__outlier_limits_state_recv(internal) RETURNS crm__outlier_limits_state
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_state_recv';
CREATE TYPE crm__outlier_limits_state (
    INPUT = crm__outlier_limits_state_in, OUTPUT = crm__outlier_limits_state_out,
    SEND = crm__outlier_limits_state_send, RECEIVE = crm__outlier_limits_state_recv,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans1';
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8, low_quantile float8, high_quantile float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans3';
CREATE FUNCTION crm__outlier_limits_trans(state crm__outlier_limits_state, value float8, low_quantile float8, high_quantile float8, iqr_multiplier float8)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_trans4';
CREATE FUNCTION crm__outlier_limits_combine(state crm__outlier_limits_state, other crm__outlier_limits_state)
    RETURNS crm__outlier_limits_state IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_combine';
CREATE FUNCTION crm__outlier_limits_final(state crm__outlier_limits_state)
    RETURNS crm_outlier_limits_result IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', 'crm__outlier_limits_final';

CREATE AGGREGATE crm_qcut_edges(value float8) (
    sfunc = crm__qcut_edges_trans, stype = crm__qcut_edges_state, finalfunc = crm__qcut_edges_final,
    combinefunc = crm__qcut_edges_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_qcut_edges(value float8, bins integer) (
    sfunc = crm__qcut_edges_trans, stype = crm__qcut_edges_state, finalfunc = crm__qcut_edges_final,
    combinefunc = crm__qcut_edges_combine, sspace = 8192, parallel = safe);
COMMENT ON AGGREGATE crm_qcut_edges(float8) IS 'pandas qcut(value, 5) bin edges: {min, q20, q40, q60, q80, max} (linear interpolation, bit for bit as numpy). NULLs are skipped; no values gives NULL; NaN or infinity is an error (22023).';
COMMENT ON AGGREGATE crm_qcut_edges(float8, integer) IS 'pandas qcut(value, bins) bin edges: bins + 1 numbers from the minimum to the maximum; bins in 2..100 and the same in every row.';

CREATE AGGREGATE crm_outlier_limits(value float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
CREATE AGGREGATE crm_outlier_limits(value float8, low_quantile float8, high_quantile float8, iqr_multiplier float8) (
    sfunc = crm__outlier_limits_trans, stype = crm__outlier_limits_state, finalfunc = crm__outlier_limits_final,
    combinefunc = crm__outlier_limits_combine, sspace = 8192, parallel = safe);
COMMENT ON AGGREGATE crm_outlier_limits(float8) IS 'The course''s outlier limits: low = q01 - 1.5 (q99 - q01), up = q99 + 1.5 (q99 - q01), quantiles interpolated as pandas. NULLs are skipped; no values gives NULL.';
COMMENT ON AGGREGATE crm_outlier_limits(float8, float8, float8) IS 'Outlier limits qL - 1.5 (qH - qL), qH + 1.5 (qH - qL) for quantiles 0 <= low_quantile < high_quantile <= 1 (0.25, 0.75 is the textbook IQR rule).';
COMMENT ON AGGREGATE crm_outlier_limits(float8, float8, float8, float8) IS 'Outlier limits qL - m (qH - qL), qH + m (qH - qL) with m = iqr_multiplier >= 0.';
COMMENT ON TYPE crm__qcut_edges_state IS 'Internal: the state of crm_qcut_edges (the values and bins of a group); text form hexadecimal, for Citus''s partial aggregates.';
COMMENT ON TYPE crm__outlier_limits_state IS 'Internal: the state of crm_outlier_limits (the values and limit settings of a group); text form hexadecimal, for Citus''s partial aggregates.';
"#,
    name = "crm_scoring_aggregates",
    requires = ["crm_outlier_limits_result_type"]
);
