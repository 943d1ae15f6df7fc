//! Customer lifetime value as the course and the `lifetimes` library compute it (domain.md
//! section 6): discounted monthly increments of expected purchases times expected spend.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::bgnbd::{self, expected_while_alive, p_alive_valid_params, BgNbdParams};
use crate::word_hasher::WordHasher;
use crate::error::{CrmError, CrmResult};
use crate::gamma_gamma::{self, expected_spend_valid_params, GammaGammaParams};
use crate::units::TimeUnit;

/// `sum_{k=1..months} E[spend] (E[X(k f)] - E[X((k-1) f)]) / (1 + discount)^k` with f = time units
/// per month of `unit` (weeks 4.345, days 30, hours 720) and E[X(h)] the BG/NBD conditional
/// expectation of purchases in (T, T + h]. x is the number of REPEAT purchases (BG/NBD and
/// Gamma-Gamma convention), t_x and T are in `unit`, m is the mean spend per repeat purchase and
/// E[spend] is the Gamma-Gamma conditional expectation for (x, m). `discount` is the monthly rate.
#[allow(clippy::too_many_arguments)]
pub fn clv(
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    x: f64,
    t_x: f64,
    t: f64,
    m: f64,
    months: u32,
    discount: f64,
    unit: TimeUnit,
) -> CrmResult<f64> {
    ClvScorer::new(*bg, *gg, months, discount, unit)?.clv(x, t_x, t, m)
}

/// Most (x, T) pairs a [`ClvScorer`] remembers; it forgets them all when full.
const MEMO_CAPACITY: usize = 1 << 16;

/// [`clv`] for many customers under one pair of models and one horizon. E[X(h)] factors into
/// P(alive | x, t_x, T) times an expectation that depends on (x, T) only, so the discounted sum
/// over the months is remembered per (x, T): customers whose times come from dates share it.
pub struct ClvScorer {
    bg: BgNbdParams,
    gg: GammaGammaParams,
    months: u32,
    discount: f64,
    unit: TimeUnit,
    /// Whether the parameters passed validation (then the per-row functions skip it).
    bg_valid: bool,
    gg_valid: bool,
    /// (x, T bits) -> sum_k (E_k - E_{k-1}) / (1 + discount)^k of the expectation while alive.
    memo: HashMap<(u64, u64), f64, BuildHasherDefault<WordHasher>>,
}

impl ClvScorer {
    /// Invalid model parameters are reported when a customer is scored, as [`clv`] does.
    pub fn new(bg: BgNbdParams, gg: GammaGammaParams, months: u32, discount: f64, unit: TimeUnit) -> CrmResult<Self> {
        if !(discount.is_finite() && discount >= 0.0) {
            return Err(CrmError::invalid("discount rate must be a finite non-negative number")
                .with_detail(format!("got {discount}"))
                .with_hint("the rate is monthly, e.g. 0.01 for 1% per month"));
        }
        let (bg_valid, gg_valid) = (bgnbd::validate_params(&bg).is_ok(), gamma_gamma::validate_params(&gg).is_ok());
        Ok(ClvScorer { bg, gg, months, discount, unit, bg_valid, gg_valid, memo: HashMap::default() })
    }

    /// Whether this scorer computes with exactly these models and horizon.
    pub fn is_for(&self, bg: &BgNbdParams, gg: &GammaGammaParams, months: u32, discount: f64, unit: TimeUnit) -> bool {
        self.bg == *bg && self.gg == *gg && self.months == months && self.discount.to_bits() == discount.to_bits() && self.unit == unit
    }

    /// The CLV of one customer (see [`clv`]).
    pub fn clv(&mut self, x: f64, t_x: f64, t: f64, m: f64) -> CrmResult<f64> {
        let spend = if self.gg_valid { expected_spend_valid_params(&self.gg, x, m)? } else { gamma_gamma::expected_spend(&self.gg, x, m)? };
        if self.months == 0 {
            return Ok(0.0);
        }
        let alive = if self.bg_valid { p_alive_valid_params(&self.bg, x, t_x, t)? } else { bgnbd::p_alive(&self.bg, x, t_x, t)? };
        let key = (x as u64, (t + 0.0).to_bits());
        let purchases = match self.memo.get(&key) {
            Some(v) => *v,
            None => {
                let v = self.discounted_while_alive(x, t)?;
                if self.memo.len() >= MEMO_CAPACITY {
                    self.memo.clear();
                }
                self.memo.insert(key, v);
                v
            }
        };
        let total = spend * alive * purchases;
        if total.is_finite() {
            Ok(total)
        } else {
            Err(CrmError::out_of_range("customer lifetime value overflows").with_detail(format!("x = {x}, m = {m}")))
        }
    }

    fn discounted_while_alive(&self, x: f64, t: f64) -> CrmResult<f64> {
        let per_month = self.unit.per_month();
        let (mut previous, mut total, mut factor) = (0.0, 0.0, 1.0);
        for k in 1..=self.months {
            factor /= 1.0 + self.discount;
            let cumulative = expected_while_alive(&self.bg, x, t, k as f64 * per_month)?;
            total += (cumulative - previous) * factor;
            previous = cumulative;
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scorer_memo_gives_the_same_values_as_single_calls() {
        let bg = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
        let mut scorer = ClvScorer::new(bg, gg, 12, 0.01, TimeUnit::Week).unwrap();
        // Same (x, T) with different t_x and m: the memo is per (x, T) only.
        for &(x, tx, t, m) in &[(2.0, 30.43, 38.86, 20.0), (2.0, 10.0, 38.86, 50.0), (0.0, 0.0, 38.86, 0.0), (2.0, 30.43, 38.86, 20.0)] {
            let single = bgnbd_clv_by_definition(&bg, &gg, x, tx, t, m);
            let got = scorer.clv(x, tx, t, m).unwrap();
            assert!((got - single).abs() <= 1e-12 * single, "{got} vs {single}");
        }
        assert_eq!(scorer.memo.len(), 2);
        assert!(scorer.is_for(&bg, &gg, 12, 0.01, TimeUnit::Week) && !scorer.is_for(&bg, &gg, 12, 0.02, TimeUnit::Week));
    }

    /// The formula term by term with the public conditional expectation.
    fn bgnbd_clv_by_definition(bg: &BgNbdParams, gg: &GammaGammaParams, x: f64, tx: f64, t: f64, m: f64) -> f64 {
        let spend = gamma_gamma::expected_spend(gg, x, m).unwrap();
        (1..=12)
            .map(|k| {
                let e = |h: f64| crate::bgnbd::expected_purchases(bg, x, tx, t, h).unwrap();
                spend * (e(k as f64 * 4.345) - e((k - 1) as f64 * 4.345)) / 1.01f64.powi(k)
            })
            .sum()
    }
}
