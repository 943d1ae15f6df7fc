//! Maximum-likelihood machinery shared by the BG/NBD and Gamma-Gamma fits: L-BFGS with a
//! More-Thuente line search (argmin) on log-parameters, restarts after a stall, Newton polishing
//! with an analytic Hessian, a numerical Hessian from central differences of the analytic
//! gradient, and covariance by Cholesky inversion.

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use std::cell::RefCell;

use crate::error::{CrmError, CrmResult};

/// A smooth objective to minimise: value and gradient at a point, computed together.
pub(crate) trait Objective {
    /// Returns the value and writes the gradient. Must return a non-finite value (never panic)
    /// where the objective is undefined. An evaluation over many rows calls `check_interrupt`
    /// every [`crate::interrupt::CHECK_EVERY`] rows.
    fn value_grad(&self, theta: &[f64], grad: &mut [f64], check_interrupt: &mut dyn FnMut()) -> f64;
}

/// Outcome of [`minimize`].
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub theta: Vec<f64>,
    pub iterations: u64,
    pub converged: bool,
}

/// Value returned to the line search where the objective is not finite: large enough to be
/// rejected, finite so that the interpolation in More-Thuente stays defined.
const WALL: f64 = 1e100;

/// Gradient norm below which a stalled line search still counts as convergence (the objectives
/// are means over customers, so this is a per-customer scale).
const STALL_GRADIENT: f64 = 1e-6;

/// Whether a gradient norm at a point of value `value` is small enough to call the point a
/// minimum: below [`STALL_GRADIENT`] times max(1, |value|). argmin also reports convergence when
/// the cost stops changing, which it does where the objective's rounding hides every change
/// (a mean log-likelihood of -3e13 at lifetimes' start, gradient 7e11): not a minimum.
fn gradient_is_small(grad_norm: f64, value: f64) -> bool {
    grad_norm <= STALL_GRADIENT * value.abs().max(1.0)
}

/// The start of every fit: each log-parameter 0.1, as `lifetimes` starts.
pub(crate) const START: f64 = 0.1;

type Evaluation = (Vec<f64>, f64, Vec<f64>);

/// Objective evaluations one L-BFGS run may make. argmin's More-Thuente line search has no
/// iteration limit of its own and can cycle between two points on flat or walled objectives (20
/// customers, 13 without repeat purchases: minutes without end); the fits need a few hundred.
const MAX_EVALUATIONS: u64 = 20_000;

struct ArgminProblem<'a, O: Objective> {
    objective: &'a O,
    check_interrupt: RefCell<&'a mut dyn FnMut()>,
    /// Last evaluation: (point, value, gradient).
    cache: RefCell<Option<Evaluation>>,
    /// Evaluations made so far (at most [`MAX_EVALUATIONS`]).
    evaluations: std::cell::Cell<u64>,
}

impl<O: Objective> ArgminProblem<'_, O> {
    fn eval(&self, theta: &[f64]) -> Result<(f64, Vec<f64>), argmin::core::Error> {
        if let Some((t, v, g)) = self.cache.borrow().as_ref() {
            if t.as_slice() == theta {
                return Ok((*v, g.clone()));
            }
        }
        let n = self.evaluations.get() + 1;
        if n > MAX_EVALUATIONS {
            return Err(argmin::core::Error::msg(format!("no minimum found in {MAX_EVALUATIONS} evaluations of the likelihood")));
        }
        self.evaluations.set(n);
        let mut check = self.check_interrupt.borrow_mut();
        check();
        let mut grad = vec![0.0; theta.len()];
        let mut value = self.objective.value_grad(theta, &mut grad, &mut **check);
        if !value.is_finite() || grad.iter().any(|g| !g.is_finite()) {
            // Outside the region where the objective is defined: a high wall pointing back.
            value = WALL;
            for (g, t) in grad.iter_mut().zip(theta) {
                *g = t.signum();
            }
        }
        *self.cache.borrow_mut() = Some((theta.to_vec(), value, grad.clone()));
        Ok((value, grad))
    }
}

impl<O: Objective> CostFunction for ArgminProblem<'_, O> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.eval(p)?.0)
    }
}

impl<O: Objective> Gradient for ArgminProblem<'_, O> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(p)?.1)
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// One L-BFGS run from `start`. Returns the best point, its value and gradient norm, the
/// iterations used and why it stopped.
fn run_once<O: Objective>(
    objective: &O,
    start: &[f64],
    max_iter: u64,
    tol_grad: f64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<(Vec<f64>, f64, f64, u64, TerminationStatus)> {
    let (theta, value, iterations, status) = {
        let problem = ArgminProblem {
            objective,
            check_interrupt: RefCell::new(&mut *check_interrupt),
            cache: RefCell::new(None),
            evaluations: Default::default(),
        };
        let linesearch = MoreThuenteLineSearch::new();
        let solver = LBFGS::new(linesearch, 7)
            .with_tolerance_grad(tol_grad)
            .map_err(|e| CrmError::out_of_range("model fit failed in the optimiser").with_detail(e.to_string()))?;
        let result = Executor::new(problem, solver)
            .configure(|s| s.param(start.to_vec()).max_iters(max_iter))
            .ctrlc(false)
            .run()
            .map_err(|e| CrmError::out_of_range("model fit failed in the optimiser").with_detail(e.to_string()))?;
        let state = result.state();
        let theta = state
            .get_best_param()
            .or(state.get_param())
            .cloned()
            .ok_or_else(|| CrmError::out_of_range("model fit failed: the optimiser returned no parameters"))?;
        (theta, state.get_best_cost(), state.get_iter(), state.get_termination_status().clone())
    };
    // argmin keeps no problem after run(): evaluate the gradient at the best point directly
    let mut grad = vec![0.0; theta.len()];
    let at_best = objective.value_grad(&theta, &mut grad, check_interrupt);
    let grad_norm = if at_best.is_finite() { norm(&grad) } else { f64::INFINITY };
    Ok((theta, value, grad_norm, iterations, status))
}

/// Gradient norm at which L-BFGS stops: argmin's default (the square root of the machine
/// epsilon), or, for a start that Newton's method polishes, [`START_GRADIENT`].
pub(crate) const FULL_GRADIENT: f64 = 1.490_116_119_384_765_6e-8;
/// Close enough for Newton's method to take over (its steps are then about 1e-4 and quadratic
/// convergence does the rest); running L-BFGS further on a coarse copy only costs evaluations
/// at a point that is not the final one anyway.
pub(crate) const START_GRADIENT: f64 = 1e-5;

/// Minimises `objective` from `start` with L-BFGS (memory 7) and a More-Thuente line search,
/// until the gradient norm is below `tol_grad`. After a stall (line search failure) with a
/// gradient that is not yet small, the search restarts from the best point with a fresh memory,
/// at most three times. `converged` is true when the solver met its tolerances at a point whose
/// gradient is small ([`gradient_is_small`]), or stalled at a point whose gradient norm is
/// below 1e-6.
pub(crate) fn minimize<O: Objective>(
    objective: &O,
    start: &[f64],
    max_iter: u64,
    tol_grad: f64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Minimum> {
    let mut theta = start.to_vec();
    let mut iterations = 0u64;
    let mut value = f64::INFINITY;
    let mut converged = false;
    for _attempt in 0..4 {
        let budget = max_iter.saturating_sub(iterations);
        if budget == 0 {
            break;
        }
        let (t, v, grad_norm, iters, status) = run_once(objective, &theta, budget, tol_grad, check_interrupt)?;
        iterations += iters.max(1);
        if v <= value {
            theta = t;
            value = v;
        }
        match status {
            TerminationStatus::Terminated(TerminationReason::SolverConverged) => {
                converged = gradient_is_small(grad_norm, v);
                break;
            }
            TerminationStatus::Terminated(TerminationReason::SolverExit(_)) if grad_norm <= STALL_GRADIENT => {
                converged = true;
                break;
            }
            TerminationStatus::Terminated(TerminationReason::SolverExit(_)) => continue,
            _ => break,
        }
    }
    Ok(Minimum { theta, iterations, converged })
}

/// The parameters p = e^theta, or None where one is not a finite positive number.
pub(crate) fn natural<const N: usize>(theta: &[f64]) -> Option<[f64; N]> {
    let p: [f64; N] = std::array::from_fn(|i| theta[i].exp());
    p.iter().all(|v| v.is_finite() && *v > 0.0).then_some(p)
}

/// The `lifetimes` objective -(ll / weight) + penalizer * sum(p_i^2) of a sum log-likelihood `ll`
/// with gradient `g` in natural parameters p, and its gradient in theta = ln p (written to `grad`).
pub(crate) fn penalised_value_grad<const N: usize>(
    p: &[f64; N],
    ll: f64,
    g: &[f64; N],
    weight: f64,
    penalizer: f64,
    grad: &mut [f64],
) -> f64 {
    let mut value = -ll / weight;
    for i in 0..N {
        value += penalizer * p[i] * p[i];
        grad[i] = (-g[i] / weight + 2.0 * penalizer * p[i]) * p[i];
    }
    value
}

/// The Hessian in theta = ln p of that objective, from the log-likelihood's gradient `g` and
/// Hessian `h` in p: with g_p, h_p the objective's in p, d2/dtheta_i dtheta_j =
/// p_i p_j h_p[i][j] + [i = j] p_i g_p[i].
pub(crate) fn penalised_hessian<const N: usize>(
    p: &[f64; N],
    g: &[f64; N],
    h: &[[f64; N]; N],
    weight: f64,
    penalizer: f64,
) -> [[f64; N]; N] {
    let mut hess = [[0.0; N]; N];
    for i in 0..N {
        let g_p = -g[i] / weight + 2.0 * penalizer * p[i];
        for j in 0..N {
            let h_p = -h[i][j] / weight + if i == j { 2.0 * penalizer } else { 0.0 };
            hess[i][j] = p[i] * p[j] * h_p + if i == j { p[i] * g_p } else { 0.0 };
        }
    }
    hess
}

/// The last second-order evaluation of a fit's log-likelihood in natural parameters p: (p, LL,
/// gradient, Hessian). A fit's objective records each one, so that the LL and the standard
/// errors at the estimate need no further pass over the rows ([`LastEvaluation::at_estimate`]).
#[derive(Default)]
pub(crate) struct LastEvaluation<const N: usize>(RefCell<Option<Recorded<N>>>);

/// (p, LL, gradient, Hessian) of one evaluation.
type Recorded<const N: usize> = ([f64; N], f64, [f64; N], [[f64; N]; N]);

impl<const N: usize> LastEvaluation<N> {
    pub(crate) fn record(&self, p: [f64; N], ll: f64, g: [f64; N], h: [[f64; N]; N]) {
        *self.0.borrow_mut() = Some((p, ll, g, h));
    }

    /// The LL and its Hessian at the estimate `p`. Newton's method ends with a step it does not
    /// evaluate (see [`NEWTON_STEP_TOL`]): when `p` is that close to the last evaluation, the LL
    /// comes from the second-order Taylor expansion there (error of third order in the step,
    /// about 1e-12 per customer) and the Hessian is the one evaluated (relative error about the
    /// step, at most 1e-4, in the standard errors). Otherwise `evaluate` computes both at `p`.
    pub(crate) fn at_estimate(&self, p: &[f64; N], evaluate: impl FnOnce() -> (f64, [[f64; N]; N])) -> (f64, [[f64; N]; N]) {
        if let Some((p0, ll0, g0, h0)) = self.0.borrow().as_ref() {
            let d: [f64; N] = std::array::from_fn(|i| p[i] - p0[i]);
            if (0..N).all(|i| d[i].abs() <= 2.0 * NEWTON_STEP_TOL * p0[i]) {
                let mut ll = *ll0;
                for i in 0..N {
                    ll += d[i] * (g0[i] + 0.5 * (0..N).map(|j| h0[i][j] * d[j]).sum::<f64>());
                }
                return (ll, *h0);
            }
        }
        evaluate()
    }
}

/// An objective with an analytic Hessian, for [`newton_polish`].
pub(crate) trait SecondOrder<const N: usize> {
    /// Value, gradient and Hessian; a non-finite value where the objective is undefined.
    /// Interrupt checks as [`Objective::value_grad`].
    fn value_grad_hess(&self, theta: &[f64; N], grad: &mut [f64; N], hess: &mut [[f64; N]; N], check_interrupt: &mut dyn FnMut()) -> f64;
}

/// Outcome of [`newton_polish`].
pub(crate) struct Polished<const N: usize> {
    pub theta: [f64; N],
    pub iterations: u64,
}

/// Largest Newton step (in every coordinate) at which [`newton_polish`] stops: log-parameters, so
/// a relative change of the parameters. Near a minimum Newton's error after a step is about
/// C times the square of the step; on the BG/NBD and Gamma-Gamma likelihoods of CDNOW-like data
/// C is 0.3 to 0.5, so taking this last step without evaluating the objective there leaves a
/// relative error near 5e-9, far below the standard errors and the 1e-4 agreement with
/// `lifetimes`. (On 1M customers every evaluation is a pass over up to a million rows: this
/// saves one pass per level.)
const NEWTON_STEP_TOL: f64 = 1e-4;

/// Newton's method with a backtracking line search, started near a minimum (quadratic
/// convergence there). Stops when the Newton step is below [`NEWTON_STEP_TOL`] in every
/// coordinate and returns the point after that step (not evaluated). None when
/// the Hessian is not positive definite on the way, no step decreases the objective while the
/// decrease is still measurable, or `max_iter` steps do not converge: the caller then falls back
/// to L-BFGS.
pub(crate) fn newton_polish<const N: usize>(
    objective: &impl SecondOrder<N>,
    start: [f64; N],
    max_iter: u64,
    check_interrupt: &mut dyn FnMut(),
) -> Option<Polished<N>> {
    let (mut g, mut h) = ([0.0; N], [[0.0; N]; N]);
    let mut theta = start;
    let mut f = objective.value_grad_hess(&theta, &mut g, &mut h, check_interrupt);
    for iterations in 0..max_iter {
        check_interrupt();
        if !f.is_finite() {
            return None;
        }
        let inv = invert_spd(&h)?;
        let mut step = [0.0; N];
        for i in 0..N {
            step[i] = -(0..N).map(|j| inv[i][j] * g[j]).sum::<f64>();
        }
        if step.iter().all(|s| s.abs() <= NEWTON_STEP_TOL) {
            for i in 0..N {
                theta[i] += step[i];
            }
            return Some(Polished { theta, iterations });
        }
        // Predicted decrease g' H^-1 g; below the rounding noise of f the full step is taken.
        let decrement: f64 = -(0..N).map(|i| g[i] * step[i]).sum::<f64>();
        let noise = 1e-12 * f.abs().max(1.0);
        let mut t = 1.0;
        loop {
            let mut trial = theta;
            for i in 0..N {
                trial[i] += t * step[i];
            }
            let (mut g2, mut h2) = ([0.0; N], [[0.0; N]; N]);
            let f2 = objective.value_grad_hess(&trial, &mut g2, &mut h2, check_interrupt);
            if f2.is_finite() && (f2 <= f - 1e-4 * t * decrement || decrement <= noise) {
                (theta, f, g, h) = (trial, f2, g2, h2);
                break;
            }
            t *= 0.5;
            if t < 1e-3 {
                return None;
            }
        }
    }
    None
}

/// How both models are fitted. `levels` are the same objective on ever finer data, the coarsest
/// first and the real one last (cheap approximations on fewer rows, or just the real one).
/// L-BFGS from `lifetimes`' start (every log-parameter 0.1) on the coarsest until Newton can
/// take over ([`START_GRADIENT`]), then on each level in turn Newton's method from the previous
/// level's optimum. Where Newton declines, L-BFGS takes over on that level to full precision.
///
/// `richardson` = 1 / (rho - 1) for levels whose optimum's distance to the real one shrinks by
/// a factor rho from one level to the next (an error of second order in a grid width halved
/// per level: rho = 4): from the third level on, Newton starts at the extrapolation
/// theta_prev + richardson (theta_prev - theta_before), much closer to the level's optimum than
/// theta_prev is. 0 starts every level at the previous optimum. The start only saves Newton
/// steps; where it lands does not change the optimum found. A result still at the start is
/// never `converged`.
pub(crate) fn fit_by_levels<const N: usize, O: Objective + SecondOrder<N>>(
    levels: &[&O],
    richardson: f64,
    max_iter: u64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Minimum> {
    let mut m = minimize(levels[0], &[START; N], max_iter, START_GRADIENT, check_interrupt)?;
    let mut before: Option<[f64; N]> = None;
    for (i, level) in levels.iter().enumerate() {
        let prev: [f64; N] = m.theta.clone().try_into().expect("N parameters");
        let mut start = prev;
        if let Some(b) = before {
            for j in 0..N {
                start[j] += richardson * (prev[j] - b[j]);
            }
        }
        // The first level starts from L-BFGS's rough optimum: not a level optimum to extrapolate from.
        before = (i > 0).then_some(prev);
        m = match newton_polish(*level, start, 50, check_interrupt) {
            Some(p) => Minimum { theta: p.theta.to_vec(), iterations: m.iterations + p.iterations, converged: true },
            None => {
                let rest = minimize(*level, &prev, max_iter.saturating_sub(m.iterations).max(1), FULL_GRADIENT, check_interrupt)?;
                Minimum { iterations: m.iterations + rest.iterations, ..rest }
            }
        };
    }
    // Parameters still at the start never left it: whatever the optimiser said, not a fit.
    if m.theta.iter().all(|t| (t - START).abs() <= 1e-12) {
        m.converged = false;
    }
    Ok(m)
}

/// Hessian of a function from its gradient by central differences, step `1e-5 * max(|x_i|, 1e-3)`,
/// symmetrised. `grad` returns None where the gradient is undefined. Tests check the analytic
/// Hessians of the fits against it; the fits without an analytic Hessian take it as theirs.
pub(crate) fn numeric_hessian<const N: usize>(grad: &mut dyn FnMut(&[f64; N]) -> Option<[f64; N]>, at: &[f64; N]) -> Option<[[f64; N]; N]> {
    let mut h = [[0.0; N]; N];
    for j in 0..N {
        let step = 1e-5 * at[j].abs().max(1e-3);
        let mut up = *at;
        let mut down = *at;
        up[j] += step;
        down[j] -= step;
        let gu = grad(&up)?;
        let gd = grad(&down)?;
        for i in 0..N {
            h[i][j] = (gu[i] - gd[i]) / (up[j] - down[j]);
        }
    }
    for i in 0..N {
        for j in 0..i {
            let m = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = m;
            h[j][i] = m;
        }
    }
    h.iter().flatten().all(|v| v.is_finite()).then_some(h)
}

/// Inverse of a symmetric positive-definite matrix via Cholesky; None if not positive definite.
pub(crate) fn invert_spd<const N: usize>(m: &[[f64; N]; N]) -> Option<[[f64; N]; N]> {
    // m = L L^T
    let mut l = [[0.0; N]; N];
    for i in 0..N {
        for j in 0..=i {
            let mut s = m[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if !(s > 0.0) || !s.is_finite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // inv(L) by forward substitution, then inv(m) = inv(L)^T inv(L).
    let mut li = [[0.0; N]; N];
    for i in 0..N {
        li[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let mut s = 0.0;
            for k in j..i {
                s -= l[i][k] * li[k][j];
            }
            li[i][j] = s / l[i][i];
        }
    }
    let mut inv = [[0.0; N]; N];
    for i in 0..N {
        for j in 0..=i {
            let s: f64 = (i.max(j)..N).map(|k| li[k][i] * li[k][j]).sum();
            inv[i][j] = s;
            inv[j][i] = s;
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

/// Covariance (inverse of the Hessian of the negative log-likelihood) and standard errors from
/// the Hessian of the log-likelihood; None unless -hessian is positive definite.
pub(crate) fn covariance_from_ll_hessian<const N: usize>(h_ll: &[[f64; N]; N]) -> Option<([[f64; N]; N], [f64; N])> {
    let mut neg = *h_ll;
    neg.iter_mut().flatten().for_each(|v| *v = -*v);
    let cov = invert_spd(&neg)?;
    let mut se = [0.0; N];
    for i in 0..N {
        if !(cov[i][i] > 0.0) {
            return None;
        }
        se[i] = cov[i][i].sqrt();
    }
    Some((cov, se))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn value_grad(&self, t: &[f64], g: &mut [f64], _: &mut dyn FnMut()) -> f64 {
            let (x, y) = (t[0], t[1]);
            g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
            g[1] = 200.0 * (y - x * x);
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        }
    }

    #[test]
    fn minimizes_rosenbrock_and_counts_interrupt_checks() {
        let mut calls = 0u64;
        let m = minimize(&Rosenbrock, &[-1.2, 1.0], 500, FULL_GRADIENT, &mut || calls += 1).unwrap();
        assert!(m.converged);
        assert!((m.theta[0] - 1.0).abs() < 1e-6 && (m.theta[1] - 1.0).abs() < 1e-6, "{:?}", m.theta);
        assert!(calls >= m.iterations);
    }

    #[test]
    fn max_iter_is_not_convergence() {
        let m = minimize(&Rosenbrock, &[-1.2, 1.0], 3, FULL_GRADIENT, &mut || {}).unwrap();
        assert!(!m.converged);
        assert!(m.theta.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn inverts_spd_and_rejects_indefinite() {
        let m = [[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]];
        let inv = invert_spd(&m).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| m[i][k] * inv[k][j]).sum();
                assert!((p - if i == j { 1.0 } else { 0.0 }).abs() < 1e-14);
            }
        }
        assert!(invert_spd(&[[1.0, 2.0], [2.0, 1.0]]).is_none());
    }

    impl SecondOrder<2> for Rosenbrock {
        fn value_grad_hess(&self, t: &[f64; 2], g: &mut [f64; 2], h: &mut [[f64; 2]; 2], check: &mut dyn FnMut()) -> f64 {
            let (x, y) = (t[0], t[1]);
            *h = [[2.0 - 400.0 * (y - 3.0 * x * x), -400.0 * x], [-400.0 * x, 200.0]];
            self.value_grad(t, g, check)
        }
    }

    #[test]
    fn newton_polish_converges_near_a_minimum_and_declines_far_away() {
        let p = newton_polish(&Rosenbrock, [0.9, 0.8], 50, &mut || {}).unwrap();
        assert!((p.theta[0] - 1.0).abs() < 1e-12 && (p.theta[1] - 1.0).abs() < 1e-12, "{:?}", p.theta);
        assert!(p.iterations < 20);
        // At (0, 1) the Hessian is indefinite: no polishing.
        assert!(newton_polish(&Rosenbrock, [0.0, 1.0], 50, &mut || {}).is_none());
    }

    #[test]
    fn numeric_hessian_of_quadratic() {
        // f = x^2 + 3xy + 2y^2 -> gradient (2x + 3y, 3x + 4y)
        let h = numeric_hessian(&mut |p: &[f64; 2]| Some([2.0 * p[0] + 3.0 * p[1], 3.0 * p[0] + 4.0 * p[1]]), &[1.0, 2.0]).unwrap();
        assert!((h[0][0] - 2.0).abs() < 1e-8 && (h[0][1] - 3.0).abs() < 1e-8 && (h[1][1] - 4.0).abs() < 1e-8);
    }

    /// A huge value whose rounding hides every change, with a steep slope in the first coordinate
    /// (the shape of the BG/NBD log-likelihood at the start for frequencies of 1e12).
    struct Flat;
    impl Objective for Flat {
        fn value_grad(&self, t: &[f64], g: &mut [f64], _: &mut dyn FnMut()) -> f64 {
            g[0] = 7e11;
            g[1] = 2.0 * (t[1] - 1.0);
            -3e13 + 7e11 * (t[0] - START) * 1e-30 + (t[1] - 1.0).powi(2)
        }
    }

    #[test]
    fn flat_cost_with_a_steep_gradient_is_not_convergence() {
        // argmin stops at once (the cost does not change) and calls that convergence.
        let m = minimize(&Flat, &[START, START], 100, FULL_GRADIENT, &mut || {}).unwrap();
        assert_eq!(m.theta, vec![START, START]);
        assert!(!m.converged, "{m:?}");
    }
}
