//! Segment maps as data: the `crm_segment_map` table (shipped with the course's map and the R `rfm`
//! package's rules; users add maps by inserting rows) and `crm_rfm_segment`, which names the segment
//! of R, F (and M) scores: the first rule of the map, in `rule_order`, whose ranges hold the scores.
//! Matching is `crm_core::rfm::segments`.

use crate::pg::errors::raise;
use crm_core::error::CrmError;
use crm_core::rfm::quantile::MAX_BINS;
use crm_core::rfm::segments::{match_segment, SegmentRule};
use pgrx::prelude::*;
use pgrx::{pg_sys, PgMemoryContexts};

/// The label of scores that no rule of the map holds.
pub const UNMATCHED: &str = "others";

extension_sql!(
    r#"
CREATE TABLE crm_segment_map (
    map_name text NOT NULL,
    rule_order integer NOT NULL,
    r_min integer NOT NULL, r_max integer NOT NULL,
    f_min integer NOT NULL, f_max integer NOT NULL,
    m_min integer NOT NULL DEFAULT 1, m_max integer NOT NULL DEFAULT 100,
    segment text NOT NULL,
    display_name text NOT NULL,
    sort_order integer NOT NULL,
    description text,
    action text,
    PRIMARY KEY (map_name, rule_order),
    CHECK (1 <= r_min AND r_min <= r_max AND r_max <= 100),
    CHECK (1 <= f_min AND f_min <= f_max AND f_max <= 100),
    CHECK (1 <= m_min AND m_min <= m_max AND m_max <= 100)
);
COMMENT ON TABLE crm_segment_map IS 'RFM segment maps: a customer gets the segment of the first rule (by rule_order) of a map whose R, F and M score ranges (inclusive) hold its scores; none matching gives ''others''. sort_order orders segments for display. Built-in maps: course (docs/references.md section 3, exact labels at_Risk and cant_loose) and rfm_package (R package rfm). Add maps by inserting rows; pg_dump keeps every map except the built-in ones, which CREATE EXTENSION recreates.';

INSERT INTO crm_segment_map (map_name, rule_order, r_min, r_max, f_min, f_max, m_min, m_max, segment, display_name, sort_order, description, action) VALUES
('course', 1, 1, 2, 1, 2, 1, 5, 'hibernating', 'Hibernating', 10, 'Last order long ago, few orders.', 'Offer relevant products and special discounts; recreate brand value.'),
('course', 2, 1, 2, 3, 4, 1, 5, 'at_Risk', 'At Risk', 8, 'Ordered often, but long ago.', 'Send personalised emails and renewals; win them back.'),
('course', 3, 1, 2, 5, 5, 1, 5, 'cant_loose', 'Can''t Lose', 9, 'Ordered most often, but long ago.', 'Win them back with new products; talk to them; do not lose them to a competitor.'),
('course', 4, 3, 3, 1, 2, 1, 5, 'about_to_sleep', 'About to Sleep', 7, 'Below-average recency and frequency.', 'Share popular products and discounts; reconnect.'),
('course', 5, 3, 3, 3, 3, 1, 5, 'need_attention', 'Need Attention', 6, 'Average recency and frequency.', 'Make limited-time offers based on their purchase history.'),
('course', 6, 3, 4, 4, 5, 1, 5, 'loyal_customers', 'Loyal Customers', 2, 'Order often and fairly recently.', 'Upsell higher-value products; ask for reviews; loyalty programme.'),
('course', 7, 4, 4, 1, 1, 1, 5, 'promising', 'Promising', 5, 'Fairly recent, one order so far.', 'Build brand awareness; offer free trials.'),
('course', 8, 5, 5, 1, 1, 1, 5, 'new_customers', 'New Customers', 4, 'Ordered very recently for the first time.', 'Onboard them; build the relationship early.'),
('course', 9, 4, 5, 2, 3, 1, 5, 'potential_loyalists', 'Potential Loyalists', 3, 'Recent customers with a few orders.', 'Offer membership or a loyalty programme; recommend products.'),
('course', 10, 5, 5, 4, 5, 1, 5, 'champions', 'Champions', 1, 'Ordered recently and most often.', 'Reward them; early access to new products; make them ambassadors.'),
('rfm_package', 1, 4, 5, 4, 5, 4, 5, 'Champions', 'Champions', 1, 'Bought recently, buy often and spend the most.', 'Reward them; early adopters of new products; they promote the brand.'),
('rfm_package', 2, 2, 5, 3, 5, 3, 5, 'Loyal Customers', 'Loyal Customers', 2, 'Spend good money, responsive to promotions.', 'Upsell higher-value products; ask for reviews.'),
('rfm_package', 3, 3, 5, 1, 3, 1, 3, 'Potential Loyalist', 'Potential Loyalist', 3, 'Recent customers, spent a good amount, bought more than once.', 'Offer membership or a loyalty programme; recommend products.'),
('rfm_package', 4, 4, 5, 1, 1, 1, 1, 'New Customers', 'New Customers', 4, 'Bought most recently, but not often.', 'Onboarding support; early success; build the relationship.'),
('rfm_package', 5, 3, 4, 1, 1, 1, 1, 'Promising', 'Promising', 5, 'Recent shoppers, but have not spent much.', 'Create brand awareness; offer free trials.'),
('rfm_package', 6, 2, 3, 2, 3, 2, 3, 'Need Attention', 'Need Attention', 6, 'Above-average recency, frequency and monetary values.', 'Make limited-time offers; recommend based on past purchases.'),
('rfm_package', 7, 2, 3, 1, 2, 1, 2, 'About To Sleep', 'About To Sleep', 7, 'Below-average recency, frequency and monetary values.', 'Share valuable resources; recommend popular products; reconnect.'),
('rfm_package', 8, 1, 2, 2, 5, 2, 5, 'At Risk', 'At Risk', 8, 'Spent big money and purchased often, but long ago.', 'Send personalised emails; offer renewals; provide helpful resources.'),
('rfm_package', 9, 1, 1, 4, 5, 4, 5, 'Can''t Lose Them', 'Can''t Lose Them', 9, 'Made the biggest purchases and often, but long ago.', 'Win them back with renewals or newer products; talk to them.'),
('rfm_package', 10, 1, 2, 1, 2, 1, 2, 'Lost', 'Lost', 10, 'Lowest recency, frequency and monetary scores.', 'Revive interest with a reach-out campaign; ignore otherwise.');

SELECT pg_catalog.pg_extension_config_dump('crm_segment_map', 'WHERE map_name NOT IN (''course'', ''rfm_package'')');
GRANT SELECT ON crm_segment_map TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON crm_segment_map TO @extowner@ WITH GRANT OPTION;
"#,
    name = "crm_segment_map_table"
);

/// The rules of segment map `map` in rule order, read from `crm_segment_map` with the caller's
/// privileges. Errors (22023) when the map has no rules.
pub fn load_rules(map: &str) -> Vec<SegmentRule> {
    crate::pg::relation_query::with_catalog_search_path(|| rules_of(map, &extension_schema()))
}

/// [`load_rules`] for a caller that knows the extension's schema (quoted, [`extension_schema`]).
pub fn load_rules_in(map: &str, schema: &str) -> Vec<SegmentRule> {
    crate::pg::relation_query::with_catalog_search_path(|| rules_of(map, schema))
}

/// The extension's schema, quoted for SQL text.
pub fn extension_schema() -> String {
    Spi::get_one::<String>("SELECT extnamespace::regnamespace::text FROM pg_catalog.pg_extension WHERE extname = 'crm_ext'")
        .expect("pg_extension is readable")
        .expect("crm_ext is installed")
}

fn rules_of(map: &str, schema: &str) -> Vec<SegmentRule> {
    let query = format!(
        "SELECT r_min, r_max, f_min, f_max, m_min, m_max, segment FROM {schema}.crm_segment_map \
         WHERE map_name = $1 ORDER BY rule_order"
    );
    let rules: Vec<SegmentRule> = Spi::connect(|client| {
        let rows = client.select(&query, None, &[map.into()])?;
        let mut rules = Vec::with_capacity(rows.len());
        for row in rows {
            let bound = |i: usize| -> spi::Result<u32> { Ok(row.get::<i32>(i)?.expect("NOT NULL column") as u32) };
            rules.push(SegmentRule {
                r_min: bound(1)?,
                r_max: bound(2)?,
                f_min: bound(3)?,
                f_max: bound(4)?,
                m_min: bound(5)?,
                m_max: bound(6)?,
                segment: row.get::<String>(7)?.expect("NOT NULL column"),
            });
        }
        Ok::<_, spi::Error>(rules)
    })
    .expect("reading crm_segment_map");
    if rules.is_empty() {
        raise(
            CrmError::invalid(format!("segment map \"{map}\" does not exist"))
                .with_hint("the maps are the map_name values of crm_segment_map; built in: course, rfm_package"),
        );
    }
    rules
}

/// A score argument: 1..=100, the range of the map's bounds (22023 otherwise).
pub fn score_arg(what: &str, score: i32) -> u32 {
    match u32::try_from(score) {
        Ok(s) if (1..=MAX_BINS).contains(&s) => s,
        _ => raise(CrmError::invalid(format!("{what} must be between 1 and {MAX_BINS}, got {score}"))),
    }
}

/// The segment label of scores under `rules`, [`UNMATCHED`] when no rule holds them.
pub fn segment_of(rules: &[SegmentRule], r: u32, f: u32, m: Option<u32>) -> String {
    match_segment(rules, r, f, m).map_or(UNMATCHED, |rule| rule.segment.as_str()).to_owned()
}

/// Maps read during one query, kept in the function's `fn_extra` (one statement, one snapshot of
/// the map, as a STABLE function may).
#[derive(Default)]
struct MapCache(Vec<(String, Vec<SegmentRule>)>);

fn cached_rules<'a>(fcinfo: pg_sys::FunctionCallInfo, map: &str) -> &'a [SegmentRule] {
    // SAFETY: flinfo lives for the query; fn_extra holds only a MapCache that this function put
    // there, allocated in fn_mcxt and dropped when that context goes away.
    let cache = unsafe {
        let flinfo = (*fcinfo).flinfo;
        if (*flinfo).fn_extra.is_null() {
            (*flinfo).fn_extra = PgMemoryContexts::For((*flinfo).fn_mcxt).leak_and_drop_on_delete(MapCache::default()).cast();
        }
        &mut *((*flinfo).fn_extra as *mut MapCache)
    };
    let i = match cache.0.iter().position(|(name, _)| name == map) {
        Some(i) => i,
        None => {
            cache.0.push((map.to_owned(), load_rules(map)));
            cache.0.len() - 1
        }
    };
    &cache.0[i].1
}

/// Segment of R and F scores under a map (M is not looked at).
#[pg_extern(stable, parallel_safe, name = "crm_rfm_segment")]
fn crm_rfm_segment_rf(r_score: i32, f_score: i32, map: default!(&str, "'course'"), fcinfo: pg_sys::FunctionCallInfo) -> String {
    let (r, f) = (score_arg("r_score", r_score), score_arg("f_score", f_score));
    segment_of(cached_rules(fcinfo, map), r, f, None)
}

/// Segment of R, F and M scores under a map.
#[pg_extern(stable, parallel_safe, name = "crm_rfm_segment")]
fn crm_rfm_segment_rfm(
    r_score: i32,
    f_score: i32,
    m_score: i32,
    map: default!(&str, "'course'"),
    fcinfo: pg_sys::FunctionCallInfo,
) -> String {
    let (r, f, m) = (score_arg("r_score", r_score), score_arg("f_score", f_score), score_arg("m_score", m_score));
    segment_of(cached_rules(fcinfo, map), r, f, Some(m))
}

extension_sql!(
    r#"
COMMENT ON FUNCTION crm_rfm_segment(integer, integer, text) IS 'Segment label of R and F scores (1..100) under a map of crm_segment_map (default ''course''): the first rule by rule_order whose R and F ranges hold them, M ranges ignored; ''others'' when none does. An unknown map is an error (22023).';
COMMENT ON FUNCTION crm_rfm_segment(integer, integer, integer, text) IS 'Segment label of R, F and M scores (1..100) under a map of crm_segment_map (default ''course''): the first rule by rule_order whose ranges hold all three; ''others'' when none does (the R rfm package says Others).';
"#,
    name = "crm_rfm_segment_comments",
    requires = ["crm_segment_map_table", crm_rfm_segment_rf, crm_rfm_segment_rfm]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::load_rules;
    use crm_core::rfm::segments::{course_display_name, course_rules, rfm_package_rules};
    use pgrx::prelude::*;

    #[pg_test]
    fn shipped_maps_are_crm_core_rules() {
        assert_eq!(load_rules("course"), course_rules());
        assert_eq!(load_rules("rfm_package"), rfm_package_rules());
        let names: Vec<(String, String)> = Spi::connect(|c| {
            c.select("SELECT segment, display_name FROM crm_segment_map WHERE map_name = 'course' ORDER BY rule_order", None, &[])?
                .map(|row| Ok((row.get::<String>(1)?.unwrap(), row.get::<String>(2)?.unwrap())))
                .collect::<spi::Result<_>>()
        })
        .unwrap();
        assert_eq!(names.len(), 10);
        for (segment, display) in names {
            assert_eq!(course_display_name(&segment), Some(display.as_str()), "{segment}");
        }
    }

    #[pg_test]
    fn course_map_covers_the_score_grid() {
        // the course map covers the 5 x 5 grid; the rfm package leaves some (R, F, M) to 'others'
        let unmatched = Spi::get_one::<i64>(
            "SELECT count(*) FROM generate_series(1, 5) r, generate_series(1, 5) f WHERE crm_rfm_segment(r, f) = 'others'",
        );
        assert_eq!(unmatched, Ok(Some(0)));
        let others = Spi::get_one::<String>("SELECT crm_rfm_segment(1, 1, 5, 'rfm_package')");
        assert_eq!(others, Ok(Some("others".to_string())));
    }
}
