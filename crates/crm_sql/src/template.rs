//! The statements of `model_sql!`, as plain string building (tested without a compiler run).

/// One model type's declaration.
#[derive(Default)]
pub struct Model {
    /// `pareto_nbd`: the SQL type `crm_pareto_nbd`, the C symbols `crm__pareto_nbd_*`.
    pub name: String,
    pub title: String,
    /// "a" or "an", as English reads the title.
    pub article: String,
    pub parameters: Vec<String>,
    /// Parameters in a time unit (`crm_unit`, `crm_time_units_per_month`, a unit argument).
    pub timed: bool,
    /// A continuous-time purchase model over `crm_rft_summary` (fits, predictors, CLV).
    pub purchase: bool,
    pub type_comment: String,
    pub p_alive_note: String,
    /// The model's own statements, placed after the generated CREATE statements.
    pub sql: String,
}

fn quoted(text: &str) -> String {
    text.replace('\'', "''")
}

fn capitalized(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The fit aggregates, fit from a summary and predictors of a continuous-time purchase model.
fn purchase_functions(t: &str, i: &str) -> String {
    let aggregate = |args: &str| {
        format!(
            "CREATE AGGREGATE {t}_fit({args}) (\n    sfunc = crm__rft_trans, stype = crm_rft_summary, finalfunc = {i}_final,\n    \
             combinefunc = crm__rft_combine, sspace = 8192, parallel = safe);\n"
        )
    };
    let row = |name: &str, args: &str, symbol: &str| {
        format!(
            "CREATE FUNCTION {name}(model {t}, {args})\n    RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', '{i}_{symbol}';\n"
        )
    };
    [
        format!("CREATE FUNCTION {i}_final(state crm_rft_summary)\n    RETURNS {t} IMMUTABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', '{i}_final';\n"),
        format!(
            "CREATE FUNCTION {t}_fit(summary crm_rft_summary, penalizer float8 DEFAULT NULL, unit text DEFAULT NULL)\n    \
             RETURNS {t} STABLE PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', '{i}_fit_summary';\n"
        ),
        aggregate("frequency float8, recency float8, t float8"),
        aggregate("frequency float8, recency float8, t float8, penalizer float8"),
        aggregate("frequency float8, recency float8, t float8, penalizer float8, unit text"),
        row("crm_p_alive", "frequency float8, recency float8, t float8", "p_alive"),
        row("crm_expected_purchases", "frequency float8, recency float8, t float8, horizon float8", "expected"),
        row("crm_expected_purchases_new", "horizon float8", "expected_new"),
        row("crm_prob_purchases", "n bigint, horizon float8", "prob"),
        format!(
            "CREATE FUNCTION crm_clv(model {t}, gg crm_gamma_gamma, frequency float8, recency float8, t float8, monetary float8,\n                        \
             months integer DEFAULT 12, discount float8 DEFAULT 0.01)\n    \
             RETURNS float8 IMMUTABLE STRICT PARALLEL SAFE LANGUAGE c AS 'MODULE_PATHNAME', '{i}_clv';\n"
        ),
    ]
    .concat()
}

fn purchase_comments(m: &Model, t: &str, i: &str) -> String {
    let (a, title) = (&m.article, &m.title);
    let note = if m.p_alive_note.is_empty() { String::new() } else { format!("; {}", quoted(&m.p_alive_note)) };
    [
        format!("COMMENT ON FUNCTION {i}_final(crm_rft_summary) IS 'Internal: final function of the {t}_fit aggregates.';"),
        format!("COMMENT ON FUNCTION {t}_fit(crm_rft_summary, float8, text) IS 'Fits {a} {title} model to a purchase summary (crm_rft_summary, crm_rollup); penalizer and unit default to the summary''s (0, and week when it records none).';"),
        format!("COMMENT ON AGGREGATE {t}_fit(float8, float8, float8) IS 'Fits {a} {title} model by maximum likelihood. frequency = repeat purchases, recency = age at the last repeat purchase, t = age now, in weeks. NULL rows are skipped; empty input gives NULL.';"),
        format!("COMMENT ON AGGREGATE {t}_fit(float8, float8, float8, float8) IS 'Fits {a} {title} model with an L2 penalizer (the lifetimes library''s semantics; 0 = maximum likelihood). Times in weeks.';"),
        format!("COMMENT ON AGGREGATE {t}_fit(float8, float8, float8, float8, text) IS 'Fits {a} {title} model with a penalizer; unit = hour, day, week or month names the unit of recency and t.';"),
        format!("COMMENT ON FUNCTION crm_p_alive({t}, float8, float8, float8) IS '{title} probability that a customer with frequency (repeat purchases), recency and t (in the model''s unit) is alive{note}.';"),
        format!("COMMENT ON FUNCTION crm_expected_purchases({t}, float8, float8, float8, float8) IS '{title} expected purchases in the next horizon time units of a customer with frequency, recency and t.';"),
        format!("COMMENT ON FUNCTION crm_expected_purchases_new({t}, float8) IS '{title} expected purchases of a new customer in the first horizon time units.';"),
        format!("COMMENT ON FUNCTION crm_prob_purchases({t}, bigint, float8) IS '{title} probability that a new customer makes exactly n purchases in horizon time units.';"),
        format!("COMMENT ON FUNCTION crm_clv({t}, crm_gamma_gamma, float8, float8, float8, float8, integer, float8) IS 'Customer lifetime value over months (default 12) with a monthly discount rate (default 0.01) from {a} {title} and a Gamma-Gamma model; frequency, recency, t in the {title} model''s unit, monetary = mean spend per repeat purchase.';"),
    ]
    .map(|s| s + "\n")
    .concat()
}

/// Comments of the constructor from known parameters and the accessors of a `model_type!` type.
fn accessor_comments(m: &Model, t: &str) -> String {
    let (a, title) = (&m.article, &m.title);
    let big_a = capitalized(a);
    let params = m.parameters.join(", ");
    let floats = vec!["float8"; m.parameters.len()].join(", ");
    let (given_args, in_unit) = if m.timed { (format!("{floats}, text"), " in the given time unit") } else { (floats, "") };
    let likelihood = if m.timed { "unpenalised, in the model''s time unit" } else { "unpenalised" };
    let mut out =
        vec![format!("COMMENT ON FUNCTION {t}({given_args}) IS '{big_a} {title} model from known parameters {params}{in_unit}.';")];
    if m.timed {
        out.push(format!("COMMENT ON FUNCTION crm_unit({t}) IS 'The time unit of {a} {title} model: hour, day, week or month.';"));
    }
    out.extend([
        format!("COMMENT ON FUNCTION {t}_params({t}) IS 'The parameters {params} of {a} {title} model with standard errors.';"),
        format!("COMMENT ON FUNCTION crm_parameter({t}, text) IS 'The estimate of one {title} parameter by name ({params}).';"),
        format!("COMMENT ON FUNCTION crm_std_error({t}, text) IS 'Standard error of {a} {title} parameter ({params}) from the inverse Hessian; NULL when unavailable.';"),
        format!("COMMENT ON FUNCTION crm_log_likelihood({t}) IS 'Log-likelihood of the {title} fit ({likelihood}).';"),
        format!("COMMENT ON FUNCTION crm_converged({t}) IS 'Whether the {title} fit converged.';"),
        format!("COMMENT ON FUNCTION crm_customers({t}) IS 'Customers used by the {title} fit.';"),
        format!("COMMENT ON FUNCTION crm_skipped({t}) IS 'Rows the {title} fit skipped because of NULLs.';"),
        format!("COMMENT ON FUNCTION crm_iterations({t}) IS 'Optimiser iterations of the {title} fit.';"),
        format!("COMMENT ON FUNCTION crm_penalizer({t}) IS 'The L2 penalizer of the {title} fit (0 = maximum likelihood).';"),
    ]);
    out.into_iter().map(|s| s + "\n").collect()
}

/// A model type's casts to and from json/jsonb (through the text form), binary I/O, and the
/// COMMENTs of its comparison functions and operators (`model_comparisons!` defines them): what every model type has.
pub fn type_statements(name: &str, title: &str, article: &str, jsonb_note: &str) -> String {
    let (t, i) = (format!("crm_{name}"), format!("crm__{name}"));
    let (a, big_a) = (article, capitalized(article));
    let note = if jsonb_note.is_empty() { String::new() } else { format!(" ({})", quoted(jsonb_note)) };
    [
        format!("CREATE CAST ({t} AS jsonb) WITH INOUT;"),
        format!("CREATE CAST (jsonb AS {t}) WITH INOUT;"),
        format!("CREATE CAST ({t} AS json) WITH INOUT;"),
        format!("COMMENT ON CAST ({t} AS jsonb) IS 'The {title} model''s text form as jsonb{note}.';"),
        format!("COMMENT ON CAST (jsonb AS {t}) IS '{big_a} {title} model from its JSON text form (checked as the type''s input).';"),
        format!("COMMENT ON CAST ({t} AS json) IS 'The {title} model''s text form as json.';"),
        format!("COMMENT ON FUNCTION {t}_eq({t}, {t}) IS 'Whether two {title} models are equal (the same stored value: the same text form); the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_ne({t}, {t}) IS 'Whether two {title} models are not equal; the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_lt({t}, {t}) IS 'Whether the first {title} model orders before the second, by text form; the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_le({t}, {t}) IS 'Whether the first {title} model orders before the second or equal, by text form; the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_gt({t}, {t}) IS 'Whether the first {title} model orders after the second, by text form; the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_ge({t}, {t}) IS 'Whether the first {title} model orders after the second or equal, by text form; the function of its operator.';"),
        format!("COMMENT ON FUNCTION {t}_cmp({t}, {t}) IS 'Order of two {title} models by text form (-1, 0, 1), for the btree operator class.';"),
        format!("COMMENT ON FUNCTION {t}_hash({t}) IS 'Hash of {a} {title} model''s text form, for the hash operator class (GROUP BY, DISTINCT, hash joins).';"),
        format!("ALTER TYPE {t} SET (SEND = {i}_send, RECEIVE = {i}_recv);"),
        format!("COMMENT ON FUNCTION {i}_send({t}) IS 'Internal: the {title} model''s binary form (a version byte and the text form), for COPY BINARY and binary drivers.';"),
        format!("COMMENT ON FUNCTION {i}_recv(internal) IS 'Internal: reads the {title} model''s binary form through the type''s input (which checks it).';"),
        format!("COMMENT ON OPERATOR = ({t}, {t}) IS '{title} models equal (the same text form).';"),
        format!("COMMENT ON OPERATOR <> ({t}, {t}) IS '{title} models not equal.';"),
        format!("COMMENT ON OPERATOR < ({t}, {t}) IS '{title} models ordered before, by text form.';"),
        format!("COMMENT ON OPERATOR <= ({t}, {t}) IS '{title} models ordered before or equal, by text form.';"),
        format!("COMMENT ON OPERATOR > ({t}, {t}) IS '{title} models ordered after, by text form.';"),
        format!("COMMENT ON OPERATOR >= ({t}, {t}) IS '{title} models ordered after or equal, by text form.';"),
    ]
    .map(|s| s + "\n")
    .concat()
}

/// Every statement of a model type's `extension_sql!` block.
pub fn statements(m: &Model) -> String {
    let (t, i) = (format!("crm_{}", m.name), format!("crm__{}", m.name));
    let mut sql = String::from("\n");
    if m.purchase {
        sql += &purchase_functions(&t, &i);
    }
    sql += m.sql.trim_matches('\n');
    sql += "\n";
    if m.timed {
        sql += &format!(
            "CREATE FUNCTION crm_time_units_per_month(model {t}) RETURNS float8\n    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS \
             $$ SELECT @extschema@.crm_time_units_per_month(@extschema@.crm_unit(model)) $$;\n"
        );
    }
    sql += &type_statements(&m.name, &m.title, &m.article, "model::jsonb -> 'warnings'");
    sql += &format!("COMMENT ON TYPE {t} IS '{}';\n", quoted(&m.type_comment));
    if m.purchase {
        sql += &purchase_comments(m, &t, &i);
    }
    if m.timed {
        sql += &format!("COMMENT ON FUNCTION crm_time_units_per_month({t}) IS 'Time units per month of the {} model''s unit.';\n", m.title);
    }
    sql += &accessor_comments(m, &t);
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pareto() -> Model {
        Model {
            name: "pareto_nbd".into(),
            title: "Pareto/NBD".into(),
            article: "a".into(),
            parameters: vec!["r".into(), "alpha".into(), "s".into(), "beta".into()],
            timed: true,
            purchase: true,
            type_comment: "A model's text".into(),
            p_alive_note: String::new(),
            sql: "CREATE FUNCTION crm_dert() ...;".into(),
        }
    }

    #[test]
    fn names_signatures_and_quotes() {
        let sql = statements(&pareto());
        assert!(
            sql.contains("CREATE AGGREGATE crm_pareto_nbd_fit(frequency float8, recency float8, t float8, penalizer float8, unit text) (")
        );
        assert!(sql.contains("'MODULE_PATHNAME', 'crm__pareto_nbd_clv';"));
        assert!(sql.contains("COMMENT ON TYPE crm_pareto_nbd IS 'A model''s text';"));
        assert!(sql.contains("COMMENT ON FUNCTION crm_pareto_nbd(float8, float8, float8, float8, text) IS 'A Pareto/NBD model from known parameters r, alpha, s, beta in the given time unit.';"));
        assert!(sql.contains("ALTER TYPE crm_pareto_nbd SET (SEND = crm__pareto_nbd_send, RECEIVE = crm__pareto_nbd_recv);"));
        // the model's own statements come after the generated CREATE FUNCTIONs and before the comments
        let own = sql.find("crm_dert").unwrap();
        assert!(sql.find("crm__pareto_nbd_clv").unwrap() < own && own < sql.find("COMMENT ON TYPE").unwrap());
        // every statement ends with a semicolon, quotes balance
        for line in sql.lines().filter(|l| l.starts_with("COMMENT")) {
            assert!(line.ends_with("';"), "{line}");
            assert_eq!(line.matches('\'').count() % 2, 0, "{line}");
        }
    }

    #[test]
    fn untimed_models_have_no_unit_functions() {
        let m = Model {
            timed: false,
            purchase: false,
            article: "an".into(),
            title: "sBG".into(),
            parameters: vec!["alpha".into(), "beta".into()],
            ..pareto()
        };
        let sql = statements(&m);
        assert!(!sql.contains("crm_unit(") && !sql.contains("crm_time_units_per_month") && !sql.contains("crm_p_alive"));
        assert!(sql.contains("COMMENT ON FUNCTION crm_pareto_nbd(float8, float8) IS 'An sBG model from known parameters alpha, beta.';"));
        assert!(sql.contains("'Log-likelihood of the sBG fit (unpenalised).'"));
    }
}
