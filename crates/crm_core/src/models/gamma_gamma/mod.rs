//! Gamma-Gamma model of spend per transaction (Fader and Hardie 2013), docs/references.md
//! section 5. Fitted on customers with x > 0 repeat purchases and mean repeat spend m > 0.

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::optim::{
    covariance_from_ll_hessian, fit_by_levels, natural, penalised_hessian, penalised_value_grad, LastEvaluation, Objective, SecondOrder,
};
use crate::math::special::{digamma, ln_gamma, trigamma};
use crate::models::bgnbd::{check_fit_frequency, is_repeat_count, repeat_count_error, u64_at, FitOptions};
use crate::summary::counts::Counts;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

pub fn validate_params(p: &GammaGammaParams) -> CrmResult<()> {
    for (name, v) in [("p", p.p), ("q", p.q), ("v", p.v)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("Gamma-Gamma parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

impl GammaGammaParams {
    /// The names of the parameters, in the order of [`GammaGammaParams::to_vec`].
    pub const PARAMETER_NAMES: &'static [&'static str] = &["p", "q", "v"];

    /// (p, q, v): the order of the fit's estimates, standard errors and covariance.
    pub fn to_vec(&self) -> Vec<f64> {
        vec![self.p, self.q, self.v]
    }

    /// From (p, q, v), checked by [`validate_params`]; Err (22023) for a wrong number of
    /// values or an invalid parameter.
    pub fn from_slice(values: &[f64]) -> CrmResult<Self> {
        let [p, q, v] = crate::models::parameter_array::<3>("Gamma-Gamma", Self::PARAMETER_NAMES, values)?;
        let params = GammaGammaParams { p, q, v };
        validate_params(&params)?;
        Ok(params)
    }
}

#[inline]
fn validate_customer(x: f64, m: f64) -> CrmResult<()> {
    // Valid rows pass one test (NaN fails every comparison); the rest find their message below.
    if is_repeat_count(x) && (0.0..f64::INFINITY).contains(&m) {
        Ok(())
    } else {
        customer_error(x, m).map_or(Ok(()), Err)
    }
}

#[cold]
#[inline(never)]
fn customer_error(x: f64, m: f64) -> Option<CrmError> {
    if !is_repeat_count(x) {
        return Some(repeat_count_error(x));
    }
    if !m.is_finite() {
        return Some(CrmError::invalid("monetary value must be finite").with_detail(format!("got {m}")));
    }
    if m < 0.0 {
        return Some(
            CrmError::invalid("monetary value must not be negative")
                .with_detail(format!("got {m}"))
                .with_hint("returns and refunds belong in the transaction data, not in the mean spend"),
        );
    }
    None
}

/// Distinct (x, m) rows with counts, plus the number of customers skipped (x = 0 or m = 0).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GammaGammaSummary {
    rows: Counts<(u64, u64)>,
    skipped: u64,
}

const GG_MAGIC: [u8; 4] = *b"GGS\x02";

impl GammaGammaSummary {
    /// Bytes this holds on the heap, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.rows.heap_bytes()
    }

    /// Adds one customer. Ok(true) when used; Ok(false) when skipped because x = 0 or m = 0
    /// (no repeat spend to learn from). Err for non-finite or negative values or fractional x.
    pub fn add(&mut self, x: f64, m: f64) -> CrmResult<bool> {
        validate_customer(x, m)?;
        if x == 0.0 || m == 0.0 {
            self.skipped = self.skipped.saturating_add(1);
            return Ok(false);
        }
        self.rows.add((x as u64, m.to_bits()), 1);
        Ok(true)
    }

    /// Adds `count` customers with the same (x, m), as [`GammaGammaSummary::add`]; count 0 adds
    /// nothing (and skips nothing).
    pub fn add_weighted(&mut self, x: f64, m: f64, count: u64) -> CrmResult<bool> {
        validate_customer(x, m)?;
        if x == 0.0 || m == 0.0 {
            self.skipped = self.skipped.saturating_add(count);
            return Ok(false);
        }
        if count > 0 {
            self.rows.add((x as u64, (m + 0.0).to_bits()), count);
        }
        Ok(true)
    }

    /// A summary of rows (x, m, count) with x >= 1 and m > 0 in any order (repeated rows added
    /// up) and `skipped` customers without repeat spend. Errors (22023) name the first invalid row.
    pub fn from_rows(rows: &[(u64, f64, u64)], skipped: u64, check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        let mut summary = GammaGammaSummary { rows: Counts::default(), skipped };
        let mut countdown = crate::interrupt::Countdown::new(check_interrupt);
        for (i, &(x, m, count)) in rows.iter().enumerate() {
            countdown.tick();
            let row_error = |e: CrmError| e.with_detail(format!("row {} of the summary: ({x}, {m}, {count})", i + 1));
            if count == 0 {
                return Err(row_error(CrmError::invalid("a summary row must count at least one customer")));
            }
            if x == 0 || x as f64 as u64 != x || !(m > 0.0) {
                return Err(row_error(
                    CrmError::invalid("a spend summary row needs frequency >= 1 and monetary > 0")
                        .with_hint("customers without repeat spend are counted in \"skipped\""),
                ));
            }
            validate_customer(x as f64, m).map_err(row_error)?;
            summary.rows.add((x, (m + 0.0).to_bits()), count);
        }
        summary.compact();
        Ok(summary)
    }

    pub fn merge(&mut self, o: &Self) {
        self.rows.merge(&o.rows);
        self.skipped = self.skipped.saturating_add(o.skipped);
    }

    /// Customers used (x > 0 and m > 0).
    pub fn customers(&self) -> u64 {
        self.rows.total()
    }

    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    pub fn distinct(&self) -> usize {
        self.rows.len()
    }

    /// Merges buffered rows so that a fit reads the rows without copying them.
    pub fn compact(&mut self) {
        self.rows.compact();
    }

    /// Rows (x, m, count) in ascending (x, m) order.
    pub fn sorted_rows(&self) -> Vec<(f64, f64, u64)> {
        self.rows.sorted().into_iter().map(|((x, m), c)| (x as f64, f64::from_bits(m), c)).collect()
    }

    /// Layout: magic "GGS" + version 2, u64 LE skipped and row counts, then the rows (x, m)
    /// with their counts in key order, in the compact form of [`crate::summary::keys`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows = self.rows.sorted_slice();
        let mut out = Vec::with_capacity(20 + 10 * rows.len());
        out.extend_from_slice(&GG_MAGIC);
        out.extend_from_slice(&self.skipped.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        crate::summary::keys::encode(rows.iter().map(|&((x, m), c)| ([x, m], c)), &mut out);
        out
    }

    pub fn from_bytes(b: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized Gamma-Gamma summary").with_detail(what.to_string());
        if b.len() < 20 || b[..4] != GG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let skipped = u64_at(b, 4);
        let n = u64_at(b, 12);
        let mut rows = Counts::default();
        let used = crate::summary::keys::decode::<2>(&b[20..], n, |i, [xk, mk], count| {
            let (x, m) = (xk as f64, f64::from_bits(mk));
            validate_customer(x, m).map_err(|e| bad(&format!("row {i}: {}", e.message)))?;
            if x as u64 != xk || x == 0.0 || !(m > 0.0) {
                return Err(bad(&format!("row {i}: invalid row")));
            }
            rows.push_sorted((xk, mk), count); // in key order, checked by the decoder
            Ok(())
        })?;
        if used != b.len() - 20 {
            return Err(bad("bytes after the last row"));
        }
        Ok(GammaGammaSummary { rows, skipped })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    /// Plain (unpenalised) sum log-likelihood at `params`.
    pub log_likelihood: f64,
    pub std_errors: Option<[f64; 3]>,
    /// Inverse Hessian of the negative sum log-likelihood in (p, q, v); None if not positive definite.
    pub covariance: Option<[[f64; 3]; 3]>,
    pub iterations: u64,
    pub converged: bool,
    pub customers: u64,
    pub skipped: u64,
}

/// Rows in evaluation form, grouped by distinct x.
struct FitData {
    xs: Vec<f64>,
    ln_xs: Vec<f64>,
    x_weight: Vec<f64>,
    /// Sum over the rows of x of weight * ln m.
    x_wlnm: Vec<f64>,
    /// End (exclusive) in `rows` of the rows of each x.
    x_end: Vec<usize>,
    /// (m, weight), x ascending.
    rows: Vec<(f64, f64)>,
    total_weight: f64,
}

impl FitData {
    /// From rows (x, m, count) in ascending (x, m) order.
    fn new(sorted: &[(f64, f64, u64)], countdown: &mut Countdown) -> Self {
        let mut d = FitData {
            xs: Vec::new(),
            ln_xs: Vec::new(),
            x_weight: Vec::new(),
            x_wlnm: Vec::new(),
            x_end: Vec::new(),
            rows: Vec::with_capacity(sorted.len()),
            total_weight: 0.0,
        };
        for &(x, m, c) in sorted {
            countdown.tick();
            if d.xs.last() != Some(&x) {
                d.xs.push(x);
                d.ln_xs.push(x.ln());
                d.x_weight.push(0.0);
                d.x_wlnm.push(0.0);
                d.x_end.push(0);
            }
            let (i, w) = (d.xs.len() - 1, c as f64);
            d.x_weight[i] += w;
            d.x_wlnm[i] += w * m.ln();
            d.total_weight += w;
            d.rows.push((m, w));
            d.x_end[i] = d.rows.len();
        }
        d
    }

    /// Sum LL and gradient in (p, q, v).
    fn ll_grad(&self, par: &GammaGammaParams, g: &mut [f64; 3], check_interrupt: &mut dyn FnMut()) -> f64 {
        self.eval::<false>(par, g, &mut [[0.0; 3]; 3], check_interrupt)
    }

    /// Sum LL, gradient and, when `HESS`, Hessian in (p, q, v). Per customer the LL is
    /// lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v).
    /// All but the last term depend on m only through sum(w ln m) per x (their second
    /// derivatives are trigamma terms per distinct x); the last term's second derivatives are
    /// d2/dv2 = (px+q)/(xm+v)^2, d2/dp dv = -x/(xm+v), d2/dq dv = -1/(xm+v) and zero in
    /// (p, p), (p, q), (q, q), so one pass over the rows of each x collects sum(w ln(xm+v)),
    /// sum(w/(xm+v)) and sum(w/(xm+v)^2). `check_interrupt` is called every
    /// [`crate::interrupt::CHECK_EVERY`] rows.
    fn eval<const HESS: bool>(
        &self,
        par: &GammaGammaParams,
        g: &mut [f64; 3],
        h: &mut [[f64; 3]; 3],
        check_interrupt: &mut dyn FnMut(),
    ) -> f64 {
        let mut countdown = Countdown::new(check_interrupt);
        let GammaGammaParams { p, q, v } = *par;
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let tg_q = if HESS { trigamma(q) } else { 0.0 };
        let mut ll = 0.0;
        let mut gr = [0.0; 3];
        let mut hs = [[0.0; 3]; 3];
        let mut row_start = 0;
        for i in 0..self.xs.len() {
            countdown.tick();
            let (x, ln_x, w, wlnm) = (self.xs[i], self.ln_xs[i], self.x_weight[i], self.x_wlnm[i]);
            let px = p * x;
            let k = px + q;
            let (dg_k, dg_px) = (digamma(k), digamma(px));
            ll += w * (ln_gamma(k) - ln_gamma(px) - lg_q + q * ln_v + px * ln_x) + (px - 1.0) * wlnm;
            gr[0] += w * x * (dg_k - dg_px + ln_x) + x * wlnm;
            gr[1] += w * (dg_k - dg_q + ln_v);
            gr[2] += w * q / v;
            // sum(w ln(xm+v)), sum(w/(xm+v)), sum(w/(xm+v)^2) over the rows of x.
            let (mut s_ln, mut s_inv, mut s_inv2) = (0.0, 0.0, 0.0);
            for &(m, wr) in &self.rows[row_start..self.x_end[i]] {
                countdown.tick();
                let xmv = x * m + v;
                let inv = 1.0 / xmv;
                s_ln += wr * xmv.ln();
                s_inv += wr * inv;
                if HESS {
                    s_inv2 += wr * inv * inv;
                }
            }
            row_start = self.x_end[i];
            ll -= k * s_ln;
            gr[0] -= x * s_ln;
            gr[1] -= s_ln;
            gr[2] -= k * s_inv;
            if HESS {
                let tg_k = trigamma(k);
                hs[0][0] += w * x * x * (tg_k - trigamma(px));
                hs[0][1] += w * x * tg_k;
                hs[0][2] -= x * s_inv;
                hs[1][1] += w * (tg_k - tg_q);
                hs[1][2] += w / v - s_inv;
                hs[2][2] += k * s_inv2 - w * q / (v * v);
            }
        }
        *g = gr;
        if HESS {
            (hs[1][0], hs[2][0], hs[2][1]) = (hs[0][1], hs[0][2], hs[1][2]);
            *h = hs;
        }
        ll
    }
}

/// -(mean LL) + c (p^2 + q^2 + v^2) on log-parameters, as in `lifetimes`.
struct PenalisedObjective<'a> {
    data: &'a FitData,
    penalizer: f64,
    /// The last second-order evaluation (see [`LastEvaluation::at_estimate`]).
    last: LastEvaluation<3>,
}

impl<'a> PenalisedObjective<'a> {
    fn new(data: &'a FitData, penalizer: f64) -> Self {
        PenalisedObjective { data, penalizer, last: LastEvaluation::default() }
    }
}

impl Objective for PenalisedObjective<'_> {
    fn value_grad(&self, theta: &[f64], grad: &mut [f64], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<3>(theta) else { return f64::INFINITY };
        let mut g = [0.0; 3];
        let ll = self.data.ll_grad(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g, check_interrupt);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

impl SecondOrder<3> for PenalisedObjective<'_> {
    fn value_grad_hess(&self, theta: &[f64; 3], grad: &mut [f64; 3], hess: &mut [[f64; 3]; 3], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<3>(theta) else { return f64::INFINITY };
        let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
        let ll = self.data.eval::<true>(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g, &mut h, check_interrupt);
        self.last.record(p, ll, g, h);
        *hess = penalised_hessian(&p, &g, &h, self.data.total_weight, self.penalizer);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

/// Summaries with more distinct rows than this are first fitted on a coarse copy (see [`fit`]).
const COARSE_ABOVE: usize = 20_000;
/// Grid of the coarse copy: ln m rounded to multiples of 1 / COARSE_GRID. With 1M simulated
/// CDNOW-like customers (continuous spend, 388k distinct rows) 1/64 leaves 6k rows and a coarse
/// optimum about 3e-5 from the full one in log-parameters (1/16: 2k rows, 6e-4 away), from
/// where Newton needs two steps.
const COARSE_GRID: f64 = 64.0;

/// The rows (ascending) with ln m rounded to the coarse grid, the rows of one x and grid cell
/// merged. Within an x the rows are in ascending m, so a cell is a run of rows below the cell's
/// upper bound: one ln and two exp per cell, not per row.
fn coarse_rows(rows: &[(f64, f64, u64)], countdown: &mut Countdown) -> Vec<(f64, f64, u64)> {
    let mut out: Vec<(f64, f64, u64)> = Vec::new();
    let mut upper = 0.0;
    for &(x, m, c) in rows {
        countdown.tick();
        match out.last_mut() {
            Some(last) if last.0 == x && m < upper => last.2 = last.2.saturating_add(c),
            _ => {
                let k = (m.ln() * COARSE_GRID).round();
                upper = ((k + 0.5) / COARSE_GRID).exp();
                out.push((x, (k / COARSE_GRID).exp(), c));
            }
        }
    }
    out
}

/// Maximum-likelihood (or `lifetimes`-style penalised: -(mean LL) + c (p^2 + q^2 + v^2)) fit on
/// log-parameters, starting where `lifetimes` starts (every log-parameter 0.1): L-BFGS, on a
/// coarse copy of the rows (ln m on a grid of 1/64) when there are many distinct rows, then
/// Newton steps with the analytic Hessian on all rows (falling back to L-BFGS on all rows if
/// Newton declines). Standard errors come from the analytic Hessian at the estimate. Errors:
/// no usable customer (22023); a frequency above [`crate::models::bgnbd::MAX_FIT_FREQUENCY`], frequency
/// times monetary value out of range, a non-finite result (22003). `converged` is false when
/// the optimiser stopped at a point whose gradient is not small or never left the start.
pub fn fit(summary: &GammaGammaSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<GammaGammaFit> {
    opts.validate()?;
    if summary.distinct() == 0 {
        return Err(CrmError::invalid("cannot fit Gamma-Gamma: no customer with repeat purchases and positive spend")
            .with_detail(format!("{} customers skipped (frequency 0 or monetary value 0)", summary.skipped())));
    }
    // Passes over all rows before the optimiser's: cancel checks every 2^15 rows.
    let countdown = &mut Countdown::new(&mut *check_interrupt);
    let rows: Vec<(f64, f64, u64)> =
        summary.rows.sorted_slice().iter().inspect(|_| countdown.tick()).map(|&((x, m), c)| (x as f64, f64::from_bits(m), c)).collect();
    // Rows are in ascending x: the last has the largest.
    check_fit_frequency("Gamma-Gamma", rows.last().map_or(0, |r| r.0 as u64))?;
    if let Some(&(x, m, _)) = rows.iter().inspect(|_| countdown.tick()).find(|r| !(r.0 * r.1).is_finite()) {
        return Err(CrmError::out_of_range("frequency times monetary value is out of range for double precision")
            .with_detail(format!("frequency {x}, monetary value {m:e}"))
            .with_hint("monetary value is the mean spend per repeat purchase; check its unit"));
    }
    let data = FitData::new(&rows, countdown);
    let objective = PenalisedObjective::new(&data, opts.penalizer);
    let coarse = (rows.len() > COARSE_ABOVE).then(|| FitData::new(&coarse_rows(&rows, countdown), countdown));
    let coarse = coarse.as_ref().map(|data| PenalisedObjective::new(data, opts.penalizer));
    let levels: Vec<&PenalisedObjective> = coarse.iter().chain([&objective]).collect();
    let m = fit_by_levels(&levels, 0.0, opts.max_iter, check_interrupt)?;
    let params = GammaGammaParams { p: m.theta[0].exp(), q: m.theta[1].exp(), v: m.theta[2].exp() };
    validate_params(&params).map_err(|_| {
        CrmError::out_of_range("Gamma-Gamma fit did not reach finite parameters")
            .with_detail(format!("p = {}, q = {}, v = {}", params.p, params.q, params.v))
            .with_hint("try a small penalizer such as 0.01; check that monetary values are mean spend per repeat purchase")
    })?;
    let (log_likelihood, h) = objective.last.at_estimate(&[params.p, params.q, params.v], || {
        let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
        (data.eval::<true>(&params, &mut g, &mut h, check_interrupt), h)
    });
    if !log_likelihood.is_finite() {
        return Err(CrmError::out_of_range("Gamma-Gamma fit ended at a non-finite log-likelihood"));
    }
    let cov = h.iter().flatten().all(|v| v.is_finite()).then(|| covariance_from_ll_hessian(&h)).flatten();
    Ok(GammaGammaFit {
        params,
        log_likelihood,
        std_errors: cov.map(|c| c.1),
        covariance: cov.map(|c| c.0),
        iterations: m.iterations,
        converged: m.converged,
        customers: summary.customers(),
        skipped: summary.skipped(),
    })
}

/// Expected mean spend per transaction: (v + x m) p / (p x + q - 1); for x = 0 the population
/// mean p v / (q - 1). Err when the denominator is not positive (q <= 1 for the population mean,
/// p x + q <= 1 otherwise): the expected spend is infinite there, never a negative value.
pub fn expected_spend(p: &GammaGammaParams, x: f64, m: f64) -> CrmResult<f64> {
    validate_params(p)?;
    expected_spend_valid_params(p, x, m)
}

/// [`expected_spend`] for parameters already validated (per-row scoring validates them once).
#[inline]
pub(crate) fn expected_spend_valid_params(p: &GammaGammaParams, x: f64, m: f64) -> CrmResult<f64> {
    validate_customer(x, m)?;
    let (num, den) = if x == 0.0 { (p.p * p.v, p.q - 1.0) } else { ((p.v + x * m) * p.p, p.p * x + p.q - 1.0) };
    if den <= 0.0 {
        return Err(CrmError::out_of_range("expected spend is infinite for these Gamma-Gamma parameters")
            .with_detail(format!("p x + q - 1 = {den} with p = {}, q = {}, x = {x}", p.p, p.q))
            .with_hint("the population mean spend exists only for q > 1; refit with more data or a penalizer"));
    }
    let v = num / den;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range("expected spend overflows").with_detail(format!("x = {x}, m = {m}")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_rows_and_weights() {
        let mut one_by_one = GammaGammaSummary::default();
        for (x, m) in [(2.0, 10.5), (0.0, 0.0), (2.0, 10.5), (1.0, 3.0), (0.0, 5.0)] {
            one_by_one.add(x, m).unwrap();
        }
        let mut weighted = GammaGammaSummary::default();
        weighted.add_weighted(2.0, 10.5, 2).unwrap();
        weighted.add_weighted(1.0, 3.0, 1).unwrap();
        weighted.add_weighted(0.0, 0.0, 2).unwrap();
        weighted.add_weighted(3.0, 1.0, 0).unwrap();
        assert_eq!(weighted, one_by_one);
        assert_eq!(weighted.skipped(), 2);
        let rows: Vec<(u64, f64, u64)> = one_by_one.sorted_rows().into_iter().map(|(x, m, c)| (x as u64, m, c)).collect();
        let back = GammaGammaSummary::from_rows(&[rows[1], rows[0]], 2, &mut || {}).unwrap();
        assert_eq!(back.to_bytes(), one_by_one.to_bytes());
        assert!(GammaGammaSummary::from_rows(&[(0, 1.0, 1)], 0, &mut || {}).is_err());
        assert!(GammaGammaSummary::from_rows(&[(1, 1.0, 0)], 0, &mut || {}).is_err());
    }

    use super::*;
    use crate::math::optim::{minimize, newton_polish, numeric_hessian};
    use proptest::prelude::*;

    fn row() -> impl Strategy<Value = (f64, f64)> {
        (0u32..10, 0u32..5000).prop_map(|(x, cents)| (x as f64, cents as f64 / 100.0))
    }

    proptest! {
        #[test]
        fn merge_and_bytes(a in prop::collection::vec(row(), 0..60), b in prop::collection::vec(row(), 0..60)) {
            let (mut sa, mut sb, mut all) = (GammaGammaSummary::default(), GammaGammaSummary::default(), GammaGammaSummary::default());
            for &(x, m) in &a { sa.add(x, m).unwrap(); all.add(x, m).unwrap(); }
            for &(x, m) in &b { sb.add(x, m).unwrap(); all.add(x, m).unwrap(); }
            sb.merge(&sa);
            prop_assert_eq!(&sb, &all);
            prop_assert_eq!(all.customers() + all.skipped(), (a.len() + b.len()) as u64);
            prop_assert_eq!(GammaGammaSummary::from_bytes(&all.to_bytes()).unwrap(), all);
        }
    }

    /// Simulated customers with the CDNOW parameters: (summary, rows in ascending order).
    fn simulated(customers: u64) -> (GammaGammaSummary, Vec<(f64, f64, u64)>) {
        let bg = crate::models::bgnbd::BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
        let mut s = GammaGammaSummary::default();
        for c in crate::models::bgnbd::simulate::simulate(customers, &bg, Some(&gg), 78.0, 7, &mut || {}).unwrap() {
            s.add(c.frequency as f64, c.monetary).unwrap();
        }
        let rows = s.sorted_rows();
        (s, rows)
    }

    fn assert_close<const N: usize>(got: &[[f64; N]; N], want: &[[f64; N]; N], tol: f64) {
        for i in 0..N {
            for j in 0..N {
                assert!((got[i][j] - want[i][j]).abs() <= tol * want[i][j].abs(), "[{i}][{j}]: {got:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn analytic_hessian_matches_numeric_hessian_of_the_gradient() {
        let data = FitData::new(&simulated(2000).1, &mut Countdown::new(&mut || {}));
        for (p, q, v) in [(6.25, 3.74, 15.44), (0.5, 1.2, 2.0), (20.0, 0.3, 100.0), (1.5, 8.0, 0.7)] {
            let par = GammaGammaParams { p, q, v };
            let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
            let ll = data.eval::<true>(&par, &mut g, &mut h, &mut || {});
            let mut g0 = [0.0; 3];
            assert_eq!(ll, data.ll_grad(&par, &mut g0, &mut || {}));
            assert_eq!(g, g0);
            let numeric = numeric_hessian(
                &mut |a: &[f64; 3]| {
                    let mut g = [0.0; 3];
                    data.ll_grad(&GammaGammaParams { p: a[0], q: a[1], v: a[2] }, &mut g, &mut || {});
                    Some(g)
                },
                &[p, q, v],
            )
            .unwrap();
            assert_close(&h, &numeric, 1e-6);
            // The penalised objective on log-parameters: chain rule and penalty.
            let objective = PenalisedObjective::new(&data, 0.01);
            let theta = [p.ln(), q.ln(), v.ln()];
            let (mut gt, mut ht, mut gt0) = ([0.0; 3], [[0.0; 3]; 3], [0.0; 3]);
            let f = objective.value_grad_hess(&theta, &mut gt, &mut ht, &mut || {});
            assert_eq!((f, gt), (objective.value_grad(&theta, &mut gt0, &mut || {}), gt0));
            let numeric = numeric_hessian(
                &mut |t: &[f64; 3]| {
                    let mut g = [0.0; 3];
                    objective.value_grad(t, &mut g, &mut || {});
                    Some(g)
                },
                &theta,
            )
            .unwrap();
            assert_close(&ht, &numeric, 1e-6);
        }
    }

    #[test]
    fn coarse_start_gives_the_full_data_optimum() {
        let (s, rows) = simulated(80_000);
        assert!(rows.len() > COARSE_ABOVE);
        let coarse = coarse_rows(&rows, &mut Countdown::new(&mut || {}));
        assert!(coarse.len() < rows.len() / 4, "{} coarse rows", coarse.len());
        assert!(coarse.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        assert_eq!(coarse.iter().map(|r| r.2).sum::<u64>(), rows.iter().map(|r| r.2).sum::<u64>());
        let fit = fit(&s, &FitOptions::default(), &mut || {}).unwrap();
        assert!(fit.converged);
        // Reference: L-BFGS and Newton on all rows, no coarse copy.
        let data = FitData::new(&rows, &mut Countdown::new(&mut || {}));
        let objective = PenalisedObjective::new(&data, 0.0);
        let lbfgs = minimize(&objective, &[0.1; 3], 1000, crate::math::optim::FULL_GRADIENT, &mut || {}).unwrap();
        let full = newton_polish(&objective, lbfgs.theta.try_into().unwrap(), 50, &mut || {}).unwrap();
        for (got, want) in [fit.params.p, fit.params.q, fit.params.v].into_iter().zip(full.theta.map(f64::exp)) {
            assert!((got / want - 1.0).abs() < 1e-9, "{:?} vs {want}", fit.params);
        }
    }

    #[test]
    fn passes_over_all_rows_check_for_interrupts() {
        let (s, rows) = simulated(400_000);
        let n = rows.len();
        assert!(n > 2 * 65_536, "{n} rows");
        let at_least = n / 65_536;
        let calls = std::cell::Cell::new(0usize);
        let mut check = || calls.set(calls.get() + 1);
        let mut counted = |what: &str, f: &mut dyn FnMut(&mut dyn FnMut())| {
            calls.set(0);
            f(&mut check);
            assert!(calls.get() >= at_least, "{what}: {} calls for {n} rows", calls.get());
        };
        counted("evaluation form", &mut |c| drop(FitData::new(&rows, &mut Countdown::new(c))));
        counted("coarse copy", &mut |c| drop(coarse_rows(&rows, &mut Countdown::new(c))));
        let data = FitData::new(&rows, &mut Countdown::new(&mut || {}));
        let par = GammaGammaParams { p: 6.0, q: 3.7, v: 15.0 };
        counted("gradient pass", &mut |c| assert!(data.ll_grad(&par, &mut [0.0; 3], c).is_finite()));
        counted("Hessian pass", &mut |c| assert!(data.eval::<true>(&par, &mut [0.0; 3], &mut [[0.0; 3]; 3], c).is_finite()));
        calls.set(0);
        let f = fit(&s, &FitOptions::default(), &mut || calls.set(calls.get() + 1)).unwrap();
        assert!(f.converged);
        // rows read, evaluation form, coarse copy, and at least one full-data pass of Newton
        assert!(calls.get() >= 4 * at_least + f.iterations as usize, "fit: {} calls", calls.get());
    }
}
