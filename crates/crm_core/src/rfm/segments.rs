//! Segment maps: rules on R, F and M score ranges, first match wins.

use serde::{Deserialize, Serialize};

/// One rule: a customer whose scores lie in all three inclusive ranges gets `segment`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    pub r_min: u32,
    pub r_max: u32,
    pub f_min: u32,
    pub f_max: u32,
    pub m_min: u32,
    pub m_max: u32,
    pub segment: String,
}

impl SegmentRule {
    /// Whether the scores fall in this rule's ranges; `m = None` (no M score) matches any M range.
    pub fn matches(&self, r: u32, f: u32, m: Option<u32>) -> bool {
        (self.r_min..=self.r_max).contains(&r)
            && (self.f_min..=self.f_max).contains(&f)
            && m.is_none_or(|m| (self.m_min..=self.m_max).contains(&m))
    }
}

/// The first rule, in the given order, whose ranges hold the scores; `None` when no rule matches
/// (the R `rfm` package then says "Others").
pub fn match_segment(rules: &[SegmentRule], r: u32, f: u32, m: Option<u32>) -> Option<&SegmentRule> {
    rules.iter().find(|rule| rule.matches(r, f, m))
}

fn rule(r: (u32, u32), f: (u32, u32), m: (u32, u32), segment: &str) -> SegmentRule {
    SegmentRule { r_min: r.0, r_max: r.1, f_min: f.0, f_max: f.1, m_min: m.0, m_max: m.1, segment: segment.to_owned() }
}

/// The course's (R, F) map (docs/references.md section 3) with its exact labels, in the order of
/// the notebook's regex map (`[1-2][1-2]`, `[1-2][3-4]`, ..). The ranges do not overlap and cover
/// every (R, F) in 1..=5, so the order does not change any result. M is not used (1..=5).
pub fn course_rules() -> Vec<SegmentRule> {
    const ANY_M: (u32, u32) = (1, 5);
    vec![
        rule((1, 2), (1, 2), ANY_M, "hibernating"),
        rule((1, 2), (3, 4), ANY_M, "at_Risk"),
        rule((1, 2), (5, 5), ANY_M, "cant_loose"),
        rule((3, 3), (1, 2), ANY_M, "about_to_sleep"),
        rule((3, 3), (3, 3), ANY_M, "need_attention"),
        rule((3, 4), (4, 5), ANY_M, "loyal_customers"),
        rule((4, 4), (1, 1), ANY_M, "promising"),
        rule((5, 5), (1, 1), ANY_M, "new_customers"),
        rule((4, 5), (2, 3), ANY_M, "potential_loyalists"),
        rule((5, 5), (4, 5), ANY_M, "champions"),
    ]
}

/// Display name of a course label (`at_Risk` -> `At Risk`, `cant_loose` -> `Can't Lose`);
/// `None` for labels that are not the course's.
pub fn course_display_name(label: &str) -> Option<&'static str> {
    Some(match label {
        "hibernating" => "Hibernating",
        "at_Risk" => "At Risk",
        "cant_loose" => "Can't Lose",
        "about_to_sleep" => "About to Sleep",
        "need_attention" => "Need Attention",
        "loyal_customers" => "Loyal Customers",
        "promising" => "Promising",
        "new_customers" => "New Customers",
        "potential_loyalists" => "Potential Loyalists",
        "champions" => "Champions",
        _ => return None,
    })
}

/// Label the R `rfm` package gives customers that no rule matches.
pub const RFM_PACKAGE_OTHERS: &str = "Others";

/// The R `rfm` package's segments (Hebbali, CRAN package `rfm`, `rfm_segment()` documentation
/// example and vignette "RFM Analysis"): ten rules on R, F and M scores 1..5, first match wins,
/// unmatched customers are [`RFM_PACKAGE_OTHERS`]. The ranges overlap, so the order matters.
pub fn rfm_package_rules() -> Vec<SegmentRule> {
    vec![
        rule((4, 5), (4, 5), (4, 5), "Champions"),
        rule((2, 5), (3, 5), (3, 5), "Loyal Customers"),
        rule((3, 5), (1, 3), (1, 3), "Potential Loyalist"),
        rule((4, 5), (1, 1), (1, 1), "New Customers"),
        rule((3, 4), (1, 1), (1, 1), "Promising"),
        rule((2, 3), (2, 3), (2, 3), "Need Attention"),
        rule((2, 3), (1, 2), (1, 2), "About To Sleep"),
        rule((1, 2), (2, 5), (2, 5), "At Risk"),
        rule((1, 1), (4, 5), (4, 5), "Can't Lose Them"),
        rule((1, 2), (1, 2), (1, 2), "Lost"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/references.md section 3, rows R = 5 .. 1, columns F = 1 .. 5.
    const COURSE_TABLE: [[&str; 5]; 5] = [
        ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
        ["promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"],
        ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
        ["hibernating", "hibernating", "at_Risk", "at_Risk", "cant_loose"],
        ["hibernating", "hibernating", "at_Risk", "at_Risk", "cant_loose"],
    ];

    #[test]
    fn course_map_is_the_documented_table() {
        let rules = course_rules();
        for (row, labels) in COURSE_TABLE.iter().enumerate() {
            let r = 5 - row as u32;
            for (col, label) in labels.iter().enumerate() {
                let f = col as u32 + 1;
                let matching: Vec<&str> = rules.iter().filter(|x| x.matches(r, f, None)).map(|x| x.segment.as_str()).collect();
                assert_eq!(matching, vec![*label], "R={r} F={f}");
                for m in 1..=5 {
                    assert_eq!(match_segment(&rules, r, f, Some(m)).unwrap().segment, *label);
                }
                assert!(course_display_name(label).is_some());
            }
        }
        assert_eq!(match_segment(&rules, 6, 1, None), None);
        assert_eq!(course_display_name("Champions"), None);
    }

    #[test]
    fn rfm_package_first_match_wins() {
        let rules = rfm_package_rules();
        let seg = |r, f, m| match_segment(&rules, r, f, Some(m)).map(|x| x.segment.as_str()).unwrap_or(RFM_PACKAGE_OTHERS);
        assert_eq!(seg(5, 5, 5), "Champions");
        assert_eq!(seg(3, 5, 5), "Loyal Customers");
        assert_eq!(seg(5, 1, 1), "Potential Loyalist"); // before New Customers
        assert_eq!(seg(2, 2, 2), "Need Attention");
        assert_eq!(seg(1, 4, 4), "At Risk"); // before Can't Lose Them
        assert_eq!(seg(1, 1, 1), "Lost");
        assert_eq!(seg(1, 1, 5), RFM_PACKAGE_OTHERS);
        assert_eq!(seg(5, 1, 5), RFM_PACKAGE_OTHERS);
        // m = None ignores the M ranges
        assert_eq!(match_segment(&rules, 1, 1, None).unwrap().segment, "Lost");
        assert_eq!(match_segment(&rules, 5, 1, None).unwrap().segment, "Potential Loyalist");
    }
}
