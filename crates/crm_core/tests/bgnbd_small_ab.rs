//! BG/NBD expected purchases when a + b - 1 <= 0, where the closed form's 2F1(r, b; a+b-1; z) has
//! c <= 0: finite values that agree with mpmath (scripts/golden/bgnbd_small_ab_golden.py), for new
//! customers, for customers without repeat purchases, and inside CLV.

#![allow(clippy::excessive_precision)]

use crm_core::clv::clv;
use crm_core::models::bgnbd::{self, BgNbdParams};
use crm_core::models::gamma_gamma::GammaGammaParams;
use crm_core::summary::units::TimeUnit;

const MPMATH: &[(f64, f64, f64, f64, f64, f64, f64)] = &[
    // (r, alpha, a, b, T, horizon, E[X(horizon)] of a customer without repeat purchases)
    (0.1, 0.01, 0.05, 0.02, 0.0, 0.1, 0.41900020711065505),
    (0.1, 0.01, 0.05, 0.02, 0.0, 1.0, 2.6530451194966943),
    (0.1, 0.01, 0.05, 0.02, 0.0, 39.0, 77.823796296484656),
    (0.1, 0.01, 0.05, 0.02, 0.0, 1000.0, 1687.9513596150029),
    (0.1, 0.01, 0.05, 0.02, 10.0, 39.0, 0.21243240228775098),
    (0.243, 4.414, 0.999, 0.0001, 0.0, 0.1, 0.0054289931140136541),
    (0.243, 4.414, 0.999, 0.0001, 0.0, 1.0, 0.048411817320770782),
    (0.243, 4.414, 0.999, 0.0001, 0.0, 39.0, 0.42627506772103646),
    (0.243, 4.414, 0.999, 0.0001, 0.0, 1000.0, 0.73282113354653407),
    (0.243, 4.414, 0.999, 0.0001, 10.0, 39.0, 0.27263713641037278),
    (0.5, 1.0, 0.3, 0.2, 0.0, 0.1, 0.047900439532675537),
    (0.5, 1.0, 0.3, 0.2, 0.0, 1.0, 0.3661775444187562),
    (0.5, 1.0, 0.3, 0.2, 0.0, 39.0, 4.1625998519370358),
    (0.5, 1.0, 0.3, 0.2, 0.0, 1000.0, 36.582903129267071),
    (0.5, 1.0, 0.3, 0.2, 10.0, 39.0, 0.90394054760292091),
    (2.0, 10.0, 0.6, 0.3, 0.0, 0.1, 0.019802220723416398),
    (2.0, 10.0, 0.6, 0.3, 0.0, 1.0, 0.18201907282478748),
    (2.0, 10.0, 0.6, 0.3, 0.0, 39.0, 2.0384488825717991),
    (2.0, 10.0, 0.6, 0.3, 0.0, 1000.0, 7.2350140719823016),
    (2.0, 10.0, 0.6, 0.3, 10.0, 39.0, 1.4971071938140903),
];

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

#[test]
fn expected_purchases_match_mpmath_when_a_plus_b_is_below_one() {
    for &(r, alpha, a, b, t, horizon, want) in MPMATH {
        let p = BgNbdParams { r, alpha, a, b };
        let got = if t == 0.0 {
            bgnbd::expected_purchases_new(&p, horizon).unwrap()
        } else {
            bgnbd::expected_purchases(&p, 0.0, 0.0, t, horizon).unwrap()
        };
        // horizon / alpha up to 1e5: series of millions of terms, each rounding error counts.
        assert!(close(got, want, 1e-9), "{p:?} T = {t} horizon = {horizon}: got {got}, want {want}");
    }
}

#[test]
fn clv_of_a_customer_without_repeat_purchases_uses_the_same_values() {
    // With d = 0 and the month unit, the CLV over H months is E[spend] E[X(H)], and E[spend]
    // for x = 0 is p v / (q - 1).
    let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
    let spend = gg.p * gg.v / (gg.q - 1.0);
    let (r, alpha, a, b, t, horizon, want) = MPMATH[4];
    let p = BgNbdParams { r, alpha, a, b };
    let got = clv(&p, &gg, 0.0, 0.0, t, 0.0, horizon as u32, 0.0, TimeUnit::Month).unwrap();
    assert!(close(got, spend * want, 1e-10), "got {got}, want {}", spend * want);
}

#[test]
fn too_long_horizons_say_why() {
    let p = BgNbdParams { r: 0.1, alpha: 0.01, a: 0.05, b: 0.02 };
    let e = bgnbd::expected_purchases_new(&p, 1e9).unwrap_err();
    assert!(e.message.contains("horizon / (alpha + T)") && e.message.contains("limit"), "{}", e.message);
    assert!(e.hint.unwrap().contains("time unit"));
}
