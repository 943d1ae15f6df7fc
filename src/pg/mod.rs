//! The PostgreSQL plumbing that names no model: aggregates on `internal` state, base-type
//! aggregate states, the per-row calling convention and model-argument cache, composite results,
//! array arguments, safe SQL over a relation, calendar periods as SQL, error mapping, the versioned stored form of model
//! values, the `crm_internal` schema, and the C symbols kept for databases still on 0.1.0.

pub(crate) mod aggregate_support;
pub(crate) mod array_args;
mod compat_0_1;
pub(crate) mod composite;
pub(crate) mod errors;
mod internal_schema;
pub(crate) mod model_args;
pub(crate) mod periods;
pub(crate) mod relation_query;
pub(crate) mod row_call;
pub(crate) mod state_type;
pub(crate) mod stored_form;
