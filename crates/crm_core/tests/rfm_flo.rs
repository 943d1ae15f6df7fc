//! The course's RFM workflow on the FLO data set (docs/references.md sections 1-3): outlier
//! limits, quintile scores exactly as pandas, the (R, F) segment map, segment counts and means.

use crm_core::math::rounding::RoundMode;
use crm_core::rfm::outliers::{clip, outlier_limits};
use crm_core::rfm::quantile::{qcut_bins, qcut_score, rank_first, rank_score, DuplicateEdges};
use crm_core::rfm::segments::{course_rules, match_segment};
use crm_core::rfm::state::RfmState;
use std::collections::BTreeMap;

const FLO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/flo_data_20k.csv");
const MICROS_PER_DAY: i64 = 86_400_000_000;

struct Customer {
    master_id: String,
    first_order: i64,
    last_order: i64,
    orders_online: f64,
    orders_offline: f64,
    value_offline: f64,
    value_online: f64,
}

/// Splits a CSV line at commas outside double quotes (the categories column is a quoted list).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(ch),
        }
    }
    fields
}

/// Days since 1970-01-01 of a proleptic Gregorian `YYYY-MM-DD` (H. Hinnant's days_from_civil).
fn days(date: &str) -> i64 {
    let p: Vec<i64> = date.split('-').map(|s| s.parse().unwrap()).collect();
    let (y, m, d) = (if p[1] <= 2 { p[0] - 1 } else { p[0] }, p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn load() -> Vec<Customer> {
    let text = std::fs::read_to_string(FLO).expect("shared/data/flo_data_20k.csv");
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, first, last) = (col("master_id"), col("first_order_date"), col("last_order_date"));
    let (on, off) = (col("order_num_total_ever_online"), col("order_num_total_ever_offline"));
    let (v_off, v_on) = (col("customer_value_total_ever_offline"), col("customer_value_total_ever_online"));
    let rows: Vec<Customer> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f = split_csv(l);
            assert_eq!(f.len(), header.len(), "{l}");
            Customer {
                master_id: f[id].clone(),
                first_order: days(&f[first]) * MICROS_PER_DAY,
                last_order: days(&f[last]) * MICROS_PER_DAY,
                orders_online: f[on].parse().unwrap(),
                orders_offline: f[off].parse().unwrap(),
                value_offline: f[v_off].parse().unwrap(),
                value_online: f[v_on].parse().unwrap(),
            }
        })
        .collect();
    assert_eq!(rows.len(), 19_945);
    rows
}

fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v
}

#[test]
fn flo_outlier_limits_and_rounding() {
    let rows = load();
    let columns: [(&str, Vec<f64>); 4] = [
        ("order_num_total_ever_online", rows.iter().map(|c| c.orders_online).collect()),
        ("order_num_total_ever_offline", rows.iter().map(|c| c.orders_offline).collect()),
        ("customer_value_total_ever_offline", rows.iter().map(|c| c.value_offline).collect()),
        ("customer_value_total_ever_online", rows.iter().map(|c| c.value_online).collect()),
    ];
    let mut differing = BTreeMap::new();
    for (name, values) in &columns {
        let limits = outlier_limits(&sorted(values.iter().copied()), 0.01, 0.99, 1.5).unwrap();
        if *name == "order_num_total_ever_online" {
            assert_eq!((limits.q_low, limits.q_high, limits.low, limits.up), (1.0, 20.0, -27.5, 48.5));
            assert_eq!(clip(60.0, limits.low, limits.up, RoundMode::HalfEven).unwrap(), 48.0);
            assert_eq!(clip(60.0, limits.low, limits.up, RoundMode::HalfAway).unwrap(), 49.0);
        }
        let n = values
            .iter()
            .filter(|&&x| {
                clip(x, limits.low, limits.up, RoundMode::HalfEven).unwrap() != clip(x, limits.low, limits.up, RoundMode::HalfAway).unwrap()
            })
            .count();
        differing.insert(*name, n);
    }
    assert_eq!(differing["order_num_total_ever_online"], 14);
    assert_eq!(differing.values().sum::<usize>(), 14, "{differing:?}");
}

struct Scored {
    recency: i64,
    frequency: f64,
    monetary: f64,
    segment: String,
}

/// Scores FLO as the course; `ranks` gives each customer's frequency rank (ties broken somehow).
fn score_flo(rows: &[Customer], ranks: &[u64]) -> Vec<(u32, Scored)> {
    let as_of = days("2021-06-01") * MICROS_PER_DAY;
    let rfm: Vec<(i64, f64, f64)> = rows
        .iter()
        .map(|c| {
            // two order lines per customer: the first order with the offline value, the last with the online value
            let mut s = RfmState::new();
            s.add(c.first_order, c.value_offline, None, as_of).unwrap();
            s.add(c.last_order, c.value_online, None, as_of).unwrap();
            let r = s.result().unwrap();
            assert_eq!(r.monetary, c.value_offline + c.value_online);
            (r.recency_days, c.orders_online + c.orders_offline, r.monetary)
        })
        .collect();
    let n = rfm.len() as u64;
    let mut recency: Vec<f64> = rfm.iter().map(|r| r.0 as f64).collect();
    let mut monetary: Vec<f64> = rfm.iter().map(|r| r.2).collect();
    let r_bins = qcut_bins(&mut recency, 5, &mut || {}).unwrap();
    let m_bins = qcut_bins(&mut monetary, 5, &mut || {}).unwrap();
    let rules = course_rules();
    rfm.iter()
        .zip(ranks)
        .map(|(&(rec, freq, mon), &rank)| {
            let r = r_bins.score(rec as f64, true, DuplicateEdges::Raise).unwrap();
            assert_eq!(qcut_score(rec as f64, &r_bins.edges, true, DuplicateEdges::Raise).unwrap(), r);
            let f = rank_score(rank, n, 5).unwrap();
            let m = m_bins.score(mon, false, DuplicateEdges::Raise).unwrap();
            let segment = match_segment(&rules, r, f, Some(m)).expect("the course map covers every (R, F)");
            (f, Scored { recency: rec, frequency: freq, monetary: mon, segment: segment.segment.clone() })
        })
        .collect()
}

fn frequencies(rows: &[Customer]) -> Vec<f64> {
    rows.iter().map(|c| c.orders_online + c.orders_offline).collect()
}

#[test]
fn flo_segments_match_the_course() {
    let rows = load();
    let scored: Vec<Scored> = score_flo(&rows, &rank_first(&frequencies(&rows), &mut || {}).unwrap()).into_iter().map(|s| s.1).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &scored {
        *counts.entry(s.segment.as_str()).or_default() += 1;
    }
    let expected = [
        ("champions", 1_932),
        ("loyal_customers", 3_361),
        ("potential_loyalists", 2_938),
        ("hibernating", 3_604),
        ("at_Risk", 3_131),
        ("cant_loose", 1_200),
        ("about_to_sleep", 1_629),
        ("need_attention", 823),
        ("new_customers", 680),
        ("promising", 647),
    ];
    assert_eq!(counts, expected.into_iter().collect::<BTreeMap<_, _>>());

    let means = |segment: &str| {
        let members: Vec<&Scored> = scored.iter().filter(|s| s.segment == segment).collect();
        let n = members.len() as f64;
        let r = members.iter().map(|s| s.recency as f64).sum::<f64>() / n;
        let f = members.iter().map(|s| s.frequency).sum::<f64>() / n;
        let m = members.iter().map(|s| s.monetary).sum::<f64>() / n;
        (format!("{r:.2}"), format!("{f:.2}"), format!("{m:.2}"))
    };
    assert_eq!(means("champions"), ("17.11".into(), "8.93".into(), "1406.63".into()));
    assert_eq!(means("hibernating"), ("247.95".into(), "2.39".into(), "366.27".into()));
}

#[test]
fn flo_frequency_cannot_be_value_cut() {
    // pandas: qcut(frequency, 5) raises "Bin edges must be unique: [2, 2, 3, 4, 7, 202]": the 20%
    // edge equals the minimum. With duplicates="drop" and labels=False, 2 and 3 -> 0, 4 -> 1,
    // 5 -> 2, 202 -> 3 (four bins).
    let rows = load();
    let mut freq: Vec<f64> = rows.iter().map(|c| c.orders_online + c.orders_offline).collect();
    let bins = qcut_bins(&mut freq, 5, &mut || {}).unwrap();
    assert_eq!(bins.to_pandas_bins(), vec![2.0, 2.0, 3.0, 4.0, 7.0, 202.0]);
    let err = bins.score(5.0, false, DuplicateEdges::Raise).unwrap_err();
    assert!(err.message.contains("the edge 2 repeats"), "{}", err.message);
    let merged: Vec<u32> = [2.0, 3.0, 4.0, 5.0, 202.0].iter().map(|&x| bins.score(x, false, DuplicateEdges::Merge).unwrap()).collect();
    assert_eq!(merged, vec![1, 1, 2, 3, 4]);
    let reversed: Vec<u32> = [2.0, 3.0, 4.0, 5.0, 202.0].iter().map(|&x| bins.score(x, true, DuplicateEdges::Merge).unwrap()).collect();
    assert_eq!(reversed, vec![4, 4, 3, 2, 1]);
}

#[test]
fn flo_tie_order_matters() {
    // docs/references.md section 2: ties by master_id instead of file order change 3,532 F scores
    // and 1,831 segment labels.
    let rows = load();
    let freq = frequencies(&rows);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| freq[a].total_cmp(&freq[b]).then_with(|| rows[a].master_id.cmp(&rows[b].master_id)));
    let mut by_id = vec![0u64; rows.len()];
    for (pos, &i) in order.iter().enumerate() {
        by_id[i] = pos as u64 + 1;
    }
    let file_order = score_flo(&rows, &rank_first(&freq, &mut || {}).unwrap());
    let id_order = score_flo(&rows, &by_id);
    let f_changed = file_order.iter().zip(&id_order).filter(|(a, b)| a.0 != b.0).count();
    let seg_changed = file_order.iter().zip(&id_order).filter(|(a, b)| a.1.segment != b.1.segment).count();
    assert_eq!((f_changed, seg_changed), (3_532, 1_831));
}
