//! k-means clustering (k-means++ seeding, Lloyd iterations, best of several starts) and the
//! aggregate state that collects its points.
//!
//! Conventions:
//! - The model does not depend on the order of the input points: they are sorted first, so a
//!   parallel aggregate that gathers them in any order gives the same model for the same seed.
//! - Random numbers come from `ChaCha8Rng` seeded with `seed` (reproducible across platforms).
//! - Distances are squared Euclidean in scaled space; `inertia` is their sum over all points.
//!   Ties between equally near centroids go to the lower-numbered one.
//! - An empty cluster during the iterations takes the point farthest from its centroid.
//! - Clusters are numbered 1..k by descending scaled (equivalently original) centroid of the
//!   LAST feature; ties by the first feature, then the second, .., descending. For (R, F, M)
//!   points cluster 1 is the highest-monetary one.
//! - `centroids` are `scaled_centroids` mapped back by [`Scaler::inverse_transform`]; with
//!   `log_standard` that is `exp(mean of ln(1 + x)) - 1` per feature, not the arithmetic mean.

use crate::cluster::scaling::{Scaler, Scaling};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::{sort_counting, Countdown};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

const POINTSET_VERSION: u8 = 1;

/// A fitted k-means model; its JSON form (serde) is the SQL model value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KMeansModel {
    pub k: usize,
    /// Centroids in original units, cluster 1 first.
    pub centroids: Vec<Vec<f64>>,
    /// Centroids in scaled units, cluster 1 first.
    pub scaled_centroids: Vec<Vec<f64>>,
    pub scaler: Scaler,
    /// Sum of squared distances of the points to their centroids, in scaled space.
    pub inertia: f64,
    /// Lloyd updates made by the start that won.
    pub iterations: u32,
    /// Number of points fitted.
    pub n: u64,
    /// Points per cluster, cluster 1 first.
    pub sizes: Vec<u64>,
}

/// Points collected by the k-means aggregate: rows of `dims` finite coordinates, stored flat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PointSet {
    dims: usize,
    coords: Vec<f64>,
}

impl PointSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes held on the heap (the coordinates' capacity), for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        crate::heap::vec_bytes::<f64>(self.coords.capacity())
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.coords.len().checked_div(self.dims).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.coords.is_empty()
    }

    /// Features per point (0 while empty).
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Adds a point; the first fixes the number of features. Errors (22023): no features,
    /// a different number of features than earlier points, non-finite values.
    pub fn add(&mut self, point: &[f64]) -> CrmResult<()> {
        if point.is_empty() {
            return Err(CrmError::invalid("a point needs at least one feature"));
        }
        if self.dims != 0 && point.len() != self.dims {
            return Err(CrmError::invalid(format!("all points must have {} features, got {}", self.dims, point.len())));
        }
        if let Some(bad) = point.iter().find(|v| !v.is_finite()) {
            return Err(CrmError::invalid(format!("point coordinates must be finite, got {bad}")));
        }
        self.dims = point.len();
        self.coords.extend_from_slice(point);
        Ok(())
    }

    /// Appends the points of `other`. Errors (22023) when the numbers of features differ.
    pub fn merge(&mut self, other: &PointSet) -> CrmResult<()> {
        if other.is_empty() {
            return Ok(());
        }
        if self.dims != 0 && self.dims != other.dims {
            return Err(CrmError::invalid(format!("all points must have {} features, got {}", self.dims, other.dims)));
        }
        self.dims = other.dims;
        self.coords.extend_from_slice(&other.coords);
        Ok(())
    }

    /// The points as rows; `check_interrupt` is called every [`crate::interrupt::CHECK_EVERY`] points.
    pub fn to_points(&self, check_interrupt: &mut dyn FnMut()) -> Vec<Vec<f64>> {
        if self.dims == 0 {
            return Vec::new();
        }
        let mut countdown = Countdown::new(check_interrupt);
        self.coords.chunks(self.dims).inspect(|_| countdown.tick()).map(<[f64]>::to_vec).collect()
    }

    /// Little-endian serialisation: version byte, features (u32), coordinates (f64 each).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(5 + 8 * self.coords.len());
        b.push(POINTSET_VERSION);
        b.extend_from_slice(&(self.dims as u32).to_le_bytes());
        for v in &self.coords {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    }

    /// Reads [`PointSet::to_bytes`] output; errors (22023) on anything malformed.
    pub fn from_bytes(bytes: &[u8]) -> CrmResult<Self> {
        let malformed = || CrmError::invalid("malformed k-means point set");
        if bytes.len() < 5 || bytes[0] != POINTSET_VERSION || !(bytes.len() - 5).is_multiple_of(8) {
            return Err(malformed());
        }
        let dims = u32::from_le_bytes(bytes[1..5].try_into().expect("4 bytes")) as usize;
        let coords: Vec<f64> = bytes[5..].chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
        let shape_ok = if dims == 0 { coords.is_empty() } else { coords.len().is_multiple_of(dims) };
        if !shape_ok || coords.iter().any(|v| !v.is_finite()) {
            return Err(malformed());
        }
        Ok(PointSet { dims, coords })
    }
}

/// Checks the points and returns their number of features.
fn check_points(points: &[Vec<f64>], countdown: &mut Countdown) -> CrmResult<usize> {
    let dims = points.first().map(Vec::len).ok_or_else(|| CrmError::invalid("k-means needs at least one point"))?;
    if dims == 0 {
        return Err(CrmError::invalid("a point needs at least one feature"));
    }
    if let Some(p) = points.iter().inspect(|_| countdown.tick()).find(|p| p.len() != dims) {
        return Err(CrmError::invalid(format!("all points must have {dims} features, got {}", p.len())));
    }
    if let Some(bad) = points.iter().inspect(|_| countdown.tick()).flatten().find(|v| !v.is_finite()) {
        return Err(CrmError::invalid(format!("point coordinates must be finite, got {bad}")));
    }
    Ok(dims)
}

/// Lexicographic order of rows with -0.0 equal to 0.0 (values are finite).
fn cmp_rows(a: &[f64], b: &[f64]) -> Ordering {
    a.iter().zip(b).map(|(x, y)| x.partial_cmp(y).unwrap_or(Ordering::Equal)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
}

fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Index of the nearest centroid (lowest index on ties) and the squared distance to it.
fn nearest(point: &[f64], centroids: &[f64], dims: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, centroid) in centroids.chunks(dims).enumerate() {
        let d = dist2(point, centroid);
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

/// k-means++ seeding: the first centroid uniformly at random, each next one with probability
/// proportional to the squared distance to the nearest centroid chosen so far.
fn seed_centroids(x: &[f64], dims: usize, k: usize, rng: &mut ChaCha8Rng, countdown: &mut Countdown) -> CrmResult<Vec<f64>> {
    let n = x.len() / dims;
    let first = rng.random_range(0..n);
    let mut centroids = x[first * dims..(first + 1) * dims].to_vec();
    let mut d2: Vec<f64> = x.chunks(dims).inspect(|_| countdown.tick()).map(|p| dist2(p, &centroids)).collect();
    for _ in 1..k {
        let total: f64 = d2.iter().inspect(|_| countdown.tick()).sum();
        if !total.is_finite() {
            return Err(distances_overflow());
        }
        if total <= 0.0 {
            return Err(CrmError::invalid("fewer distinct points than clusters after scaling"));
        }
        let target = rng.random::<f64>() * total;
        let mut acc = 0.0;
        let mut pick = None;
        for (i, &d) in d2.iter().enumerate() {
            countdown.tick();
            if d > 0.0 {
                pick = Some(i);
                acc += d;
                if acc > target {
                    break;
                }
            }
        }
        let pick = pick.expect("a point with positive distance exists");
        let chosen = x[pick * dims..(pick + 1) * dims].to_vec();
        for (i, p) in x.chunks(dims).enumerate() {
            countdown.tick();
            d2[i] = d2[i].min(dist2(p, &chosen));
        }
        centroids.extend_from_slice(&chosen);
    }
    Ok(centroids)
}

#[cold]
fn distances_overflow() -> CrmError {
    CrmError::out_of_range("squared distances between the points are out of range for double precision")
        .with_hint("scale the features, e.g. scaling => 'standard'")
}

struct Run {
    centroids: Vec<f64>,
    labels: Vec<usize>,
    inertia: f64,
    iterations: u32,
}

/// Assigns every point to its nearest centroid; returns how many labels changed and the inertia.
fn assign(x: &[f64], dims: usize, centroids: &[f64], labels: &mut [usize], countdown: &mut Countdown) -> (usize, f64) {
    let mut changed = 0;
    let mut inertia = 0.0;
    for (i, p) in x.chunks(dims).enumerate() {
        countdown.tick();
        let (c, d) = nearest(p, centroids, dims);
        if labels[i] != c {
            labels[i] = c;
            changed += 1;
        }
        inertia += d;
    }
    (changed, inertia)
}

/// Moves every centroid to the mean of its points; an empty cluster takes the point farthest
/// from its centroid among clusters with more than one point.
fn update(x: &[f64], dims: usize, k: usize, centroids: &mut [f64], labels: &mut [usize], countdown: &mut Countdown) {
    let mut counts = vec![0usize; k];
    for &l in labels.iter() {
        countdown.tick();
        counts[l] += 1;
    }
    for c in 0..k {
        if counts[c] > 0 {
            continue;
        }
        let far = x
            .chunks(dims)
            .enumerate()
            .inspect(|_| countdown.tick())
            .filter(|(i, _)| counts[labels[*i]] > 1)
            .map(|(i, p)| (i, dist2(p, &centroids[labels[i] * dims..(labels[i] + 1) * dims])))
            .fold(None, |best: Option<(usize, f64)>, (i, d)| match best {
                Some((_, bd)) if bd >= d => best,
                _ => Some((i, d)),
            });
        if let Some((i, _)) = far {
            counts[labels[i]] -= 1;
            labels[i] = c;
            counts[c] = 1;
        }
    }
    let mut sums = vec![0.0; k * dims];
    for (i, p) in x.chunks(dims).enumerate() {
        countdown.tick();
        for (s, v) in sums[labels[i] * dims..(labels[i] + 1) * dims].iter_mut().zip(p) {
            *s += v;
        }
    }
    for c in 0..k {
        if counts[c] > 0 {
            for j in 0..dims {
                centroids[c * dims + j] = sums[c * dims + j] / counts[c] as f64;
            }
        }
    }
}

/// Lloyd iterations: the callback is called once per iteration and every
/// [`crate::interrupt::CHECK_EVERY`] points within the passes over the points.
fn lloyd(x: &[f64], dims: usize, k: usize, mut centroids: Vec<f64>, max_iter: u32, countdown: &mut Countdown) -> Run {
    let n = x.len() / dims;
    let mut labels = vec![usize::MAX; n];
    let mut iterations = 0;
    while iterations < max_iter {
        countdown.check_now();
        let (changed, _) = assign(x, dims, &centroids, &mut labels, countdown);
        if changed == 0 {
            break;
        }
        update(x, dims, k, &mut centroids, &mut labels, countdown);
        iterations += 1;
    }
    let (_, inertia) = assign(x, dims, &centroids, &mut labels, countdown);
    Run { centroids, labels, inertia, iterations }
}

/// Order in which clusters are numbered: descending last feature, then first, second, ...
fn cluster_order(centroids: &[f64], dims: usize, k: usize) -> Vec<usize> {
    let key = |c: usize, j: usize| centroids[c * dims + j];
    let features: Vec<usize> = std::iter::once(dims - 1).chain(0..dims - 1).collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        features
            .iter()
            .map(|&j| key(b, j).partial_cmp(&key(a, j)).unwrap_or(Ordering::Equal))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    order
}

/// Points validated, sorted (so the result does not depend on input order) and scaled.
struct Prepared {
    x: Vec<f64>,
    dims: usize,
    distinct: usize,
    scaler: Scaler,
}

/// Largest k (clusters) of a fit or an elbow: the cost grows with k times the points.
pub const MAX_K: usize = 1000;
/// Largest n_init (k-means++ starts per k).
pub const MAX_N_INIT: u32 = 1000;
/// Largest max_iter (Lloyd updates per start).
pub const MAX_ITER: u32 = 100_000;

fn prepare(points: &[Vec<f64>], scaling: Scaling, n_init: u32, max_iter: u32, countdown: &mut Countdown) -> CrmResult<Prepared> {
    if !(1..=MAX_N_INIT).contains(&n_init) || !(1..=MAX_ITER).contains(&max_iter) {
        return Err(CrmError::invalid(format!(
            "n_init must be between 1 and {MAX_N_INIT} and max_iter between 1 and {MAX_ITER}, got {n_init} and {max_iter}"
        )));
    }
    let dims = check_points(points, countdown)?;
    // A stable sort: points equal under cmp_rows (0.0 and -0.0) keep their input order.
    let mut sorted: Vec<&Vec<f64>> = points.iter().collect();
    sort_counting(&mut sorted, |a, b| cmp_rows(a, b), countdown);
    let distinct = 1 + sorted.windows(2).inspect(|_| countdown.tick()).filter(|w| cmp_rows(w[0], w[1]).is_ne()).count();
    let scaler = Scaler::fit_rows(&sorted, scaling, countdown)?;
    let mut x = Vec::with_capacity(sorted.len() * dims);
    scaler.transform_rows(&sorted, &mut x, countdown)?;
    Ok(Prepared { x, dims, distinct, scaler })
}

impl Prepared {
    fn check_k(&self, k: usize) -> CrmResult<()> {
        if !(1..=MAX_K).contains(&k) {
            return Err(CrmError::invalid(format!("k must be between 1 and {MAX_K}, got {k}")));
        }
        if k > self.distinct {
            return Err(CrmError::invalid(format!("k ({k}) exceeds the number of distinct points ({})", self.distinct)));
        }
        Ok(())
    }

    /// The best of `n_init` k-means++ starts (the first on ties).
    fn best_run(&self, k: usize, seed: u64, n_init: u32, max_iter: u32, countdown: &mut Countdown) -> CrmResult<Run> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut best: Option<Run> = None;
        for _ in 0..n_init {
            let start = seed_centroids(&self.x, self.dims, k, &mut rng, countdown)?;
            let run = lloyd(&self.x, self.dims, k, start, max_iter, countdown);
            if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
                best = Some(run);
            }
        }
        Ok(best.expect("n_init >= 1"))
    }

    /// Lloyd from `previous`'s centroids plus the point farthest from its centroid: its inertia is
    /// at most `previous.inertia` (the start costs no more and Lloyd never increases the cost).
    fn warm_run(&self, previous: &Run, max_iter: u32, countdown: &mut Countdown) -> Run {
        let dims = self.dims;
        let (far, _) = self
            .x
            .chunks(dims)
            .enumerate()
            .inspect(|_| countdown.tick())
            .map(|(i, p)| (i, dist2(p, &previous.centroids[previous.labels[i] * dims..(previous.labels[i] + 1) * dims])))
            .fold((0, f64::NEG_INFINITY), |best, cur| if cur.1 > best.1 { cur } else { best });
        let mut start = previous.centroids.clone();
        start.extend_from_slice(&self.x[far * dims..(far + 1) * dims]);
        lloyd(&self.x, dims, previous.centroids.len() / dims + 1, start, max_iter, countdown)
    }

    fn model(&self, k: usize, run: Run, n: u64, countdown: &mut Countdown) -> CrmResult<KMeansModel> {
        let dims = self.dims;
        if !run.inertia.is_finite() {
            return Err(distances_overflow());
        }
        let mut sizes = vec![0u64; k];
        for &l in &run.labels {
            countdown.tick();
            sizes[l] += 1;
        }
        let order = cluster_order(&run.centroids, dims, k);
        let scaled_centroids: Vec<Vec<f64>> = order.iter().map(|&c| run.centroids[c * dims..(c + 1) * dims].to_vec()).collect();
        let centroids = scaled_centroids.iter().map(|c| self.scaler.inverse_transform(c)).collect::<CrmResult<Vec<_>>>()?;
        Ok(KMeansModel {
            k,
            centroids,
            scaled_centroids,
            scaler: self.scaler.clone(),
            inertia: run.inertia,
            iterations: run.iterations,
            n,
            sizes: order.iter().map(|&c| sizes[c]).collect(),
        })
    }
}

/// Fits k-means: scales the points (`scaling`), runs `n_init` k-means++ starts of at most
/// `max_iter` Lloyd updates each and keeps the one with the lowest inertia (the first on ties).
/// `check_interrupt` is called once per iteration and every [`crate::interrupt::CHECK_EVERY`]
/// points of every pass over the points (the SQL layer checks for query cancel there).
/// Errors (22023): no points, inconsistent or zero features, non-finite values, `k < 1`,
/// `k` above the number of distinct points, `n_init < 1`, `max_iter < 1`, and scaling errors;
/// (22003) squared distances (inertia) out of range of double precision.
pub fn kmeans_fit(
    points: &[Vec<f64>],
    k: usize,
    scaling: Scaling,
    seed: u64,
    n_init: u32,
    max_iter: u32,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<KMeansModel> {
    let countdown = &mut Countdown::new(check_interrupt);
    let prepared = prepare(points, scaling, n_init, max_iter, countdown)?;
    prepared.check_k(k)?;
    let run = prepared.best_run(k, seed, n_init, max_iter, countdown)?;
    prepared.model(k, run, points.len() as u64, countdown)
}

/// (k, inertia) for k = k_min..=k_max, for an elbow chart. Each k keeps the better of the
/// `n_init` k-means++ starts (as `kmeans_fit`) and a warm start from the previous k's solution plus
/// its farthest point, so the inertia never increases with k. k_max is capped at the number of
/// distinct points. Interrupt checks and errors as [`kmeans_fit`].
#[allow(clippy::too_many_arguments)]
pub fn kmeans_elbow(
    points: &[Vec<f64>],
    k_min: usize,
    k_max: usize,
    scaling: Scaling,
    seed: u64,
    n_init: u32,
    max_iter: u32,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Vec<(usize, f64)>> {
    let countdown = &mut Countdown::new(check_interrupt);
    let prepared = prepare(points, scaling, n_init, max_iter, countdown)?;
    prepared.check_k(k_min)?;
    if k_max < k_min || k_max > MAX_K {
        return Err(CrmError::invalid(format!("need k_min <= k_max <= {MAX_K}, got {k_min} and {k_max}")));
    }
    let mut out = Vec::new();
    let mut previous: Option<Run> = None;
    for k in k_min..=k_max.min(prepared.distinct) {
        let mut run = prepared.best_run(k, seed, n_init, max_iter, countdown)?;
        if let Some(prev) = &previous {
            let warm = prepared.warm_run(prev, max_iter, countdown);
            if warm.inertia < run.inertia {
                run = warm;
            }
        }
        if !run.inertia.is_finite() {
            return Err(distances_overflow());
        }
        out.push((k, run.inertia));
        previous = Some(run);
    }
    Ok(out)
}

/// The 1-based number of the cluster whose centroid is nearest to `point` (in scaled space;
/// lowest number on ties). Errors (22023): wrong number of features, non-finite values, values
/// the scaler cannot take (<= -1 with log scaling), a model whose centroids do not match it.
pub fn kmeans_assign(model: &KMeansModel, point: &[f64]) -> CrmResult<u32> {
    let dims = model.scaler.dims();
    if model.k == 0 || model.scaled_centroids.len() != model.k || model.scaled_centroids.iter().any(|c| c.len() != dims) {
        return Err(CrmError::invalid("malformed k-means model"));
    }
    let scaled = model.scaler.transform(point)?;
    let flat: Vec<f64> = model.scaled_centroids.concat();
    Ok(nearest(&scaled, &flat, dims).0 as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_bounds_are_errors_before_any_work() {
        let points: Vec<Vec<f64>> = (0..2000).map(|i| vec![i as f64, (i % 7) as f64]).collect();
        let mut none = || {};
        let fit = |k, n_init, max_iter, none: &mut dyn FnMut()| kmeans_fit(&points, k, Scaling::None, 1, n_init, max_iter, none);
        for (k, n_init, max_iter) in [(MAX_K + 1, 1, 10), (2, MAX_N_INIT + 1, 10), (2, 1, MAX_ITER + 1), (2, 0, 10)] {
            let e = fit(k, n_init, max_iter, &mut none).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::InvalidParameter, "{e}");
        }
        assert!(fit(MAX_K, 1, 2, &mut none).is_ok());
        let e = kmeans_elbow(&points, 1, MAX_K + 1, Scaling::None, 1, 1, 10, &mut none).unwrap_err();
        assert!(e.message.contains("k_max <= 1000"), "{e}");
    }

    #[test]
    fn point_set_round_trip_and_merge() {
        let mut a = PointSet::new();
        assert_eq!((a.len(), a.dims()), (0, 0));
        assert_eq!(PointSet::from_bytes(&a.to_bytes()).unwrap(), a);
        a.add(&[1.0, 2.0]).unwrap();
        a.add(&[3.0, -4.5]).unwrap();
        assert!(a.add(&[1.0]).is_err());
        assert!(a.add(&[1.0, f64::NAN]).is_err());
        assert!(a.add(&[]).is_err());
        let b = PointSet::from_bytes(&a.to_bytes()).unwrap();
        assert_eq!(b, a);
        let mut c = PointSet::new();
        c.merge(&b).unwrap();
        c.merge(&PointSet::new()).unwrap();
        c.merge(&a).unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c.to_points(&mut || {})[3], vec![3.0, -4.5]);
        let mut three = PointSet::new();
        three.add(&[1.0, 2.0, 3.0]).unwrap();
        assert!(c.merge(&three).is_err());
        let bytes = a.to_bytes();
        assert!(PointSet::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(PointSet::from_bytes(&bytes[..bytes.len() - 8]).is_err()); // 3 coordinates, 2 features
        assert!(PointSet::from_bytes(&[]).is_err());
    }

    #[test]
    fn validates_arguments() {
        let pts = vec![vec![0.0], vec![1.0], vec![1.0]];
        let mut noop = || {};
        assert!(kmeans_fit(&pts, 0, Scaling::None, 1, 1, 10, &mut noop).is_err());
        let e = kmeans_fit(&pts, 3, Scaling::None, 1, 1, 10, &mut noop).unwrap_err();
        assert!(e.message.contains("distinct points (2)"), "{}", e.message);
        assert!(kmeans_fit(&pts, 2, Scaling::None, 1, 0, 10, &mut noop).is_err());
        assert!(kmeans_fit(&pts, 2, Scaling::None, 1, 1, 0, &mut noop).is_err());
        assert!(kmeans_fit(&[], 1, Scaling::None, 1, 1, 10, &mut noop).is_err());
        assert!(kmeans_fit(&[vec![1.0], vec![1.0, 2.0]], 1, Scaling::None, 1, 1, 10, &mut noop).is_err());
        assert!(kmeans_fit(&[vec![f64::INFINITY]], 1, Scaling::None, 1, 1, 10, &mut noop).is_err());
        assert!(kmeans_fit(&[vec![-2.0], vec![3.0]], 1, Scaling::LogStandard, 1, 1, 10, &mut noop).is_err());
        let m = kmeans_fit(&pts, 2, Scaling::None, 1, 1, 10, &mut noop).unwrap();
        assert!(kmeans_assign(&m, &[1.0, 2.0]).is_err());
        assert!(kmeans_assign(&m, &[f64::NAN]).is_err());
    }

    #[test]
    fn one_cluster_is_the_mean() {
        let pts = vec![vec![1.0, 10.0], vec![3.0, 20.0], vec![5.0, 60.0]];
        let mut calls = 0;
        let m = kmeans_fit(&pts, 1, Scaling::None, 7, 2, 10, &mut || calls += 1).unwrap();
        assert_eq!(m.centroids, vec![vec![3.0, 30.0]]);
        assert_eq!(m.sizes, vec![3]);
        assert_eq!(m.inertia, 4.0 + 0.0 + 4.0 + 400.0 + 100.0 + 900.0);
        assert!(calls >= 2);
    }

    #[test]
    fn empty_cluster_takes_the_farthest_point() {
        // centroid 1 attracts every point; centroid 0 is empty
        let x = [0.0, 1.0, 2.0, 10.0];
        let mut centroids = vec![100.0, 1.0];
        let mut labels = vec![1usize; 4];
        update(&x, 1, 2, &mut centroids, &mut labels, &mut Countdown::new(&mut || {}));
        assert_eq!(labels, vec![1, 1, 1, 0]);
        assert_eq!(centroids, vec![10.0, 1.0]);
    }

    #[test]
    fn numbering_by_last_feature_then_first() {
        let c = [1.0, 5.0, /* */ 3.0, 9.0, /* */ 2.0, 5.0, /* */ 0.0, 7.0];
        assert_eq!(cluster_order(&c, 2, 4), vec![1, 3, 2, 0]);
    }

    /// `n` points in three loose groups, two features.
    fn many_points(n: usize) -> Vec<Vec<f64>> {
        (0..n).map(|i| vec![(i % 3) as f64 * 10.0 + (i % 101) as f64 * 0.01, (i % 7) as f64 + (i % 3) as f64 * 5.0]).collect()
    }

    #[test]
    fn passes_over_many_points_check_for_interrupts() {
        let n = 400_000;
        let points = many_points(n);
        let per_pass = n / 65_536;
        // Preparation alone: validation (2 passes), sort, distinct count, scaler (2 + 3 per
        // feature) and transform.
        let mut calls = 0usize;
        let prepared = prepare(&points, Scaling::Standard, 1, 1, &mut Countdown::new(&mut || calls += 1)).unwrap();
        assert!(calls >= 12 * per_pass, "prepare: {calls} calls");
        // One Lloyd iteration: its check, and the points of two assignment passes and an update.
        let mut calls = 0usize;
        let start = prepared.x[..3 * 2].to_vec();
        let run = lloyd(&prepared.x, 2, 3, start, 1, &mut Countdown::new(&mut || calls += 1));
        assert_eq!(run.iterations, 1);
        assert!(calls > 3 * per_pass, "lloyd: {calls} calls");
        // Seeding: the distances to each new centroid.
        let mut calls = 0usize;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        seed_centroids(&prepared.x, 2, 3, &mut rng, &mut Countdown::new(&mut || calls += 1)).unwrap();
        assert!(calls >= 5 * per_pass, "seeding: {calls} calls");
        // The whole fit and the elbow.
        let mut calls = 0usize;
        let m = kmeans_fit(&points, 3, Scaling::Standard, 1, 1, 1, &mut || calls += 1).unwrap();
        assert_eq!(m.n, n as u64);
        assert!(calls >= 20 * per_pass, "fit: {calls} calls");
        let mut calls = 0usize;
        let elbow = kmeans_elbow(&points, 1, 3, Scaling::Standard, 1, 1, 1, &mut || calls += 1).unwrap();
        assert_eq!(elbow.len(), 3);
        assert!(calls >= 30 * per_pass, "elbow: {calls} calls");
        let mut set = PointSet::new();
        for p in &points {
            set.add(p).unwrap();
        }
        let mut calls = 0usize;
        assert_eq!(set.to_points(&mut || calls += 1), points);
        assert!(calls >= per_pass, "to_points: {calls} calls");
    }

    #[test]
    fn overflowing_distances_are_out_of_range() {
        use crate::error::ErrorKind;
        let pts = vec![vec![-1e200], vec![0.0], vec![1e200]];
        let mut noop = || {};
        for k in [1, 2] {
            let e = kmeans_fit(&pts, k, Scaling::None, 1, 1, 10, &mut noop).unwrap_err();
            assert_eq!(e.kind, ErrorKind::OutOfRange, "k = {k}");
            assert!(e.message.starts_with("squared distances"), "{}", e.message);
        }
        assert_eq!(kmeans_elbow(&pts, 1, 2, Scaling::None, 1, 1, 10, &mut noop).unwrap_err().kind, ErrorKind::OutOfRange);
        // Scaled, the same points cluster fine.
        let m = kmeans_fit(&pts, 2, Scaling::MinMax, 1, 1, 10, &mut noop).unwrap();
        assert!(m.inertia.is_finite() && m.centroids.iter().flatten().all(|v| v.is_finite()));
    }
}
