//! Gamma-Gamma model of spend per transaction (Fader and Hardie 2013), domain.md section 5.
//! Fitted on customers with x > 0 repeat purchases and mean repeat spend m > 0.

use serde::{Deserialize, Serialize};

use crate::bgnbd::{u64_at, FitOptions};
use crate::counts::Counts;
use crate::error::{CrmError, CrmResult};
use crate::optim::{covariance_from_ll_hessian, minimize, numeric_hessian, Objective};
use crate::special::{digamma, ln_gamma};

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

fn validate_customer(x: f64, m: f64) -> CrmResult<()> {
    if !(x.is_finite() && x >= 0.0 && x == x.floor()) {
        return Err(CrmError::invalid("frequency must be a non-negative integer (the number of repeat purchases)")
            .with_detail(format!("got {x}")));
    }
    if !m.is_finite() {
        return Err(CrmError::invalid("monetary value must be finite").with_detail(format!("got {m}")));
    }
    if m < 0.0 {
        return Err(CrmError::invalid("monetary value must not be negative")
            .with_detail(format!("got {m}"))
            .with_hint("returns and refunds belong in the transaction data, not in the mean spend"));
    }
    Ok(())
}

/// Distinct (x, m) rows with counts, plus the number of customers skipped (x = 0 or m = 0).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GammaGammaSummary {
    rows: Counts<(u64, u64)>,
    skipped: u64,
}

const GG_MAGIC: [u8; 4] = *b"GGS\x01";
const GG_ROW: usize = 24;

impl GammaGammaSummary {
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

    /// Layout (little-endian): magic "GGS" + version 1, u64 skipped, u64 row count, then per row
    /// u64 x, f64 m, u64 count, in key order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows = self.rows.sorted();
        let mut out = Vec::with_capacity(20 + GG_ROW * rows.len());
        out.extend_from_slice(&GG_MAGIC);
        out.extend_from_slice(&self.skipped.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for ((x, m), c) in rows {
            for v in [x, m, c] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(b: &[u8]) -> CrmResult<Self> {
        let bad = |what: &str| CrmError::invalid("invalid serialized Gamma-Gamma summary").with_detail(what.to_string());
        if b.len() < 20 || b[..4] != GG_MAGIC {
            return Err(bad("missing header or unknown version"));
        }
        let skipped = u64_at(b, 4);
        let n = u64_at(b, 12);
        if !(b.len() - 20).is_multiple_of(GG_ROW) || ((b.len() - 20) / GG_ROW) as u64 != n {
            return Err(bad("length does not match the row count"));
        }
        let mut rows = Counts::default();
        let mut last: Option<(u64, u64)> = None;
        for i in 0..n as usize {
            let o = 20 + i * GG_ROW;
            let key = (u64_at(b, o), u64_at(b, o + 8));
            let count = u64_at(b, o + 16);
            let (x, m) = (key.0 as f64, f64::from_bits(key.1));
            validate_customer(x, m).map_err(|e| bad(&format!("row {i}: {}", e.message)))?;
            if x as u64 != key.0 || x == 0.0 || !(m > 0.0) || count == 0 || last.is_some_and(|l| l >= key) {
                return Err(bad(&format!("row {i}: invalid or out-of-order row")));
            }
            last = Some(key);
            rows.add(key, count);
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
    /// (x index, m, weight)
    rows: Vec<(u32, f64, f64)>,
    total_weight: f64,
}

impl FitData {
    fn new(s: &GammaGammaSummary) -> Self {
        let sorted = s.sorted_rows();
        let mut xs: Vec<f64> = sorted.iter().map(|r| r.0).collect();
        xs.dedup();
        let mut x_weight = vec![0.0; xs.len()];
        let mut x_wlnm = vec![0.0; xs.len()];
        let mut rows = Vec::with_capacity(s.distinct());
        let mut total_weight = 0.0;
        for &(x, m, c) in &sorted {
            let xi = xs.binary_search_by(|v| v.total_cmp(&x)).expect("collected") as u32;
            let w = c as f64;
            x_weight[xi as usize] += w;
            x_wlnm[xi as usize] += w * m.ln();
            total_weight += w;
            rows.push((xi, m, w));
        }
        let ln_xs = xs.iter().map(|x| x.ln()).collect();
        FitData { xs, ln_xs, x_weight, x_wlnm, rows, total_weight }
    }

    /// Sum LL and gradient in (p, q, v):
    /// lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v).
    fn ll_grad(&self, par: &GammaGammaParams, g: &mut [f64; 3]) -> f64 {
        let GammaGammaParams { p, q, v } = *par;
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let mut ll = 0.0;
        let mut gr = [0.0; 3];
        for i in 0..self.xs.len() {
            let (x, w, wlnm) = (self.xs[i], self.x_weight[i], self.x_wlnm[i]);
            let px = p * x;
            ll += w * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + px * self.ln_xs[i]) + (px - 1.0) * wlnm;
            gr[0] += w * x * (digamma(px + q) - digamma(px) + self.ln_xs[i]) + x * wlnm;
            gr[1] += w * (digamma(px + q) - dg_q + ln_v);
            gr[2] += w * q / v;
        }
        for &(xi, m, w) in &self.rows {
            let x = self.xs[xi as usize];
            let pxq = p * x + q;
            let xmv = x * m + v;
            let l = xmv.ln();
            ll -= w * pxq * l;
            gr[0] -= w * x * l;
            gr[1] -= w * l;
            gr[2] -= w * pxq / xmv;
        }
        *g = gr;
        ll
    }
}

struct PenalisedObjective<'a> {
    data: &'a FitData,
    penalizer: f64,
}

impl Objective for PenalisedObjective<'_> {
    fn value_grad(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let p = [theta[0].exp(), theta[1].exp(), theta[2].exp()];
        if p.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return f64::INFINITY;
        }
        let mut g = [0.0; 3];
        let ll = self.data.ll_grad(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g);
        let w = self.data.total_weight;
        let mut value = -ll / w;
        for i in 0..3 {
            value += self.penalizer * p[i] * p[i];
            grad[i] = (-g[i] / w + 2.0 * self.penalizer * p[i]) * p[i];
        }
        value
    }
}

/// Maximum-likelihood (or `lifetimes`-style penalised: -(mean LL) + c (p^2 + q^2 + v^2)) fit on
/// log-parameters with L-BFGS from `lifetimes`' start (every log-parameter 0.1).
pub fn fit(summary: &GammaGammaSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<GammaGammaFit> {
    opts.validate()?;
    if summary.distinct() == 0 {
        return Err(CrmError::invalid("cannot fit Gamma-Gamma: no customer with repeat purchases and positive spend")
            .with_detail(format!("{} customers skipped (frequency 0 or monetary value 0)", summary.skipped())));
    }
    let data = FitData::new(summary);
    let objective = PenalisedObjective { data: &data, penalizer: opts.penalizer };
    let m = minimize(&objective, &[0.1; 3], opts.max_iter, check_interrupt)?;
    let params = GammaGammaParams { p: m.theta[0].exp(), q: m.theta[1].exp(), v: m.theta[2].exp() };
    validate_params(&params).map_err(|_| {
        CrmError::out_of_range("Gamma-Gamma fit did not reach finite parameters")
            .with_detail(format!("p = {}, q = {}, v = {}", params.p, params.q, params.v))
            .with_hint("try a small penalizer such as 0.01; check that monetary values are mean spend per repeat purchase")
    })?;
    let mut g = [0.0; 3];
    let log_likelihood = data.ll_grad(&params, &mut g);
    if !log_likelihood.is_finite() {
        return Err(CrmError::out_of_range("Gamma-Gamma fit ended at a non-finite log-likelihood"));
    }
    let hessian = numeric_hessian(
        &mut |p: &[f64; 3]| {
            check_interrupt();
            if p.iter().any(|v| *v <= 0.0) {
                return None;
            }
            let mut g = [0.0; 3];
            data.ll_grad(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g);
            g.iter().all(|v| v.is_finite()).then_some(g)
        },
        &[params.p, params.q, params.v],
    );
    let cov = hessian.and_then(|h| covariance_from_ll_hessian(&h));
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
    use super::*;
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
}
