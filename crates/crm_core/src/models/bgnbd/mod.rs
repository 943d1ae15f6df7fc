//! BG/NBD model (Fader, Hardie and Lee 2005): summary of (x, t_x, T) rows, maximum-likelihood fit
//! and predictions. See docs/references.md section 4.
//!
//! x = number of REPEAT purchases, t_x = time of the last repeat purchase since the first purchase,
//! T = time since the first purchase, all in one time unit chosen by the caller.

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

pub mod simulate;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::optim::{
    covariance_from_ll_hessian, fit_by_levels, natural, penalised_hessian, penalised_value_grad, LastEvaluation, Objective, SecondOrder,
};
use crate::math::special::{digamma, exprel, ln_beta, ln_gamma, sum_series, trigamma, MAX_SERIES_TERMS};
use crate::summary::counts::Counts;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// All parameters finite and > 0.
pub fn validate_params(p: &BgNbdParams) -> CrmResult<()> {
    for (name, v) in [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("BG/NBD parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

/// Whether x is a number of repeat purchases: finite, non-negative and whole (NaN is not).
#[inline]
pub(crate) fn is_repeat_count(x: f64) -> bool {
    (0.0..f64::INFINITY).contains(&x) && crate::math::special::is_whole_non_negative(x)
}

/// The error for a frequency that is not a number of repeat purchases (BG/NBD and Gamma-Gamma).
#[cold]
pub(crate) fn repeat_count_error(x: f64) -> CrmError {
    CrmError::invalid("frequency must be a non-negative integer (the number of repeat purchases)").with_detail(format!("got {x}"))
}

/// Checks one customer's (x, t_x, T): finite, x a non-negative integer, 0 <= t_x <= T, and
/// t_x = 0 when x = 0.
#[inline]
pub fn validate_customer(x: f64, t_x: f64, t: f64) -> CrmResult<()> {
    if is_valid_customer(x, t_x, t) {
        Ok(())
    } else {
        customer_error(x, t_x, t).map_or(Ok(()), Err)
    }
}

/// [`validate_customer`] as one test (NaN fails every comparison).
#[inline]
fn is_valid_customer(x: f64, t_x: f64, t: f64) -> bool {
    is_repeat_count(x) && t < f64::INFINITY && t_x >= 0.0 && t_x <= t && (x != 0.0 || t_x == 0.0)
}

#[cold]
#[inline(never)]
fn customer_error(x: f64, t_x: f64, t: f64) -> Option<CrmError> {
    if !is_repeat_count(x) {
        return Some(repeat_count_error(x));
    }
    if !(t.is_finite() && t >= 0.0) {
        return Some(CrmError::invalid("customer age T must be a finite non-negative number").with_detail(format!("got {t}")));
    }
    if !(t_x.is_finite() && t_x >= 0.0 && t_x <= t) {
        return Some(CrmError::invalid("recency must be between 0 and T").with_detail(format!("got recency {t_x} with T {t}")).with_hint(
            "recency is the time from the first to the last purchase, T the time from the first purchase to the end of the period",
        ));
    }
    if x == 0.0 && t_x != 0.0 {
        return Some(
            CrmError::invalid("recency must be 0 for a customer without repeat purchases")
                .with_detail(format!("got frequency 0 and recency {t_x}")),
        );
    }
    None
}

pub(crate) fn validate_horizon(horizon: f64) -> CrmResult<()> {
    if !(horizon.is_finite() && horizon >= 0.0) {
        return Err(CrmError::invalid("prediction horizon must be a finite non-negative number").with_detail(format!("got {horizon}")));
    }
    Ok(())
}

/// Distinct (x, t_x, T) rows with counts. Keys are (x, t_x bits, T bits); for non-negative
/// floats the bit order is the numeric order, so the sorted read-out is in numeric order.
/// Customers without repeat purchases (x = 0, t_x = 0; most customers in most data) are kept
/// apart by T alone: half the bytes to sort and store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BgNbdSummary {
    /// x = 0: T bits with counts.
    zeros: Counts<u64>,
    /// x > 0: (x, t_x bits, T bits) with counts.
    rows: Counts<(u64, u64, u64)>,
}

/// The summary key of a valid customer: (x, t_x bits, T bits), + 0.0 turning -0.0 into 0.0 so
/// that both land on one key.
#[inline]
fn customer_key(x: f64, t_x: f64, t: f64) -> (u64, u64, u64) {
    (x as u64, (t_x + 0.0).to_bits(), (t + 0.0).to_bits())
}

const BG_MAGIC: [u8; 4] = *b"BGN\x02";

impl BgNbdSummary {
    /// Bytes this holds on the heap, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.zeros.heap_bytes() + self.rows.heap_bytes()
    }

    #[inline]
    pub fn add(&mut self, x: f64, t_x: f64, t: f64) -> CrmResult<()> {
        self.add_weighted(x, t_x, t, 1)
    }

    /// Adds one customer when (x, t_x, T) is valid and returns whether it did: the per-row path
    /// of the aggregate, which asks [`BgNbdSummary::add`] for the error only when this fails.
    #[inline]
    pub fn add_if_valid(&mut self, x: f64, t_x: f64, t: f64) -> bool {
        let valid = is_valid_customer(x, t_x, t);
        if valid {
            self.add_key(customer_key(x, t_x, t), 1);
        }
        valid
    }

    /// Adds `count` customers with the same (x, t_x, T); count 0 adds nothing.
    pub fn add_weighted(&mut self, x: f64, t_x: f64, t: f64, count: u64) -> CrmResult<()> {
        validate_customer(x, t_x, t)?;
        if count > 0 {
            self.add_key(customer_key(x, t_x, t), count);
        }
        Ok(())
    }

    /// A validated key (see [`customer_key`]).
    #[inline]
    fn add_key(&mut self, key: (u64, u64, u64), count: u64) {
        if key.0 == 0 {
            self.zeros.add(key.2, count);
        } else {
            self.rows.add(key, count);
        }
    }

    /// The distinct rows (x, t_x, T, count) in key order: customers without repeat purchases
    /// first by T, then by (x, t_x, T).
    pub fn rows(&self) -> Vec<(u64, f64, f64, u64)> {
        let (zeros, rows) = (self.zeros.sorted_slice(), self.rows.sorted_slice());
        let zeros = zeros.iter().map(|&(t, c)| (0, 0.0, f64::from_bits(t), c));
        zeros.chain(rows.iter().map(|&((x, tx, t), c)| (x, f64::from_bits(tx), f64::from_bits(t), c))).collect()
    }

    /// A summary of rows (x, t_x, T, count) in any order, repeated rows added up. Errors (22023)
    /// name the first invalid row: an invalid customer (see [`validate_customer`]) or count 0.
    pub fn from_rows(rows: &[(u64, f64, f64, u64)], check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let mut summary = BgNbdSummary::default();
        let mut countdown = Countdown::new(check_interrupt);
        for (i, &(x, t_x, t, count)) in rows.iter().enumerate() {
            countdown.tick();
            let row_error = |e: CrmError| e.with_detail(format!("row {} of the summary: ({x}, {t_x}, {t}, {count})", i + 1));
            if count == 0 {
                return Err(row_error(CrmError::invalid("a summary row must count at least one customer")));
            }
            if x as f64 as u64 != x {
                return Err(row_error(CrmError::invalid("frequency is not exactly representable as a double")));
            }
            summary.add_weighted(x as f64, t_x, t, count).map_err(row_error)?;
        }
        summary.compact();
        Ok(summary)
    }

    pub fn merge(&mut self, other: &BgNbdSummary) {
        self.zeros.merge(&other.zeros);
        self.rows.merge(&other.rows);
    }

    pub fn customers(&self) -> u64 {
        self.zeros.total().saturating_add(self.rows.total())
    }

    pub fn distinct(&self) -> usize {
        self.zeros.len() + self.rows.len()
    }

    /// Merges buffered rows so that a fit reads the rows without copying them.
    pub fn compact(&mut self) {
        self.zeros.compact();
        self.rows.compact();
    }

    /// Layout: magic "BGN" + version 2, u64 LE counts of the rows without and with repeat
    /// purchases, then those rows (T) and (x, t_x, T) with their counts, each in key order, in
    /// the compact form of [`crate::summary::keys`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let (zeros, rows) = (self.zeros.sorted_slice(), self.rows.sorted_slice());
        let mut out = Vec::with_capacity(20 + 10 * zeros.len() + 20 * rows.len());
        out.extend_from_slice(&BG_MAGIC);
        out.extend_from_slice(&(zeros.len() as u64).to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        crate::summary::keys::encode(zeros.iter().map(|&(t, c)| ([t], c)), &mut out);
        crate::summary::keys::encode(rows.iter().map(|&((x, tx, t), c)| ([x, tx, t], c)), &mut out);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized BG/NBD summary").with_detail(what.to_string());
        if bytes.len() < 20 || bytes[..4] != BG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let (n_zeros, n_rows) = (u64_at(bytes, 4), u64_at(bytes, 12));
        let mut summary = BgNbdSummary::default();
        let check = |i: u64, (x, tx, t): (u64, u64, u64)| -> CrmResult<()> {
            validate_customer(x as f64, f64::from_bits(tx), f64::from_bits(t)).map_err(|e| bad(&format!("row {i}: {}", e.message)))?;
            if (x as f64) as u64 != x || f64::from_bits(tx).to_bits() != (f64::from_bits(tx) + 0.0).to_bits() {
                return Err(bad(&format!("row {i}: non-canonical value")));
            }
            Ok(())
        };
        let body = &bytes[20..];
        // in key order, checked by the decoder: no buffering and no sort
        let used = crate::summary::keys::decode::<1>(body, n_zeros, |i, [t], count| {
            check(i, (0, 0, t))?;
            summary.zeros.push_sorted(t, count);
            Ok(())
        })?;
        let rest = &body[used..];
        let used_rows = crate::summary::keys::decode::<3>(rest, n_rows, |i, [x, tx, t], count| {
            if x == 0 {
                return Err(bad(&format!("row {}: frequency 0 among the repeat buyers", n_zeros + i)));
            }
            check(n_zeros + i, (x, tx, t))?;
            summary.rows.push_sorted((x, tx, t), count);
            Ok(())
        })?;
        if used_rows != rest.len() {
            return Err(bad("bytes after the last row"));
        }
        Ok(summary)
    }
}

pub(crate) fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().expect("8 bytes"))
}

/// Most repeat purchases (frequency) of a customer that the BG/NBD and Gamma-Gamma fits take.
/// Beyond it the log-likelihood's terms (log-gamma functions of about x ln x) are so large
/// that their rounding swamps the differences the fit needs: at 1e12 the optimiser cannot
/// leave its start. Predictions take any frequency.
pub const MAX_FIT_FREQUENCY: u64 = 1_000_000_000;

/// The error (22003) of a fit given a frequency above [`MAX_FIT_FREQUENCY`].
pub(crate) fn check_fit_frequency(model: &str, max_x: u64) -> CrmResult<()> {
    if max_x <= MAX_FIT_FREQUENCY {
        return Ok(());
    }
    Err(CrmError::out_of_range(format!("frequency must be at most {MAX_FIT_FREQUENCY} repeat purchases to fit {model}, got {max_x}"))
        .with_detail("the log-likelihood cannot be evaluated precisely enough for such counts")
        .with_hint("frequency is the number of repeat purchases (purchase periods - 1), not an amount"))
}

/// Options of the BG/NBD and Gamma-Gamma fits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitOptions {
    /// L2 penalty c of the `lifetimes` library: the objective is -(mean log-likelihood) +
    /// c * sum(params^2), BG/NBD alpha taken in time scaled by 1/max(T). 0 = maximum likelihood.
    pub penalizer: f64,
    /// Maximum number of optimiser iterations (over all restarts).
    pub max_iter: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { penalizer: 0.0, max_iter: 1000 }
    }
}

impl FitOptions {
    pub fn validate(&self) -> CrmResult<()> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(CrmError::invalid("penalizer must be a finite non-negative number").with_detail(format!("got {}", self.penalizer)));
        }
        if self.max_iter == 0 {
            return Err(CrmError::invalid("max_iter must be at least 1"));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    pub params: BgNbdParams,
    /// Plain (unpenalised) sum of log-likelihoods at `params`, in the data's own time unit.
    pub log_likelihood: f64,
    /// Standard errors of (r, alpha, a, b): square roots of the covariance diagonal.
    pub std_errors: Option<[f64; 4]>,
    /// Inverse of the Hessian of the negative sum log-likelihood in natural parameters; None
    /// when that Hessian is not positive definite (e.g. a parameter at the boundary).
    pub covariance: Option<[[f64; 4]; 4]>,
    pub iterations: u64,
    pub converged: bool,
    pub customers: u64,
}

/// The summary (or a coarse copy) in evaluation form: its rows as stored, read in order (a scan
/// per evaluation, no lookups and no converted copy), and the sums per distinct x. The
/// optimiser works in time scaled by `scale` (1 / max T, as `lifetimes` does, which sets its
/// start and the meaning of the penalizer); the rows keep the data's unit, and evaluations
/// convert (alpha / scale).
struct FitData<'a> {
    /// Distinct x (0 included) with their total weights.
    xs: Vec<f64>,
    x_weight: Vec<f64>,
    /// x = 0 rows: T bits and count.
    zeros: &'a ZeroRows,
    /// x > 0 rows in x order: (x, t_x bits, T bits) and count.
    rows: &'a KeyRows,
    /// Per distinct x > 0: its index in `xs` and the end of its rows in `rows`.
    groups: Vec<(usize, usize)>,
    total_weight: f64,
    /// Sum of weight * x (for the time-scale correction of the log-likelihood).
    sum_wx: f64,
    scale: f64,
}

/// Summary rows of x > 0 as stored: (x, t_x bits, T bits) with counts, ascending.
type KeyRows = [((u64, u64, u64), u64)];
/// Summary rows of x = 0 as stored: T bits with counts, ascending.
type ZeroRows = [(u64, u64)];
/// A coarse copy of the rows: x = 0 rows and x > 0 rows, as stored in a summary.
type CoarseCopy = (Vec<(u64, u64)>, Vec<((u64, u64, u64), u64)>);

/// 1 / max T of the rows: the optimiser's time scale. Err when every T is 0.
fn time_scale(zeros: &ZeroRows, rows: &KeyRows, countdown: &mut Countdown) -> CrmResult<f64> {
    let max_t = zeros
        .iter()
        .map(|r| f64::from_bits(r.0))
        .chain(rows.iter().map(|r| f64::from_bits(r.0 .2)))
        .inspect(|_| countdown.tick())
        .fold(0.0, f64::max);
    if max_t <= 0.0 {
        return Err(CrmError::invalid("cannot fit BG/NBD: every customer has T = 0")
            .with_hint("T is the time since the first purchase; the data carry no information yet"));
    }
    Ok(1.0 / max_t)
}

impl<'a> FitData<'a> {
    /// From the summary's x = 0 rows (T bits, count) and x > 0 rows in ascending x order.
    fn new(zeros: &'a ZeroRows, rows: &'a KeyRows, scale: f64, countdown: &mut Countdown) -> Self {
        let mut d =
            FitData { xs: Vec::new(), x_weight: Vec::new(), zeros, rows, groups: Vec::new(), total_weight: 0.0, sum_wx: 0.0, scale };
        if !zeros.is_empty() {
            d.total_weight = zeros.iter().inspect(|_| countdown.tick()).map(|&(_, c)| c as f64).sum();
            d.xs.push(0.0);
            d.x_weight.push(d.total_weight);
        }
        // Runs of one x. The weights are whole numbers: the sums are exact (below 2^53).
        let mut rest = rows;
        while let Some(&((x, _, _), _)) = rest.first() {
            let n = rest.iter().inspect(|_| countdown.tick()).position(|r| r.0 .0 != x).unwrap_or(rest.len());
            let w: f64 = rest[..n].iter().inspect(|_| countdown.tick()).map(|r| r.1 as f64).sum();
            d.groups.push((d.xs.len(), rows.len() - rest.len() + n));
            d.xs.push(x as f64);
            d.x_weight.push(w);
            d.total_weight += w;
            d.sum_wx += w * x as f64;
            rest = &rest[n..];
        }
        d
    }

    /// Sum log-likelihood (scaled time) and its gradient in natural parameters (r, alpha, a, b).
    fn ll_grad(&self, p: &BgNbdParams, g: &mut [f64; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        self.eval::<false>(p, g, &mut [[0.0; 4]; 4], check_interrupt)
    }

    /// Sum log-likelihood (scaled time), its gradient and, when `HESS`, its Hessian in natural
    /// parameters (r, alpha, a, b). Per x > 0 row the bracket is A + B with ln A = L1 =
    /// -k ln(alpha+T), ln B = L2 = ln a - ln(b+x-1) - k ln(alpha+t_x); with shares w1, w2 of A
    /// and B, d ln(A+B) = w1 dL1 + w2 dL2 and d2 ln(A+B) = w1 d2L1 + w2 d2L2 + w1 w2 D D^T,
    /// D = dL1 - dL2 = (ln(alpha+t_x) - ln(alpha+T), k (1/(alpha+t_x) - 1/(alpha+T)), -1/a, 1/(b+x-1)).
    /// Sums over the rows of one x are taken first and multiplied by that x's constants after.
    /// `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] rows.
    fn eval<const HESS: bool>(&self, p: &BgNbdParams, g: &mut [f64; 4], h: &mut [[f64; 4]; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        let mut countdown = Countdown::new(check_interrupt);
        // In the data's unit: alpha / scale; the results are converted back at the end.
        let BgNbdParams { r, a, b, .. } = *p;
        let alpha = p.alpha / self.scale;
        let ln_alpha = alpha.ln();
        let (lg_r, dg_r, lg_b, lg_ab, dg_b, dg_ab) = (ln_gamma(r), digamma(r), ln_gamma(b), ln_gamma(a + b), digamma(b), digamma(a + b));
        let (tg_r, tg_b, tg_ab) = if HESS { (trigamma(r), trigamma(b), trigamma(a + b)) } else { (0.0, 0.0, 0.0) };
        let mut ll = 0.0;
        let mut gr = [0.0; 4];
        let mut hs = [[0.0; 4]; 4];
        // Per distinct x: lnG(r+x) - lnG(r) + r ln alpha + ln B(a, b+x) - ln B(a, b).
        for (&x, &w) in self.xs.iter().zip(&self.x_weight) {
            countdown.tick();
            let (lg_bx, lg_abx) = (ln_gamma(b + x), ln_gamma(a + b + x));
            let (dg_bx, dg_abx) = (digamma(b + x), digamma(a + b + x));
            ll += w * (ln_gamma(r + x) - lg_r + r * ln_alpha + lg_bx - lg_abx - lg_b + lg_ab);
            gr[0] += w * (digamma(r + x) - dg_r + ln_alpha);
            gr[1] += w * r / alpha;
            gr[2] += w * (dg_ab - dg_abx);
            gr[3] += w * (dg_bx - dg_abx - dg_b + dg_ab);
            if HESS {
                let tg_abx = trigamma(a + b + x);
                hs[0][0] += w * (trigamma(r + x) - tg_r);
                hs[0][1] += w / alpha;
                hs[1][1] -= w * r / (alpha * alpha);
                hs[2][2] += w * (tg_ab - tg_abx);
                hs[2][3] += w * (tg_ab - tg_abx);
                hs[3][3] += w * (trigamma(b + x) - tg_abx - tg_b + tg_ab);
            }
        }
        // x = 0: the bracket is (alpha + T)^-r.
        let (mut s_ln, mut s_inv, mut s_inv2) = (0.0, 0.0, 0.0);
        for &(t, c) in self.zeros {
            countdown.tick();
            let (t, w) = (f64::from_bits(t), c as f64);
            let inv = 1.0 / (alpha + t);
            s_ln += w * (alpha + t).ln();
            s_inv += w * inv;
            s_inv2 += w * inv * inv;
        }
        ll -= r * s_ln;
        gr[0] -= s_ln;
        gr[1] -= r * s_inv;
        hs[0][1] -= s_inv;
        hs[1][1] += r * s_inv2;
        // x > 0: ln[(alpha+T)^-k + a/(b+x-1) (alpha+t_x)^-k] by log-sum-exp; w2 = share of term 2.
        let ln_a = a.ln();
        let (mut s_w2, mut s_w2_ib, mut s_w2_ib2) = (0.0, 0.0, 0.0);
        // Weighted sums of w1 w2 times the products of D's components (the D D^T term).
        let [mut s, mut s0, mut s1, mut sb, mut s00, mut s01, mut s11, mut s0b, mut s1b, mut sbb] = [0.0; 10];
        let mut start = 0;
        for &(xi, end) in &self.groups {
            let x = self.xs[xi];
            let k = r + x;
            let bx1 = b + (x - 1.0);
            let (ln_ratio, ib) = (ln_a - bx1.ln(), 1.0 / bx1);
            // Group sums: w w2; w (w1 ln(alpha+T) + w2 ln(alpha+t_x)); the same with 1/(alpha+.)
            // and 1/(alpha+.)^2; and w w1 w2 times 1, d0, e, d0^2, d0 e, e^2 with
            // d0 = ln(alpha+t_x) - ln(alpha+T), e = 1/(alpha+t_x) - 1/(alpha+T).
            let [mut g_w2, mut g_ln, mut g_inv, mut g_inv2] = [0.0; 4];
            let [mut q, mut q0, mut qe, mut q00, mut q0e, mut qee] = [0.0; 6];
            for &((_, tx, t), c) in &self.rows[start..end] {
                countdown.tick();
                let (at, atx, w) = (alpha + f64::from_bits(t), alpha + f64::from_bits(tx), c as f64);
                let (lt, ltx) = (at.ln(), atx.ln());
                let l1 = -k * lt;
                let l2 = ln_ratio - k * ltx;
                let e = -(l1 - l2).abs();
                let ex = e.exp();
                let share_lo = ex / (1.0 + ex);
                let w2 = if l1 >= l2 { share_lo } else { 1.0 - share_lo };
                let w1 = 1.0 - w2;
                ll += w * (l1.max(l2) + ex.ln_1p());
                g_w2 += w * w2;
                g_ln += w * (w1 * lt + w2 * ltx);
                let (it, itx) = (1.0 / at, 1.0 / atx);
                g_inv += w * (w1 * it + w2 * itx);
                if HESS {
                    g_inv2 += w * (w1 * it * it + w2 * itx * itx);
                    let ww = w * w1 * w2;
                    let (d0, de) = (ltx - lt, itx - it);
                    q += ww;
                    q0 += ww * d0;
                    qe += ww * de;
                    q00 += ww * d0 * d0;
                    q0e += ww * d0 * de;
                    qee += ww * de * de;
                }
            }
            start = end;
            gr[0] -= g_ln;
            gr[1] -= k * g_inv;
            s_w2 += g_w2;
            s_w2_ib += g_w2 * ib;
            if HESS {
                hs[0][1] -= g_inv;
                hs[1][1] += k * g_inv2;
                s_w2_ib2 += g_w2 * ib * ib;
                // D D^T with D = (d0, k e, -1/a, ib): the 1/a factors are applied below.
                s += q;
                s0 += q0;
                s1 += k * qe;
                sb += ib * q;
                s00 += q00;
                s01 += k * q0e;
                s11 += k * k * qee;
                s0b += ib * q0;
                s1b += k * ib * qe;
                sbb += ib * ib * q;
            }
        }
        gr[2] += s_w2 / a;
        gr[3] -= s_w2_ib;
        // Scaled time: ln L changes by -sum(w x) ln(scale), d/d alpha_scaled = d/d alpha / scale.
        gr[1] /= self.scale;
        *g = gr;
        if HESS {
            let ia = 1.0 / a;
            hs[0][0] += s00;
            hs[0][1] += s01;
            hs[1][1] += s11;
            hs[0][2] -= ia * s0;
            hs[0][3] += s0b;
            hs[1][2] -= ia * s1;
            hs[1][3] += s1b;
            hs[2][2] += ia * ia * s - s_w2 * ia * ia;
            hs[2][3] -= ia * sb;
            hs[3][3] += sbb + s_w2_ib2;
            for i in 0..4 {
                hs[1][i] /= self.scale;
                hs[i][1] /= self.scale;
            }
            for i in 0..4 {
                for j in 0..i {
                    hs[i][j] = hs[j][i];
                }
            }
            *h = hs;
        }
        ll - self.sum_wx * self.scale.ln()
    }
}

/// -(mean LL) + c * sum(params^2) on log-parameters (scaled time), as in `lifetimes`. Remembers
/// its last second-order evaluation: the fit ends one unevaluated Newton step from it, so the
/// log-likelihood and standard errors need no further pass over the rows.
struct PenalisedObjective<'a> {
    data: &'a FitData<'a>,
    penalizer: f64,
    last: LastEvaluation<4>,
}

fn params_of(p: &[f64; 4]) -> BgNbdParams {
    BgNbdParams { r: p[0], alpha: p[1], a: p[2], b: p[3] }
}

impl<'a> PenalisedObjective<'a> {
    fn new(data: &'a FitData<'a>, penalizer: f64) -> Self {
        PenalisedObjective { data, penalizer, last: LastEvaluation::default() }
    }

    /// LL and its Hessian at the estimate (natural parameters, scaled time).
    fn at_estimate(&self, p: &[f64; 4], check_interrupt: &mut dyn FnMut()) -> (f64, [[f64; 4]; 4]) {
        self.last.at_estimate(p, || {
            let (mut g, mut h) = ([0.0; 4], [[0.0; 4]; 4]);
            let ll = self.data.eval::<true>(&params_of(p), &mut g, &mut h, check_interrupt);
            (ll, h)
        })
    }
}

impl Objective for PenalisedObjective<'_> {
    fn value_grad(&self, theta: &[f64], grad: &mut [f64], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<4>(theta) else { return f64::INFINITY };
        let mut g = [0.0; 4];
        let ll = self.data.ll_grad(&params_of(&p), &mut g, check_interrupt);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

impl SecondOrder<4> for PenalisedObjective<'_> {
    fn value_grad_hess(&self, theta: &[f64; 4], grad: &mut [f64; 4], hess: &mut [[f64; 4]; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<4>(theta) else { return f64::INFINITY };
        let (mut g, mut h) = ([0.0; 4], [[0.0; 4]; 4]);
        let ll = self.data.eval::<true>(&params_of(&p), &mut g, &mut h, check_interrupt);
        self.last.record(p, ll, g, h);
        *hess = penalised_hessian(&p, &g, &h, self.data.total_weight, self.penalizer);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

/// Summaries with more distinct rows than this are first fitted on coarse copies (see [`fit`]).
const COARSE_ABOVE: usize = 20_000;
/// Cells per octave of the finer coarse copy, as a power of two (8); the coarsest has half.
const COARSE_OCTAVE_BITS: u32 = 3;
/// Cells never get finer than this (1024 per octave), whatever x.
const MAX_OCTAVE_BITS: u32 = 10;

/// Count, sum of t_x and sum of T (weighted) of the rows in one coarse cell.
#[derive(Clone, Copy, Default)]
struct Cell {
    count: u64,
    sum_tx: f64,
    sum_t: f64,
}

impl Cell {
    fn add(&mut self, count: u64, tx: f64, t: f64) {
        let w = count as f64;
        self.count = self.count.saturating_add(count);
        self.sum_tx += w * tx;
        self.sum_t += w * t;
    }

    /// The cell's rows as one row at their mean t_x and T (bits) with their total count.
    fn take(&mut self) -> Option<(u64, u64, u64)> {
        let c = std::mem::take(self);
        (c.count > 0).then(|| (c.count, (c.sum_tx / c.count as f64).to_bits(), (c.sum_t / c.count as f64).to_bits()))
    }
}

/// The cells of the coarse copies: in u = log2(tau + t) with tau = max T / 64, 2^bits cells per
/// unit of u (per octave of tau + t), and 2^(bits + 1) cells per octave in the next finer copy,
/// each cell the union of two. Cells are narrow where ln(alpha + t) bends most (t near 0) and
/// wide where it is flat; the rows of x get sqrt(x) times narrower cells, because their terms
/// -(r + x) ln(alpha + t) bend r + x times more. The cell of t is read off the bits of the
/// float tau + t (exponent and leading mantissa bits: u to within a piecewise-linear step), an
/// addition and a shift per row.
#[derive(Clone, Copy)]
struct LogGrid {
    tau: f64,
    bits: u32,
    /// Index of the cell of max T: the last one.
    last: usize,
}

impl LogGrid {
    fn new(scale: f64, bits: u32) -> Self {
        let tau = 1.0 / (64.0 * scale);
        let mut g = LogGrid { tau, bits, last: usize::MAX };
        g.last = g.cell(1.0 / scale, MAX_OCTAVE_BITS);
        g
    }

    /// Cell bits for the rows of x: `bits` + half the bit length of x, at most MAX_OCTAVE_BITS.
    fn bits_for(&self, x: u64) -> u32 {
        (self.bits + (u64::BITS - x.leading_zeros()) / 2).min(MAX_OCTAVE_BITS)
    }

    /// The cell of time t (>= 0) at `bits` cells per octave (a power of two).
    fn cell(&self, t: f64, bits: u32) -> usize {
        let shift = f64::MANTISSA_DIGITS - 1 - bits;
        ((((t + self.tau).to_bits() >> shift) - (self.tau.to_bits() >> shift)) as usize).min(self.last)
    }
}

/// The rows merged by the cells of `grid` in t_x and T ([`LogGrid`]). Each cell becomes one
/// row at its rows' mean t_x and T (in the data's unit): the log-likelihood is smooth in the
/// times, so moving rows to their cell's mean changes it to second order in the cell width.
/// x = 0 rows come first, each x's rows together. Within one x the rows come with t_x
/// ascending, hence cells of t_x too: the T cells of one (x, t_x cell) are collected in an
/// array and written out in order.
fn coarse_rows(zeros: &ZeroRows, rows: &KeyRows, grid: LogGrid, countdown: &mut Countdown) -> CoarseCopy {
    let mut cells = vec![Cell::default(); grid.last + 1];
    for &(t, n) in zeros {
        countdown.tick();
        cells[grid.cell(f64::from_bits(t), grid.bits)].add(n, 0.0, f64::from_bits(t));
    }
    let coarse_zeros = cells.iter_mut().filter_map(Cell::take).map(|(n, _, t)| (t, n)).collect();
    let mut out = Vec::new();
    // The cells used since the last flush: lo..=hi (empty when lo > hi).
    let (mut lo, mut hi) = (usize::MAX, 0);
    let mut flush = |x: u64, cells: &mut [Cell], lo: &mut usize, hi: &mut usize| {
        if *lo <= *hi {
            out.extend(cells[*lo..=*hi].iter_mut().filter_map(Cell::take).map(|(n, tx, t)| ((x, tx, t), n)));
        }
        (*lo, *hi) = (usize::MAX, 0);
    };
    let mut current = None;
    for &((x, tx, t), n) in rows {
        countdown.tick();
        let bits = grid.bits_for(x);
        let key = (x, grid.cell(f64::from_bits(tx), bits));
        if current != Some(key) {
            if let Some((done, _)) = current.replace(key) {
                flush(done, &mut cells, &mut lo, &mut hi);
            }
        }
        let c = grid.cell(f64::from_bits(t), bits);
        (lo, hi) = (lo.min(c), hi.max(c));
        cells[c].add(n, f64::from_bits(tx), f64::from_bits(t));
    }
    if let Some((done, _)) = current {
        flush(done, &mut cells, &mut lo, &mut hi);
    }
    (coarse_zeros, out)
}

/// Maximum-likelihood (or `lifetimes`-style penalised) fit on log-parameters, starting where
/// `lifetimes` starts (every log-parameter 0.1, time scaled by 1/max T): L-BFGS, on coarse
/// copies of the rows (rows merged by cells in t_x and T, [`LogGrid`]) when there are many
/// distinct rows, then Newton steps with the analytic Hessian on each copy and on all rows
/// (falling back to L-BFGS where Newton declines). Standard errors come from the analytic Hessian at the estimate.
/// Deterministic for a given summary. Err on an empty summary, a frequency above
/// [`MAX_FIT_FREQUENCY`] (22003) or a non-finite result. `converged` is false when the optimiser
/// stopped at a point whose gradient is not small or never left the start.
pub fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<BgNbdFit> {
    opts.validate()?;
    let (zeros, rows) = (summary.zeros.sorted_slice(), summary.rows.sorted_slice());
    if zeros.is_empty() && rows.is_empty() {
        return Err(CrmError::invalid("cannot fit BG/NBD on zero customers"));
    }
    // Rows are in ascending x: the last has the largest.
    check_fit_frequency("BG/NBD", rows.last().map_or(0, |r| r.0 .0))?;
    // Passes over all rows before the optimiser's: cancel checks every 2^15 rows.
    let countdown = &mut Countdown::new(&mut *check_interrupt);
    let scale = time_scale(&zeros, &rows, countdown)?;
    let data = FitData::new(&zeros, &rows, scale, countdown);
    let objective = PenalisedObjective::new(&data, opts.penalizer);
    // Coarse copies, coarsest first: 8 cells per octave and, when that still leaves many rows,
    // 4. Their optima approach the real one by a factor of about 4 per halving of the cells
    // (second order): the real level starts at the Richardson extrapolation of the two.
    let mut coarse_copies = Vec::new();
    if zeros.len() + rows.len() > COARSE_ABOVE {
        let (z, r) = coarse_rows(&zeros, &rows, LogGrid::new(scale, COARSE_OCTAVE_BITS), countdown);
        if z.len() + r.len() > COARSE_ABOVE / 4 {
            coarse_copies.push(coarse_rows(&z, &r, LogGrid::new(scale, COARSE_OCTAVE_BITS - 1), countdown));
        }
        coarse_copies.push((z, r));
    }
    let coarse: Vec<FitData> = coarse_copies.iter().map(|(z, r)| FitData::new(z, r, scale, countdown)).collect();
    let coarse: Vec<PenalisedObjective> = coarse.iter().map(|data| PenalisedObjective::new(data, opts.penalizer)).collect();
    let levels: Vec<&PenalisedObjective> = coarse.iter().chain([&objective]).collect();
    let m = fit_by_levels(&levels, 1.0 / 3.0, opts.max_iter, check_interrupt)?;
    let e = |i: usize| m.theta[i].exp();
    let scaled = BgNbdParams { r: e(0), alpha: e(1), a: e(2), b: e(3) };
    let params = BgNbdParams { alpha: scaled.alpha / scale, ..scaled };
    validate_params(&params).map_err(|_| {
        CrmError::out_of_range("BG/NBD fit did not reach finite parameters")
            .with_detail(format!("r = {}, alpha = {}, a = {}, b = {}", params.r, params.alpha, params.a, params.b))
            .with_hint("try a small penalizer such as 0.001, or check the time unit of recency and T")
    })?;
    let (ll_scaled, mut h) = objective.at_estimate(&[scaled.r, scaled.alpha, scaled.a, scaled.b], check_interrupt);
    // ln L in the data's unit = ln L in scaled time + sum(w x) ln(scale).
    let log_likelihood = ll_scaled + data.sum_wx * data.scale.ln();
    if !log_likelihood.is_finite() {
        return Err(
            CrmError::out_of_range("BG/NBD fit ended at a non-finite log-likelihood").with_hint("try a small penalizer such as 0.001")
        );
    }
    // d/d alpha = scale * d/d alpha_scaled.
    for i in 0..4 {
        h[1][i] *= data.scale;
        h[i][1] *= data.scale;
    }
    let cov = h.iter().flatten().all(|v| v.is_finite()).then(|| covariance_from_ll_hessian(&h)).flatten();
    Ok(BgNbdFit {
        params,
        log_likelihood,
        std_errors: cov.map(|c| c.1),
        covariance: cov.map(|c| c.0),
        iterations: m.iterations,
        converged: m.converged,
        customers: summary.customers(),
    })
}

/// Log-likelihood of one customer; -inf (never NaN) for invalid parameters or data.
pub fn log_likelihood(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    if validate_params(p).is_err() || validate_customer(x, t_x, t).is_err() {
        return f64::NEG_INFINITY;
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let k = r + x;
    let head = ln_gamma(k) - ln_gamma(r) + r * alpha.ln() + ln_beta(a, b + x) - ln_beta(a, b);
    let l1 = -k * (alpha + t).ln();
    if x == 0.0 {
        return head + l1;
    }
    let l2 = a.ln() - (b + (x - 1.0)).ln() - k * (alpha + t_x).ln();
    let (hi, lo) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
    head + hi + (lo - hi).exp().ln_1p()
}

/// P(alive at T | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).
pub fn p_alive(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_params(p)?;
    p_alive_valid_params(p, x, t_x, t)
}

/// [`p_alive`] for parameters already validated (per-row scoring validates them once).
pub(crate) fn p_alive_valid_params(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_customer(x, t_x, t)?;
    Ok(p_alive_given(&AliveConstants::new(p, x), p.alpha, t_x, t))
}

/// The parts of P(alive) that depend on x only: for x > 0, ln(a / (b + x - 1)) and r + x.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AliveConstants {
    /// None for x = 0 (always alive at T).
    odds: Option<(f64, f64)>,
}

impl AliveConstants {
    pub(crate) fn new(p: &BgNbdParams, x: f64) -> Self {
        AliveConstants { odds: (x > 0.0).then(|| (p.a.ln() - (p.b + (x - 1.0)).ln(), p.r + x)) }
    }
}

/// P(alive at T) from x's constants, for a validated customer.
#[inline]
pub(crate) fn p_alive_given(c: &AliveConstants, alpha: f64, t_x: f64, t: f64) -> f64 {
    match c.odds {
        None => 1.0,
        Some((ln_ratio, k)) => 1.0 / (1.0 + (ln_ratio + k * ((t - t_x) / (alpha + t_x)).ln_1p()).exp()),
    }
}

/// E[purchases in (T, T + h] | alive at T] for a customer with x repeat purchases and age T:
/// E_p[(1 - (1 + p s)^-k) / p] with p ~ Beta(a, b + x), k = r + x and s = h / (alpha + T). It is
/// finite for every a > 0; the usual (a+b+x-1)/(a-1) [1 - ... 2F1] form is its continuation,
/// singular at a = 1. With c = a+b+x-1, z = s/(1+s) and L = ln(1+s), three exact rearrangements
/// with the factor 1/(a-1) removed analytically are tried in turn, each kept only if its own
/// rounding-error estimate is small:
/// 1. s <= 1/2: the alternating series k s 3F2(k+1, a, 1; c+1, 2; -s).
/// 2. Euler form: c L exprel((1-a) L) - (1+s)^(1-a) S, S = sum_{n>=1} (A)_n (a)_{n-1} z^n /
///    ((c+1)_{n-1} n!), A = a+b-r-1 (good unless r is large compared with x + a + b).
/// 3. The Beta mixture [`mixture_form`], all terms positive, valid for every a, b > 0 (also
///    a + b + x - 1 <= 0, where the closed form's 2F1 has c <= 0), at a cost of about k s +
///    40 (1 + s) terms.
pub(crate) fn expected_while_alive(p: &BgNbdParams, x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    if horizon == 0.0 {
        return Ok(0.0);
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let k = r + x;
    let s = horizon / (alpha + t);
    // c + 1 = a + b + x is kept as such: c + 1 computed from c loses digits when a + b + x ~ 0.
    let c1 = a + b + x;
    let c = c1 - 1.0;
    // The series below converge like (s/(1+s))^n: about 40 (1 + s) terms, k s more for the mixture.
    let budget = MAX_SERIES_TERMS as f64;
    if 40.0 * (1.0 + s) > budget {
        return Err(too_long(s, k, alpha, t));
    }
    if s <= 0.5 {
        let series = sum_series(|m| -(k + 1.0 + m) * (a + m) / ((c1 + m) * (m + 2.0)) * s, s, 1e-16, MAX_SERIES_TERMS);
        if let Ok(sr) = series {
            if sr.cancellation() < 1e3 && sr.sum > 0.0 {
                return Ok(k * s * sr.sum * sr.ln_scale.exp());
            }
        }
    }
    let euler = euler_form(a, b, r, c1, s);
    if let Some((v, err)) = euler {
        if err < 1e-10 {
            return Ok(v);
        }
    }
    if k * s + 40.0 * (1.0 + s) < budget {
        if let Some(v) = mixture_form(a, c1, k, s) {
            return Ok(v);
        }
    }
    match euler {
        Some((v, err)) if err < 1e-6 => Ok(v),
        _ if k * s + 40.0 * (1.0 + s) >= budget => Err(too_long(s, k, alpha, t)),
        _ => Err(CrmError::out_of_range("expected purchases cannot be computed to 6 digits: every series lost them to rounding")
            .with_detail(format!("horizon / (alpha + T) = {s:e}, x = {x}, r = {r}, a = {a}, b = {b}, a + b + x - 1 = {c:e}"))
            .with_hint("parameters this extreme usually come from a degenerate fit; refit with a small penalizer")),
    }
}

/// The error of a horizon too long for the series of [`expected_while_alive`]: says how long is too long.
fn too_long(s: f64, k: f64, alpha: f64, t: f64) -> CrmError {
    let limit = MAX_SERIES_TERMS as f64 / (40.0 + k);
    CrmError::out_of_range(format!(
        "expected purchases cannot be computed: horizon / (alpha + T) = {s:.3e} needs more than {MAX_SERIES_TERMS} series terms (the limit is about {limit:.1e})"
    ))
    .with_detail(format!("alpha = {alpha}, T = {t}, r + x = {k}"))
    .with_hint("the horizon is far longer than the data's time scale; check that horizon, recency and T are in the model's time unit")
}

/// Representation 2 of [`expected_while_alive`]: (value, estimated relative rounding error).
fn euler_form(a: f64, b: f64, r: f64, c1: f64, s: f64) -> Option<(f64, f64)> {
    let c = c1 - 1.0;
    let l = s.ln_1p();
    let z = s / (1.0 + s);
    let big_a = a + b - r - 1.0;
    let (sum, cancel) = if big_a == 0.0 {
        (0.0, 1.0)
    } else {
        let sr = sum_series(|m| (big_a + 1.0 + m) * (a + m) / ((c1 + m) * (m + 2.0)) * z, z, 1e-16, MAX_SERIES_TERMS).ok()?;
        (big_a * z * sr.sum * sr.ln_scale.exp(), sr.cancellation())
    };
    let first = c * l * exprel((1.0 - a) * l);
    let second = ((1.0 - a) * l).exp() * sum;
    let value = first - second;
    if !(value.is_finite() && value > 0.0) {
        return None;
    }
    let err = 1e-15 * (first.abs() + second.abs() * cancel) / value;
    Some((value, err))
}

/// Representation 3 of [`expected_while_alive`]: the Beta mixture
/// (1-z)^k sum_{n>=1} (k)_n z^n / n! D_n, D_n = sum_{j<n} E[(1-p)^j], E[(1-p)^j] =
/// prod_{i<j} (b'+i)/(a+b'+i) with b' = b + x and c1 = a + b'. It follows from
/// 1 - (1+ps)^-k = (1-z)^k sum_n (k)_n z^n/n! (1 - (1-p)^n) and (1 - (1-p)^n)/p = sum_{j<n} (1-p)^j.
/// Every term is positive, for every a, b > 0 (no division by a - 1, nothing about a + b + x - 1).
/// None if it does not converge within the term budget.
fn mixture_form(a: f64, c1: f64, k: f64, s: f64) -> Option<f64> {
    let z = s / (1.0 + s);
    let b1 = c1 - a;
    // u_n = (k)_n z^n / n! relative to e^ln_scale; m_j = E[(1-p)^j]; d = D_n.
    let (mut u, mut m, mut d, mut sum) = (1.0f64, 1.0f64, 0.0f64, 0.0f64);
    let mut ln_scale = -k * s.ln_1p();
    let mut n = 0.0f64;
    loop {
        d += m;
        m *= (b1 + n) / (c1 + n);
        let ratio = (k + n) / (n + 1.0) * z;
        u *= ratio;
        n += 1.0;
        let term = u * d;
        sum += term;
        if u > 1e200 {
            u /= 1e200;
            sum /= 1e200;
            ln_scale += 1e200f64.ln();
        }
        if !sum.is_finite() || n > MAX_SERIES_TERMS as f64 {
            return None;
        }
        // Later terms shrink at least by q = ratio (1 + 1/n) each (D_{n+1} <= D_n (1 + 1/n)).
        let q = ratio * (1.0 + 1.0 / n);
        if q < 1.0 && term * q / (1.0 - q) <= 1e-17 * sum {
            break;
        }
    }
    let v = sum * ln_scale.exp();
    (v.is_finite() && v > 0.0).then_some(v)
}

impl crate::models::PurchaseModel for BgNbdParams {
    const NAME: &'static str = "bgnbd";
    const PARAMETER_NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
        p_alive(self, x, t_x, t)
    }
    fn expected_purchases(&self, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
        expected_purchases(self, x, t_x, t, horizon)
    }
    fn expected_purchases_new(&self, horizon: f64) -> CrmResult<f64> {
        expected_purchases_new(self, horizon)
    }
    fn prob_purchases(&self, n: u64, horizon: f64) -> CrmResult<f64> {
        prob_purchases(self, n, horizon)
    }
    fn parameters(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
    }
    fn with_parameters(values: &[f64]) -> CrmResult<Self> {
        let [r, alpha, a, b] = crate::models::parameter_array::<4>("BG/NBD", Self::PARAMETER_NAMES, values)?;
        let p = BgNbdParams { r, alpha, a, b };
        validate_params(&p)?;
        Ok(p)
    }
}

/// Conditional expected number of purchases in (T, T + horizon] (docs/references.md section 4).
pub fn expected_purchases(p: &BgNbdParams, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    validate_horizon(horizon)?;
    let alive = p_alive(p, x, t_x, t)?;
    Ok(alive * expected_while_alive(p, x, t, horizon)?)
}

/// Expected purchases of a new customer in (0, horizon]:
/// (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))], evaluated as above.
pub fn expected_purchases_new(p: &BgNbdParams, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    expected_while_alive(p, 0.0, 0.0, horizon)
}

/// P(X(horizon) = n) for a new customer (FHL 2005 eq. 8):
/// B(a,b+n)/B(a,b) NB(n) + [n>0] B(a+1,b+n-1)/B(a,b) P(NB >= n), with NB the negative binomial
/// count of purchases with rate ~ Gamma(r, alpha) over the horizon.
pub fn prob_purchases(p: &BgNbdParams, n: u64, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let nf = n as f64;
    let ln_p0 = -(horizon / alpha).ln_1p(); // ln(alpha / (alpha + h))
    let q = horizon / (alpha + horizon);
    let ln_q = -(alpha / horizon).ln_1p();
    let ln_nb = |j: f64| ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_p0 + j * ln_q;
    let first = (ln_beta(a, b + nf) - ln_beta(a, b) + ln_nb(nf)).exp();
    if n == 0 {
        return Ok(first.clamp(0.0, 1.0));
    }
    // P(NB >= n): one minus the head when the head is at most 1/2, otherwise the tail series.
    // The head's first term P(NB = 0) = (alpha/(alpha+h))^r must not underflow (r = 1e4 and
    // h = alpha: 2^-10000), or the head would be taken as 0 and the tail as 1.
    let mean = r * q / (1.0 - q).max(f64::MIN_POSITIVE);
    let mut tail = None;
    if nf <= mean.max(1.0) && n <= 100_000 && r * ln_p0 > -700.0 {
        let mut head = 0.0;
        let mut term = (r * ln_p0).exp();
        for j in 0..n {
            head += term;
            term *= (r + j as f64) / (j as f64 + 1.0) * q;
        }
        if head <= 0.5 {
            tail = Some(1.0 - head);
        }
    }
    let tail = match tail {
        Some(t) => t,
        None if 40.0 * (1.0 + horizon / alpha) + nf > MAX_SERIES_TERMS as f64 => {
            return Err(CrmError::out_of_range("purchase count probability cannot be computed for this horizon")
                .with_detail(format!("horizon / alpha = {:e}", horizon / alpha))
                .with_hint("the horizon is extremely long relative to alpha; check the time unit"));
        }
        None => {
            let sr = sum_series(|m| (r + nf + m) / (nf + m + 1.0) * q, q, 1e-16, MAX_SERIES_TERMS).map_err(|_| {
                CrmError::out_of_range("purchase count probability cannot be computed for this horizon")
                    .with_detail(format!("horizon / alpha = {:e}", horizon / alpha))
                    .with_hint("the horizon is extremely long relative to alpha; check the time unit")
            })?;
            (ln_nb(nf) + sr.ln_abs()).exp()
        }
    };
    let second = (ln_beta(a + 1.0, b + nf - 1.0) - ln_beta(a, b)).exp() * tail;
    let v = first + second;
    if v.is_finite() {
        Ok(v.clamp(0.0, 1.0))
    } else {
        Err(CrmError::out_of_range("purchase count probability is not finite").with_detail(format!("n = {n}, horizon = {horizon}")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_rows_round_trip_in_any_order() {
        let mut s = BgNbdSummary::default();
        for (x, tx, t) in [(0.0, 0.0, 30.5), (2.0, 10.25, 30.5), (0.0, 0.0, 30.5), (1.0, 3.0, 12.0), (2.0, 10.25, 30.5)] {
            s.add(x, tx, t).unwrap();
        }
        let rows = s.rows();
        assert_eq!(rows, vec![(0, 0.0, 30.5, 2), (1, 3.0, 12.0, 1), (2, 10.25, 30.5, 2)]);
        // any order, a repeated row added up
        let shuffled = vec![rows[2], rows[0], rows[1]];
        let mut back = BgNbdSummary::from_rows(&shuffled, &mut || {}).unwrap();
        back.compact();
        assert_eq!(back.rows(), rows);
        let split = BgNbdSummary::from_rows(&[(2, 10.25, 30.5, 1), rows[0], (2, 10.25, 30.5, 1), rows[1]], &mut || {}).unwrap();
        assert_eq!(split.rows(), rows);
        assert_eq!(back.to_bytes(), s.to_bytes());
        let bad = BgNbdSummary::from_rows(&[(1, 3.0, 12.0, 1), (1, 13.0, 12.0, 1)], &mut || {}).unwrap_err();
        assert!(bad.detail.unwrap().starts_with("row 2 of the summary"));
        assert!(BgNbdSummary::from_rows(&[(1, 3.0, 12.0, 0)], &mut || {}).is_err());
    }

    use super::*;
    use proptest::prelude::*;

    fn row() -> impl Strategy<Value = (f64, f64, f64)> {
        (0u32..20, 0.0f64..1.0, 0.0f64..100.0)
            .prop_map(|(x, f, t)| (x as f64, if x == 0 { 0.0 } else { (f * t * 7.0).round() / 7.0 }, t))
            .prop_filter("t_x <= T", |(_, tx, t)| tx <= t)
    }

    /// A countdown whose callback does nothing (the leaked closure is zero-sized: no allocation).
    fn noop() -> Countdown<'static> {
        Countdown::new(Box::leak(Box::new(|| {})))
    }

    fn summary_of(rows: &[(f64, f64, f64)]) -> BgNbdSummary {
        let mut s = BgNbdSummary::default();
        for &(x, tx, t) in rows {
            s.add(x, tx, t).unwrap();
        }
        s.compact();
        s
    }

    #[test]
    fn analytic_gradient_and_hessian_match_finite_differences() {
        let rows: Vec<(f64, f64, f64)> = (0..400)
            .map(|i| {
                let x = (i % 7) as f64;
                let t = 5.0 + (i as f64 * 0.37) % 40.0;
                (x, if x == 0.0 { 0.0 } else { t * ((i % 11) as f64 / 11.0) }, t)
            })
            .collect();
        let summary = summary_of(&rows);
        let (zeros, rows) = (summary.zeros.sorted_slice(), summary.rows.sorted_slice());
        let data = FitData::new(&zeros, &rows, time_scale(&zeros, &rows, &mut noop()).unwrap(), &mut noop());
        for p in [[0.24, 0.11, 0.79, 2.4], [1.5, 0.5, 3.0, 0.7], [0.05, 2.0, 0.4, 9.0]] {
            let params = |v: &[f64; 4]| BgNbdParams { r: v[0], alpha: v[1], a: v[2], b: v[3] };
            let (mut g, mut h) = ([0.0; 4], [[0.0; 4]; 4]);
            let ll = data.eval::<true>(&params(&p), &mut g, &mut h, &mut || {});
            let mut g0 = [0.0; 4];
            assert_eq!(ll, data.ll_grad(&params(&p), &mut g0, &mut || {}));
            assert_eq!(g, g0);
            for i in 0..4 {
                let step = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += step;
                down[i] -= step;
                let numeric = (data.ll_grad(&params(&up), &mut [0.0; 4], &mut || {})
                    - data.ll_grad(&params(&down), &mut [0.0; 4], &mut || {}))
                    / (2.0 * step);
                assert!((numeric - g[i]).abs() <= 1e-6 * g[i].abs().max(1.0), "gradient {i}: {numeric} vs {}", g[i]);
            }
            let numeric = crate::math::optim::numeric_hessian(
                &mut |v: &[f64; 4]| {
                    let mut g = [0.0; 4];
                    data.ll_grad(&params(v), &mut g, &mut || {});
                    Some(g)
                },
                &p,
            )
            .unwrap();
            for i in 0..4 {
                for j in 0..4 {
                    let scale = h[i][i].abs().sqrt() * h[j][j].abs().sqrt();
                    assert!((numeric[i][j] - h[i][j]).abs() <= 1e-6 * scale, "hessian {i},{j}: {} vs {}", numeric[i][j], h[i][j]);
                }
            }
        }
    }

    #[test]
    fn coarse_copies_give_the_full_data_optimum() {
        // Continuous times, and times in whole days (distinct rows repeat).
        let cdnow = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let customers = crate::models::bgnbd::simulate::simulate(150_000, &cdnow, None, 78.0, 7, &mut || {}).unwrap();
        let day = |w: f64| (w * 7.0).round() / 7.0;
        for days in [false, true] {
            let mut s = BgNbdSummary::default();
            for c in &customers {
                let (tx, t) = if days { (day(c.recency), day(c.t)) } else { (c.recency, c.t) };
                s.add(c.frequency as f64, tx, t).unwrap();
            }
            s.compact();
            let (zeros, rows) = (s.zeros.sorted_slice(), s.rows.sorted_slice());
            let scale = time_scale(&zeros, &rows, &mut noop()).unwrap();
            let (z, r) = coarse_rows(&zeros, &rows, LogGrid::new(scale, COARSE_OCTAVE_BITS), &mut noop());
            assert!(zeros.len() + rows.len() > COARSE_ABOVE && z.len() + r.len() < (zeros.len() + rows.len()) / 4);
            let fit = fit(&s, &FitOptions::default(), &mut || {}).unwrap();
            assert!(fit.converged);
            // Reference: L-BFGS and Newton on all rows, no coarse copy, Newton run twice (the
            // second run's step is far below the tolerance).
            let data = FitData::new(&zeros, &rows, scale, &mut noop());
            let objective = PenalisedObjective::new(&data, 0.0);
            let lbfgs = crate::math::optim::minimize(&objective, &[0.1; 4], 1000, crate::math::optim::FULL_GRADIENT, &mut || {}).unwrap();
            let once = crate::math::optim::newton_polish(&objective, lbfgs.theta.try_into().unwrap(), 50, &mut || {}).unwrap();
            let full = crate::math::optim::newton_polish(&objective, once.theta, 50, &mut || {}).unwrap().theta.map(f64::exp);
            let want = BgNbdParams { alpha: full[1] / scale, ..params_of(&full) };
            for (got, want) in [(fit.params.r, want.r), (fit.params.alpha, want.alpha), (fit.params.a, want.a), (fit.params.b, want.b)] {
                assert!((got / want - 1.0).abs() < 1e-8, "days {days}: {:?} vs {want:?}", fit.params);
            }
        }
    }

    proptest! {
        #[test]
        fn merge_equals_adding_all_rows(a in prop::collection::vec(row(), 0..60), b in prop::collection::vec(row(), 0..60)) {
            let (mut sa, mut sb, mut all) = (BgNbdSummary::default(), BgNbdSummary::default(), BgNbdSummary::default());
            for &(x, tx, t) in &a { sa.add(x, tx, t).unwrap(); all.add(x, tx, t).unwrap(); }
            for &(x, tx, t) in &b { sb.add(x, tx, t).unwrap(); all.add(x, tx, t).unwrap(); }
            sb.merge(&sa);
            prop_assert_eq!(&sb, &all);
            prop_assert_eq!(all.customers(), (a.len() + b.len()) as u64);
        }

        #[test]
        fn coarse_rows_keep_each_x_count_and_mean_times(a in prop::collection::vec(row(), 1..300)) {
            let s = summary_of(&a);
            let max_t = a.iter().map(|r| r.2).fold(0.0, f64::max);
            prop_assume!(max_t > 0.0);
            let grid = LogGrid::new(1.0 / max_t, COARSE_OCTAVE_BITS);
            let (zeros, rows) = coarse_rows(&s.zeros.sorted_slice(), &s.rows.sorted_slice(), grid, &mut noop());
            // Per x: customers, sum of t_x and sum of T are those of the input.
            let mut want = std::collections::BTreeMap::<u64, (u64, f64, f64)>::new();
            for &(x, tx, t) in &a {
                let e = want.entry(x as u64).or_default();
                *e = (e.0 + 1, e.1 + tx, e.2 + t);
            }
            let mut got = std::collections::BTreeMap::<u64, (u64, f64, f64)>::new();
            let all = zeros.iter().map(|&(t, n)| ((0, 0f64.to_bits(), t), n)).chain(rows.iter().copied());
            for ((x, tx, t), n) in all {
                let (tx, t) = (f64::from_bits(tx), f64::from_bits(t));
                prop_assert!(0.0 <= tx && tx <= t && t <= max_t * (1.0 + 1e-12));
                let e = got.entry(x).or_default();
                *e = (e.0 + n, e.1 + n as f64 * tx, e.2 + n as f64 * t);
            }
            prop_assert_eq!(want.len(), got.len());
            for (x, w) in &want {
                let g = got[x];
                prop_assert_eq!(w.0, g.0);
                prop_assert!((w.1 - g.1).abs() <= 1e-9 * w.1.max(1.0) && (w.2 - g.2).abs() <= 1e-9 * w.2.max(1.0));
            }
            // At most one row per cell: for x = 0, 8 cells in each of the (up to 7) octaves
            // that tau + T meets on its way from tau to 65 tau.
            let zero_cells = grid.cell(max_t, grid.bits) + 1;
            prop_assert!(zeros.len() <= zero_cells && zero_cells <= 7 * 8);
        }

        #[test]
        fn bytes_round_trip(a in prop::collection::vec(row(), 0..60)) {
            let mut s = BgNbdSummary::default();
            for &(x, tx, t) in &a { s.add_weighted(x, tx, t, 1 + (t as u64 % 3)).unwrap(); }
            let bytes = s.to_bytes();
            prop_assert_eq!(BgNbdSummary::from_bytes(&bytes).unwrap(), s);
            if !bytes.is_empty() {
                prop_assert!(BgNbdSummary::from_bytes(&bytes[..bytes.len() - 1]).is_err());
            }
        }
    }

    #[test]
    fn add_validates_with_the_offending_value() {
        let mut s = BgNbdSummary::default();
        let e = s.add(2.5, 1.0, 2.0).unwrap_err();
        assert!(e.message.contains("non-negative integer") && e.detail.as_deref() == Some("got 2.5"));
        assert!(s.add(-1.0, 0.0, 1.0).is_err());
        assert!(s.add(1.0, 3.0, 2.0).is_err());
        assert!(s.add(0.0, 1.0, 2.0).is_err());
        assert!(s.add(1.0, f64::NAN, 2.0).is_err());
        s.add(0.0, -0.0, 2.0).unwrap();
        s.add(0.0, 0.0, 2.0).unwrap();
        assert_eq!((s.distinct(), s.customers()), (1, 2));
        assert!(fit(&BgNbdSummary::default(), &FitOptions::default(), &mut || {}).is_err());
        assert!(BgNbdSummary::from_bytes(b"junk").is_err());
    }

    #[test]
    fn passes_over_all_rows_check_for_interrupts() {
        let cdnow = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let mut s = BgNbdSummary::default();
        for c in crate::models::bgnbd::simulate::simulate(300_000, &cdnow, None, 78.0, 11, &mut || {}).unwrap() {
            s.add(c.frequency as f64, c.recency, c.t).unwrap();
        }
        s.compact();
        let (zeros, rows) = (s.zeros.sorted_slice(), s.rows.sorted_slice());
        let n = zeros.len() + rows.len();
        assert_eq!(n, 300_000);
        let at_least = n / 65_536;
        let calls = std::cell::Cell::new(0usize);
        let mut check = || calls.set(calls.get() + 1);
        let mut counted = |what: &str, f: &mut dyn FnMut(&mut dyn FnMut())| {
            calls.set(0);
            f(&mut check);
            assert!(calls.get() >= at_least, "{what}: {} calls for {n} rows", calls.get());
        };
        let mut scale = 0.0;
        counted("time scale", &mut |c| scale = time_scale(&zeros, &rows, &mut Countdown::new(c)).unwrap());
        counted("evaluation form", &mut |c| drop(FitData::new(&zeros, &rows, scale, &mut Countdown::new(c))));
        counted("coarse copy", &mut |c| drop(coarse_rows(&zeros, &rows, LogGrid::new(scale, COARSE_OCTAVE_BITS), &mut Countdown::new(c))));
        let data = FitData::new(&zeros, &rows, scale, &mut noop());
        let p = BgNbdParams { r: 0.24, alpha: 0.05, a: 0.8, b: 2.4 };
        counted("gradient pass", &mut |c| assert!(data.ll_grad(&p, &mut [0.0; 4], c).is_finite()));
        counted("Hessian pass", &mut |c| assert!(data.eval::<true>(&p, &mut [0.0; 4], &mut [[0.0; 4]; 4], c).is_finite()));
        calls.set(0);
        let f = fit(&s, &FitOptions::default(), &mut || calls.set(calls.get() + 1)).unwrap();
        assert!(f.converged);
        // time scale, evaluation form, coarse copies, and at least one full-data pass of Newton
        assert!(calls.get() >= 4 * at_least + f.iterations as usize, "fit: {} calls", calls.get());
    }

    #[test]
    fn absurd_frequencies_are_rejected_and_a_fit_stuck_at_the_start_has_not_converged() {
        let cdnow = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let mut s = BgNbdSummary::default();
        for c in crate::models::bgnbd::simulate::simulate(3000, &cdnow, None, 78.0, 5, &mut || {}).unwrap() {
            s.add(c.frequency as f64 * 1e12, c.recency, c.t).unwrap();
        }
        s.compact();
        let e = fit(&s, &FitOptions::default(), &mut || {}).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::OutOfRange);
        assert!(e.message.starts_with("frequency must be at most 1000000000 repeat purchases to fit BG/NBD, got "), "{}", e.message);
        // The optimiser on these rows: the mean log-likelihood at the start is about -1e13 and
        // hides every change, argmin stops there and calls it converged; the fit does not.
        let (zeros, rows) = (s.zeros.sorted_slice(), s.rows.sorted_slice());
        let data = FitData::new(&zeros, &rows, time_scale(&zeros, &rows, &mut noop()).unwrap(), &mut noop());
        let objective = PenalisedObjective::new(&data, 0.0);
        let m = fit_by_levels(&[&objective], 1.0 / 3.0, 1000, &mut || {}).unwrap();
        assert!(!m.converged, "{m:?}");
        // At the limit the fit runs.
        let mut s = BgNbdSummary::default();
        s.add(MAX_FIT_FREQUENCY as f64, 10.0, 20.0).unwrap();
        s.add(0.0, 0.0, 20.0).unwrap();
        assert!(fit(&s, &FitOptions::default(), &mut || {}).is_ok_and(|f| f.log_likelihood.is_finite()));
    }
}
