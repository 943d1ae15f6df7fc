//! The BG/NBD fit: the `lifetimes` objective over the log-likelihood of [`super::likelihood`],
//! minimised first on coarse copies of a large summary (rows merged by cells on a log grid of
//! the times) and then on all rows.

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::optim::{
    covariance_from_ll_hessian, fit_by_levels, natural, penalised_hessian, penalised_value_grad, LastEvaluation, Objective, SecondOrder,
};
use crate::models::fit_options::{check_fit_frequency, FitOptions};
use crate::summary::rft::BgNbdSummary;

use super::likelihood::{time_scale, FitData, KeyRows, ZeroRows};
use super::{validate_params, BgNbdParams};

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

/// A coarse copy of the rows: x = 0 rows and x > 0 rows, as stored in a summary.
type CoarseCopy = (Vec<(u64, u64)>, Vec<((u64, u64, u64), u64)>);

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
/// [`MAX_FIT_FREQUENCY`](crate::models::fit_options::MAX_FIT_FREQUENCY) (22003) or a non-finite
/// result. `converged` is false when the optimiser stopped at a point whose gradient is not small
/// or never left the start.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::fit_options::MAX_FIT_FREQUENCY;
    use crate::summary::rft::test_rows::{noop, row, summary_of};
    use proptest::prelude::*;

    #[test]
    fn coarse_copies_give_the_full_data_optimum() {
        // Continuous times, and times in whole days (distinct rows repeat).
        let cdnow = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let customers = crate::models::bgnbd::simulate(150_000, &cdnow, None, 78.0, 7, &mut || {}).unwrap();
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
    }

    #[test]
    fn passes_over_all_rows_check_for_interrupts() {
        let cdnow = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let mut s = BgNbdSummary::default();
        for c in crate::models::bgnbd::simulate(300_000, &cdnow, None, 78.0, 11, &mut || {}).unwrap() {
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
        for c in crate::models::bgnbd::simulate(3000, &cdnow, None, 78.0, 5, &mut || {}).unwrap() {
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
