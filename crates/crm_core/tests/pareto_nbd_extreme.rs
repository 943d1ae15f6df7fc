//! Pareto/NBD on extreme parameters and customers: every predictor returns a finite number in
//! range or an error of kind InvalidParameter / OutOfRange whose message names the quantity;
//! the log-likelihood is never NaN. Bad input is rejected with the offending value.

use crm_core::error::{CrmError, ErrorKind};
use crm_core::models::pareto_nbd::{self, ParetoNbdParams};
use crm_core::models::PurchaseModel;

const VALUES: [f64; 5] = [1e-6, 0.05, 1.0, 30.0, 1e6];
const CUSTOMERS: [(f64, f64, f64); 8] = [
    (0.0, 0.0, 0.0),
    (0.0, 0.0, 1e4),
    (1.0, 0.5, 39.0),
    (100.0, 38.0, 39.0),
    (1e4, 9000.0, 1e4),
    (1e4, 10.0, 1e4),
    (10.0, 9999.5, 1e4),
    (3.0, 2.0, 2.0),
];

fn check(what: &str, names: &[&str], r: Result<f64, CrmError>, prob: bool, errors: &mut usize) {
    match r {
        Ok(v) => {
            assert!(v.is_finite() && v >= 0.0, "{what}: {v}");
            assert!(!prob || v <= 1.0, "{what}: {v}");
        }
        Err(e) => {
            assert!(matches!(e.kind, ErrorKind::InvalidParameter | ErrorKind::OutOfRange), "{what}: {e:?}");
            assert!(names.iter().any(|n| e.message.contains(n)), "{what}: message does not name the quantity: {}", e.message);
            if std::env::var("SHOW").is_ok() {
                eprintln!("ERR {what}: {}", e.message);
            }
            *errors += 1;
        }
    }
}

#[test]
fn extreme_grid_gives_finite_values_or_named_errors() {
    let (mut calls, mut errors) = (0usize, 0usize);
    let lik = ["likelihood"];
    for &r in &VALUES {
        for &alpha in &VALUES {
            for &s in &VALUES {
                for &beta in &VALUES {
                    let p = ParetoNbdParams { r, alpha, s, beta };
                    for h in [1.0, 1e4] {
                        check(
                            &format!("new {p:?} {h}"),
                            &["expected purchases"],
                            pareto_nbd::expected_purchases_new(&p, h),
                            false,
                            &mut errors,
                        );
                        for n in [0, 3] {
                            check(
                                &format!("prob {p:?} {n} {h}"),
                                &["probability"],
                                pareto_nbd::prob_purchases(&p, n, h),
                                true,
                                &mut errors,
                            );
                        }
                        calls += 3;
                    }
                    for &(x, tx, t) in &CUSTOMERS {
                        let at = format!("{p:?} ({x}, {tx}, {t})");
                        assert!(!pareto_nbd::log_likelihood(&p, x, tx, t).is_nan(), "{at}");
                        check(&format!("p_alive {at}"), &lik, pareto_nbd::p_alive(&p, x, tx, t), true, &mut errors);
                        check(
                            &format!("expected {at}"),
                            &["expected purchases", "likelihood"],
                            p.expected_purchases(x, tx, t, 39.0),
                            false,
                            &mut errors,
                        );
                        for n in [0, 2] {
                            let v = pareto_nbd::conditional_prob_purchases(&p, n, x, tx, t, 39.0);
                            check(&format!("cond prob {n} {at}"), &["probability", "likelihood"], v, true, &mut errors);
                        }
                        let v = pareto_nbd::dert(&p, x, tx, t, 0.01);
                        check(&format!("dert {at}"), &["discounted expected residual transactions", "likelihood"], v, false, &mut errors);
                        calls += 5;
                    }
                }
            }
        }
    }
    eprintln!("{calls} calls, {errors} errors");
    // Every call of this grid is computed (no error) since the quadrature covers the regimes
    // where the series do not converge.
    assert_eq!(errors, 0, "{errors} errors in {calls} calls");
}

#[test]
fn bad_input_is_rejected_with_the_value() {
    let p = ParetoNbdParams { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
    let e = pareto_nbd::p_alive(&ParetoNbdParams { s: f64::NAN, ..p }, 1.0, 1.0, 2.0).unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str(), e.detail.as_deref()),
        (ErrorKind::InvalidParameter, "Pareto/NBD parameter s must be a finite positive number", Some("got s = NaN"))
    );
    assert!(pareto_nbd::validate_params(&ParetoNbdParams { beta: 0.0, ..p }).is_err());
    assert_eq!(pareto_nbd::p_alive(&p, 1.5, 1.0, 2.0).unwrap_err().kind, ErrorKind::InvalidParameter);
    assert_eq!(pareto_nbd::p_alive(&p, 1.0, 3.0, 2.0).unwrap_err().message, "recency must be between 0 and T");
    assert!(pareto_nbd::expected_purchases(&p, 1.0, 1.0, 2.0, -1.0).unwrap_err().message.contains("horizon"));
    assert!(pareto_nbd::prob_purchases(&p, 1, f64::INFINITY).unwrap_err().message.contains("horizon"));
    assert!(pareto_nbd::dert(&p, 1.0, 1.0, 2.0, 0.0).unwrap_err().message.contains("discount rate delta"));
    assert_eq!(pareto_nbd::log_likelihood(&ParetoNbdParams { r: -1.0, ..p }, 1.0, 1.0, 2.0), f64::NEG_INFINITY);
    assert_eq!(pareto_nbd::log_likelihood(&p, 0.0, 1.0, 2.0), f64::NEG_INFINITY);
    // Exact values: a customer of age 0 has likelihood 1, and nothing happens in a zero horizon.
    assert_eq!(pareto_nbd::log_likelihood(&p, 0.0, 0.0, 0.0), 0.0);
    assert_eq!(pareto_nbd::prob_purchases(&p, 0, 0.0).unwrap(), 1.0);
    assert_eq!(pareto_nbd::conditional_prob_purchases(&p, 2, 1.0, 1.0, 2.0, 0.0).unwrap(), 0.0);
    assert_eq!(<ParetoNbdParams as PurchaseModel>::NAME, "pareto_nbd");
}

#[test]
fn probabilities_sum_to_one_and_match_the_expectation() {
    // sum_n P(X(h) = n) = 1 and sum_n n P(X(h) = n) = E[X(h)], for a new and a known customer.
    let p = ParetoNbdParams { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
    let (mut total, mut mean, mut ctotal, mut cmean) = (0.0, 0.0, 0.0, 0.0);
    for n in 0..400u64 {
        let (a, b) = (
            pareto_nbd::prob_purchases(&p, n, 39.0).unwrap(),
            pareto_nbd::conditional_prob_purchases(&p, n, 4.0, 30.0, 39.0, 39.0).unwrap(),
        );
        total += a;
        mean += n as f64 * a;
        ctotal += b;
        cmean += n as f64 * b;
    }
    assert!((total - 1.0).abs() < 1e-12 && (ctotal - 1.0).abs() < 1e-12, "{total} {ctotal}");
    let (e, ce) =
        (pareto_nbd::expected_purchases_new(&p, 39.0).unwrap(), pareto_nbd::expected_purchases(&p, 4.0, 30.0, 39.0, 39.0).unwrap());
    assert!((mean / e - 1.0).abs() < 1e-10 && (cmean / ce - 1.0).abs() < 1e-10, "{mean} vs {e}, {cmean} vs {ce}");
}
