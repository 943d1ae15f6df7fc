//! k-means on synthetic, well-separated blobs: exact recovery, inertia against k, determinism,
//! stable cluster numbering, the JSON model and the aggregate's point set.

use crm_core::cluster::kmeans::{kmeans_assign, kmeans_fit, KMeansModel, PointSet};
use crm_core::cluster::scaling::Scaling;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Blob centres (R, F, M-like scales), far apart relative to the noise.
const CENTRES: [[f64; 3]; 5] =
    [[10.0, 2.0, 100.0], [200.0, 3.0, 300.0], [30.0, 20.0, 2_000.0], [300.0, 15.0, 900.0], [120.0, 8.0, 5_000.0]];

/// `per` points around each centre (uniform noise of +-2% of the centre), interleaved; returns
/// the points and each point's true blob.
fn blobs(per: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points = Vec::new();
    let mut truth = Vec::new();
    for _ in 0..per {
        for (b, c) in CENTRES.iter().enumerate() {
            points.push(c.iter().map(|v| v * (1.0 + 0.04 * (rng.random::<f64>() - 0.5))).collect());
            truth.push(b);
        }
    }
    (points, truth)
}

fn fit(points: &[Vec<f64>], k: usize, scaling: Scaling, seed: u64) -> KMeansModel {
    kmeans_fit(points, k, scaling, seed, 10, 300, &mut || {}).unwrap()
}

#[test]
fn recovers_true_clusters() {
    let (points, truth) = blobs(40, 1);
    for scaling in [Scaling::None, Scaling::Standard, Scaling::MinMax, Scaling::LogStandard] {
        let model = fit(&points, 5, scaling, 42);
        let labels: Vec<u32> = points.iter().map(|p| kmeans_assign(&model, p).unwrap()).collect();
        // the partition is the true one: each blob maps to exactly one cluster and vice versa
        let mut blob_cluster = [0u32; 5];
        for (l, &t) in labels.iter().zip(&truth) {
            assert!(blob_cluster[t] == 0 || blob_cluster[t] == *l, "{scaling:?}: blob {t} split");
            blob_cluster[t] = *l;
        }
        let mut clusters = blob_cluster.to_vec();
        clusters.sort_unstable();
        assert_eq!(clusters, vec![1, 2, 3, 4, 5], "{scaling:?}");
        assert_eq!(model.sizes, vec![40; 5]);
        assert_eq!(model.n, 200);
        // numbered by descending last feature (M): blobs 4, 2, 3, 1, 0
        assert_eq!(blob_cluster, [5, 4, 2, 3, 1], "{scaling:?}");
        for (cluster, c) in model.centroids.iter().enumerate() {
            let blob = blob_cluster.iter().position(|&l| l as usize == cluster + 1).unwrap();
            for (got, want) in c.iter().zip(&CENTRES[blob]) {
                assert!((got - want).abs() < 0.01 * want, "{scaling:?}: centroid {c:?} vs {:?}", CENTRES[blob]);
            }
        }
        // the true centres are assigned to their blob's cluster
        for (b, c) in CENTRES.iter().enumerate() {
            assert_eq!(kmeans_assign(&model, c).unwrap(), blob_cluster[b]);
        }
    }
}

#[test]
fn inertia_does_not_increase_with_k() {
    let (points, _) = blobs(30, 2);
    let inertias: Vec<f64> = (1..=8).map(|k| fit(&points, k, Scaling::LogStandard, 7).inertia).collect();
    for w in inertias.windows(2) {
        assert!(w[1] <= w[0], "{inertias:?}");
    }
    // the elbow is at the true k: the drop from 5 to 6 is tiny next to the drop from 4 to 5
    assert!(inertias[4] - inertias[5] < 0.05 * (inertias[3] - inertias[4]), "{inertias:?}");
    // standardised data: inertia of one cluster is n * dims
    assert!((inertias[0] - 150.0 * 3.0).abs() < 1e-9, "{}", inertias[0]);
}

#[test]
fn deterministic_and_order_independent() {
    let (points, _) = blobs(25, 3);
    let a = fit(&points, 4, Scaling::Standard, 99);
    let b = fit(&points, 4, Scaling::Standard, 99);
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    let mut shuffled = points.clone();
    shuffled.reverse();
    shuffled.rotate_left(17);
    assert_eq!(fit(&shuffled, 4, Scaling::Standard, 99), a);
    // k = 4 < 5 blobs: different seeds may find different local optima, but each model is
    // numbered by descending last feature
    for seed in 0..5 {
        let m = fit(&points, 4, Scaling::Standard, seed);
        for w in m.scaled_centroids.windows(2) {
            assert!(w[0][2] >= w[1][2], "{:?}", m.scaled_centroids);
        }
        for w in m.centroids.windows(2) {
            assert!(w[0][2] >= w[1][2], "{:?}", m.centroids);
        }
    }
}

#[test]
fn numbering_is_the_same_for_every_seed() {
    let (points, _) = blobs(20, 4);
    let reference = fit(&points, 5, Scaling::LogStandard, 0);
    for seed in 1..6 {
        let m = fit(&points, 5, Scaling::LogStandard, seed);
        assert_eq!(m.sizes, reference.sizes);
        for (x, y) in m.centroids.iter().zip(&reference.centroids) {
            for (u, v) in x.iter().zip(y) {
                assert!((u - v).abs() <= 1e-9 * v.abs(), "seed {seed}: {x:?} vs {y:?}");
            }
        }
        for p in &points {
            assert_eq!(kmeans_assign(&m, p).unwrap(), kmeans_assign(&reference, p).unwrap());
        }
    }
}

#[test]
fn json_model_round_trips() {
    let (points, _) = blobs(10, 5);
    let model = fit(&points, 3, Scaling::LogStandard, 11);
    let json = serde_json::to_string(&model).unwrap();
    assert!(json.contains("\"scaling\":\"log_standard\""), "{json}");
    let back: KMeansModel = serde_json::from_str(&json).unwrap();
    for p in &points {
        assert_eq!(kmeans_assign(&back, p).unwrap(), kmeans_assign(&model, p).unwrap());
    }
    assert_eq!(back.k, 3);
    assert_eq!(back.sizes.iter().sum::<u64>(), 50);
    let mut broken = back.clone();
    broken.scaled_centroids.pop();
    assert!(kmeans_assign(&broken, &points[0]).is_err());
}

#[test]
fn aggregate_point_set_gives_the_same_model() {
    let (points, _) = blobs(15, 6);
    // two "workers" collect halves; the state travels as bytes
    let (mut left, mut right) = (PointSet::new(), PointSet::new());
    for (i, p) in points.iter().enumerate() {
        if i % 3 == 0 {
            left.add(p).unwrap()
        } else {
            right.add(p).unwrap()
        }
    }
    let mut merged = PointSet::from_bytes(&right.to_bytes()).unwrap();
    merged.merge(&PointSet::from_bytes(&left.to_bytes()).unwrap()).unwrap();
    assert_eq!(merged.len(), points.len());
    assert_eq!(merged.dims(), 3);
    let from_state = fit(&merged.to_points(&mut || {}), 5, Scaling::Standard, 8);
    assert_eq!(from_state, fit(&points, 5, Scaling::Standard, 8));
}

#[test]
fn interrupt_hook_is_called_and_iterations_are_bounded() {
    let (points, _) = blobs(20, 7);
    let mut calls = 0u32;
    let m = kmeans_fit(&points, 5, Scaling::Standard, 1, 3, 2, &mut || calls += 1).unwrap();
    assert!(m.iterations <= 2);
    assert!(calls >= 3);
    assert!(m.inertia.is_finite());
}

/// The elbow's inertia never increases with k, even on unstructured data and a single Lloyd step,
/// where independent k-means++ fits do end in worse optima for a larger k (asserted too, so the data
/// is known to be hard enough).
#[test]
fn elbow_inertia_never_increases_on_noise() {
    use crm_core::cluster::kmeans::{kmeans_elbow, kmeans_fit};
    use crm_core::cluster::scaling::Scaling;
    let mut independent_rises = 0;
    for seed in 0..5u64 {
        // deterministic pseudo-random points (xorshift), no cluster structure
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ seed;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let points: Vec<Vec<f64>> = (0..120).map(|_| vec![next(), next()]).collect();
        let elbow = kmeans_elbow(&points, 1, 40, Scaling::None, seed, 1, 1, &mut || {}).unwrap();
        assert_eq!(elbow.len(), 40);
        for w in elbow.windows(2) {
            assert!(w[1].1 <= w[0].1, "seed {seed}: inertia rose from k={} ({}) to k={} ({})", w[0].0, w[0].1, w[1].0, w[1].1);
        }
        let independent: Vec<f64> =
            (1..=40).map(|k| kmeans_fit(&points, k, Scaling::None, seed, 1, 1, &mut || {}).unwrap().inertia).collect();
        independent_rises += independent.windows(2).filter(|w| w[1] > w[0]).count();
        assert!(elbow.iter().zip(&independent).all(|((_, e), i)| e <= i), "the elbow keeps the better start");
    }
    assert!(independent_rises > 0, "the data must be hard enough for independent fits to rise");
}
