//! [`clv`](super::clv) and expected purchases for many customers under one model: a
//! [`PurchasesScorer`] keeps, per frequency seen often, a Chebyshev interpolant of the expensive
//! part checked against the exact series; a [`ClvScorer`] multiplies it by the Gamma-Gamma
//! expected spend.

use crate::error::{CrmError, CrmResult};
use crate::math::chebyshev::{Accuracy, Chebyshev};
use crate::models::bgnbd::predict::{expected_while_alive, p_alive_given, p_alive_valid_params, AliveConstants};
use crate::models::bgnbd::{self, BgNbdParams};
use crate::models::gamma_gamma::predict::expected_spend_valid_params;
use crate::models::gamma_gamma::{self, GammaGammaParams};
use crate::summary::rft::validate_customer;
use crate::summary::units::TimeUnit;

use super::{check_horizon, check_periods, discounted_increments};

/// Customers with the same x that a [`PurchasesScorer`] scores exactly before it builds that x's table.
const TABLE_AFTER: u32 = 64;
/// Largest x with a table (larger x are rare and always computed exactly).
const TABLE_X_LIMIT: usize = 1 << 16;
/// Tables must agree with the exact sum to 1e-12 (relative), checked when built.
const TABLE_ACCURACY: Accuracy = Accuracy { tail: 1e-14, check: 1e-12, max_degree: 256 };

/// What a [`PurchasesScorer`] knows about one x.
#[derive(Clone, Debug)]
enum PerX {
    /// Scored exactly so many times so far.
    Seen(u32),
    Table(Box<XTable>),
    /// No table could be built to the required accuracy: always exact.
    Exact,
}

/// The interpolant of one x and that x's constants of P(alive).
#[derive(Clone, Debug)]
struct XTable {
    purchases: Chebyshev,
    alive: AliveConstants,
}

/// Discounted expected purchases `sum_{k=1..periods} (E[X(k f)] - E[X((k-1) f)]) / (1 + discount)^k`
/// for many customers under one BG/NBD model: the purchases part of the CLV (f = a month) and,
/// with one period and no discount, the expected purchases in (T, T + f].
///
/// E[X(h)] factors into P(alive | x, t_x, T) times an expectation while alive that depends on x
/// and s = f / (alpha + T) only; its discounted sum over the periods, divided by s, is a smooth
/// function of y = ln(1 + periods s) on [0, ln(1 + periods f / alpha)] (s ranges over
/// (0, f / alpha] for T >= 0; as a function of s it is analytic except for a branch cut on
/// s <= -1/periods, which y moves to distance pi from the real axis). For an x seen often, that
/// function is replaced by a Chebyshev interpolant checked to agree to 1e-12 (relative), so a
/// customer costs one short recurrence instead of `periods` series; rare x are computed exactly.
pub struct PurchasesScorer {
    bg: BgNbdParams,
    step: f64,
    periods: u32,
    discount: f64,
    /// Whether the parameters passed validation (then the per-row functions skip it).
    bg_valid: bool,
    /// Indexed by x.
    per_x: Vec<PerX>,
}

impl PurchasesScorer {
    /// `step` is the length of a period in the model's unit (finite, >= 0), `periods` at most
    /// [`MAX_PERIODS`](super::MAX_PERIODS), `discount` the rate per period (finite, >= 0); errors (22023) otherwise.
    /// Invalid model parameters are reported when a customer is scored.
    pub fn new(bg: BgNbdParams, step: f64, periods: u32, discount: f64) -> CrmResult<Self> {
        check_horizon(step, periods, discount)?;
        let bg_valid = bgnbd::validate_params(&bg).is_ok();
        Ok(PurchasesScorer { bg, step, periods, discount, bg_valid, per_x: Vec::new() })
    }

    /// Whether this scorer computes with exactly this model and these periods.
    pub fn is_for(&self, bg: &BgNbdParams, step: f64, periods: u32, discount: f64) -> bool {
        self.bg == *bg && self.step.to_bits() == step.to_bits() && self.periods == periods && self.discount.to_bits() == discount.to_bits()
    }

    /// The discounted expected purchases of one customer.
    #[inline]
    pub fn expected(&mut self, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
        if let Some(PerX::Table(table)) = self.per_x.get(x as usize) {
            // The table exists, so the parameters are valid and periods > 0.
            validate_customer(x, t_x, t)?;
            let s = self.step / (self.bg.alpha + t);
            let alive = p_alive_given(&table.alive, self.bg.alpha, t_x, t);
            return Ok(alive * s * table.purchases.eval((self.periods as f64 * s).ln_1p()));
        }
        self.expected_without_table(x, t_x, t)
    }

    /// [`PurchasesScorer::expected`] for an x without a table (yet).
    #[inline(never)]
    fn expected_without_table(&mut self, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
        let alive = if self.bg_valid { p_alive_valid_params(&self.bg, x, t_x, t)? } else { bgnbd::p_alive(&self.bg, x, t_x, t)? };
        if self.periods == 0 {
            return Ok(0.0);
        }
        Ok(alive * self.while_alive(x, t)?)
    }

    /// The discounted expected purchases while alive, exactly; builds x's table once x has been
    /// seen often enough (later customers with this x take the fast path of [`PurchasesScorer::expected`]).
    fn while_alive(&mut self, x: f64, t: f64) -> CrmResult<f64> {
        let i = x as usize;
        if self.bg_valid && i < TABLE_X_LIMIT {
            if i >= self.per_x.len() {
                self.per_x.resize(i + 1, PerX::Seen(0));
            }
            match &mut self.per_x[i] {
                PerX::Seen(n) if *n + 1 < TABLE_AFTER => *n += 1,
                PerX::Seen(_) => {
                    let alive = AliveConstants::new(&self.bg, x);
                    self.per_x[i] = self.table(x).map_or(PerX::Exact, |purchases| PerX::Table(Box::new(XTable { purchases, alive })));
                }
                PerX::Table(_) | PerX::Exact => {}
            }
        }
        self.exact(x, t)
    }

    /// sum_k (E_k - E_{k-1}) / (1 + discount)^k of the expectation while alive, series by series.
    fn exact(&self, x: f64, t: f64) -> CrmResult<f64> {
        discounted_increments(self.step, self.periods, self.discount, |h| expected_while_alive(&self.bg, x, t, h))
    }

    /// The interpolant of [`PurchasesScorer::exact`] / s over y = ln(1 + periods s), s = f / (alpha + T).
    fn table(&self, x: f64) -> Option<Chebyshev> {
        let (f, periods) = (self.step, self.periods as f64);
        // At s = 0 (T infinite): E[purchases in (0, h] while alive] ~ (r + x) h, so the sum / s
        // tends to (r + x) sum_k (1 + discount)^-k.
        let at_zero = (self.bg.r + x) * (1..=self.periods).map(|k| (1.0 + self.discount).powi(-(k as i32))).sum::<f64>();
        let y_max = (periods * f / self.bg.alpha).ln_1p();
        let at = |y: f64| {
            if y == 0.0 {
                return Some(at_zero);
            }
            let t = (f / (y.exp_m1() / periods) - self.bg.alpha).max(0.0);
            self.exact(x, t).ok().map(|v| v * (self.bg.alpha + t) / f)
        };
        Chebyshev::fit(0.0, y_max, at, TABLE_ACCURACY)
    }
}

/// [`clv`](super::clv) for many customers under one pair of models and one horizon (a [`PurchasesScorer`]
/// with monthly periods times the Gamma-Gamma expected spend).
pub struct ClvScorer {
    gg: GammaGammaParams,
    gg_valid: bool,
    purchases: PurchasesScorer,
}

impl ClvScorer {
    /// `months` at most [`MAX_PERIODS`](super::MAX_PERIODS) (22023 otherwise). Invalid model parameters are reported
    /// when a customer is scored, as [`clv`](super::clv) does.
    pub fn new(bg: BgNbdParams, gg: GammaGammaParams, months: u32, discount: f64, unit: TimeUnit) -> CrmResult<Self> {
        check_periods("months", months)?;
        let purchases = PurchasesScorer::new(bg, unit.per_month(), months, discount)?;
        Ok(ClvScorer { gg, gg_valid: gamma_gamma::validate_params(&gg).is_ok(), purchases })
    }

    /// Whether this scorer computes with exactly these models and horizon (each unit has its own
    /// month length, so the purchases scorer's period identifies the unit).
    pub fn is_for(&self, bg: &BgNbdParams, gg: &GammaGammaParams, months: u32, discount: f64, unit: TimeUnit) -> bool {
        self.gg == *gg && self.purchases.is_for(bg, unit.per_month(), months, discount)
    }

    /// The CLV of one customer (see [`clv`](super::clv)).
    #[inline]
    pub fn clv(&mut self, x: f64, t_x: f64, t: f64, m: f64) -> CrmResult<f64> {
        let spend = if self.gg_valid { expected_spend_valid_params(&self.gg, x, m)? } else { gamma_gamma::expected_spend(&self.gg, x, m)? };
        let total = spend * self.purchases.expected(x, t_x, t)?;
        if total.is_finite() {
            Ok(total)
        } else {
            Err(overflow(x, m))
        }
    }
}

#[cold]
fn overflow(x: f64, m: f64) -> CrmError {
    CrmError::out_of_range("customer lifetime value overflows").with_detail(format!("x = {x}, m = {m}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::{clv, MAX_PERIODS};

    const CDNOW: BgNbdParams = BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    const GG: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };

    /// The formula term by term with the public conditional expectation.
    fn clv_by_definition(bg: &BgNbdParams, gg: &GammaGammaParams, x: f64, tx: f64, t: f64, m: f64, unit: TimeUnit) -> f64 {
        let spend = gamma_gamma::expected_spend(gg, x, m).unwrap();
        let f = unit.per_month();
        (1..=12)
            .map(|k| {
                let e = |h: f64| crate::models::bgnbd::expected_purchases(bg, x, tx, t, h).unwrap();
                spend * (e(k as f64 * f) - e((k - 1) as f64 * f)) / 1.01f64.powi(k)
            })
            .sum()
    }

    #[test]
    fn single_calls_follow_the_definition() {
        for &(x, tx, t, m) in &[(2.0, 30.43, 38.86, 20.0), (2.0, 10.0, 38.86, 50.0), (0.0, 0.0, 38.86, 0.0), (7.0, 0.5, 1.0, 3.0)] {
            let want = clv_by_definition(&CDNOW, &GG, x, tx, t, m, TimeUnit::Week);
            let got = clv(&CDNOW, &GG, x, tx, t, m, 12, 0.01, TimeUnit::Week).unwrap();
            assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
        }
    }

    /// Scores `count` customers per x in 0..xs with T spread over [0, t_max] (and beyond), then
    /// compares every score with a single exact call.
    fn tables_agree_with_exact(bg: BgNbdParams, unit: TimeUnit, xs: u32, t_max: f64) {
        let mut scorer = ClvScorer::new(bg, GG, 12, 0.01, unit).unwrap();
        let mut worst = 0.0f64;
        for i in 0..(xs * 200) {
            let x = (i % xs) as f64;
            // A deterministic spread of T, including 0 and very large ages.
            let u = ((i as f64 * 0.618_033_988_749_895) % 1.0).powi(2);
            let t = if i % 97 == 0 {
                0.0
            } else if i % 89 == 0 {
                1e6 * t_max
            } else {
                u * t_max
            };
            let tx = if x == 0.0 { 0.0 } else { t * 0.7 };
            let got = scorer.clv(x, tx, t, 25.0).unwrap();
            let want = clv(&bg, &GG, x, tx, t, 25.0, 12, 0.01, unit).unwrap();
            worst = worst.max((got - want).abs() / want);
        }
        assert!(worst <= 1e-12, "worst relative difference {worst:e}");
        let tables = scorer.purchases.per_x.iter().filter(|p| matches!(p, PerX::Table(_))).count();
        assert_eq!(tables, xs as usize, "every x got a table");
    }

    #[test]
    fn tables_agree_with_exact_scores() {
        // CDNOW in weeks; the same model in days; a < 1 with small alpha (a long horizon in
        // units of alpha); FLO-like (large r and alpha).
        tables_agree_with_exact(CDNOW, TimeUnit::Week, 30, 78.0);
        tables_agree_with_exact(BgNbdParams { alpha: CDNOW.alpha * 7.0, ..CDNOW }, TimeUnit::Day, 10, 546.0);
        tables_agree_with_exact(BgNbdParams { r: 0.5, alpha: 0.3, a: 0.4, b: 0.9 }, TimeUnit::Week, 10, 100.0);
        tables_agree_with_exact(BgNbdParams { r: 3.66, alpha: 76.17, a: 0.5, b: 3.0 }, TimeUnit::Week, 10, 400.0);
    }

    #[test]
    fn one_undiscounted_period_is_the_expected_purchases() {
        for (bg, horizon) in [(CDNOW, 39.0), (CDNOW, 0.5), (BgNbdParams { r: 0.5, alpha: 0.3, a: 0.4, b: 0.9 }, 52.0)] {
            let mut scorer = PurchasesScorer::new(bg, horizon, 1, 0.0).unwrap();
            let mut worst = 0.0f64;
            for i in 0..3000 {
                let x = (i % 15) as f64;
                let t = 78.0 * ((i as f64 * 0.618_033_988_749_895) % 1.0);
                let tx = if x == 0.0 { 0.0 } else { t * 0.3 };
                let want = crate::models::bgnbd::expected_purchases(&bg, x, tx, t, horizon).unwrap();
                worst = worst.max((scorer.expected(x, tx, t).unwrap() - want).abs() / want);
            }
            assert!(worst <= 1e-12, "horizon {horizon}: worst relative difference {worst:e}");
            assert!(scorer.per_x.iter().all(|p| matches!(p, PerX::Table(_))));
        }
        assert!(PurchasesScorer::new(CDNOW, -1.0, 1, 0.0).is_err());
        assert_eq!(PurchasesScorer::new(CDNOW, 0.0, 1, 0.0).unwrap().expected(2.0, 1.0, 3.0).unwrap(), 0.0);
    }

    #[test]
    fn rare_x_and_failed_tables_stay_exact() {
        let mut scorer = ClvScorer::new(CDNOW, GG, 12, 0.01, TimeUnit::Week).unwrap();
        for i in 0..TABLE_AFTER - 1 {
            scorer.clv(3.0, 1.0, 2.0 + i as f64, 10.0).unwrap();
        }
        assert!(matches!(scorer.purchases.per_x[3], PerX::Seen(n) if n == TABLE_AFTER - 1));
        scorer.clv(3.0, 1.0, 2.0, 10.0).unwrap();
        assert!(matches!(scorer.purchases.per_x[3], PerX::Table(_)));
        // x beyond the table limit: exact, nothing stored.
        scorer.clv(TABLE_X_LIMIT as f64, 1.0, 2.0, 10.0).unwrap();
        assert_eq!(scorer.purchases.per_x.len(), 4);
        assert!(scorer.is_for(&CDNOW, &GG, 12, 0.01, TimeUnit::Week) && !scorer.is_for(&CDNOW, &GG, 12, 0.02, TimeUnit::Week));
    }

    #[test]
    fn months_are_bounded() {
        use crate::error::ErrorKind;
        let e = ClvScorer::new(CDNOW, GG, 1_000_000, 0.01, TimeUnit::Week).err().unwrap();
        assert_eq!(e.kind, ErrorKind::InvalidParameter);
        assert_eq!(e.message, "months must be at most 1200, got 1000000");
        assert!(e.hint.unwrap().contains("100 years"));
        let e = clv(&CDNOW, &GG, 2.0, 30.0, 38.0, 20.0, MAX_PERIODS + 1, 0.01, TimeUnit::Week).unwrap_err();
        assert_eq!(e.message, "months must be at most 1200, got 1201");
        let e = PurchasesScorer::new(CDNOW, 4.345, u32::MAX, 0.0).err().unwrap();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::InvalidParameter, "periods must be at most 1200, got 4294967295"));
        // The bound itself: a century of months, computed exactly and through a table.
        let mut scorer = ClvScorer::new(CDNOW, GG, MAX_PERIODS, 0.01, TimeUnit::Week).unwrap();
        let one = clv(&CDNOW, &GG, 2.0, 30.43, 38.86, 20.0, MAX_PERIODS, 0.01, TimeUnit::Week).unwrap();
        let twelve = clv(&CDNOW, &GG, 2.0, 30.43, 38.86, 20.0, 12, 0.01, TimeUnit::Week).unwrap();
        assert!(one.is_finite() && one > twelve, "{one} vs {twelve}");
        for _ in 0..TABLE_AFTER + 1 {
            let v = scorer.clv(2.0, 30.43, 38.86, 20.0).unwrap();
            assert!((v - one).abs() <= 1e-12 * one, "{v} vs {one}");
        }
    }
}
