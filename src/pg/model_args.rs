//! Model arguments of per-row predictors, decoded once per distinct model value. A model column
//! arrives as its stored bytes (`crm_bgnbd`, `crm_gamma_gamma`, ...: a version byte and JSON, `stored_form`); decoding them
//! (strings, standard errors, covariance) on every row would cost more than the prediction.
//! Each call site (one function in one query, PostgreSQL's `FmgrInfo`) keeps a [`CallCache`]: the
//! model bytes last seen with the parameters decoded from them, and the scorer that the
//! predictor reuses row after row. Keeping them per call site rather than per backend lets two
//! calls with different models in one query keep their own scorers.

use crate::pg::errors::OrRaise;
use crm_core::error::CrmResult;
use pgrx::{pg_sys, FromDatum, PgMemoryContexts};
use std::any::{Any, TypeId};

/// A model type that per-row functions take as an argument: what they need of a value (its
/// parameters, usually) is decoded once per distinct value and call site.
pub trait ModelArgument: FromDatum + 'static {
    /// What the predictors read (small and `Copy`).
    type Arg: Copy + 'static;
    fn argument(self) -> Self::Arg;
}

/// The last model value seen at one argument position: its bytes and what was decoded from them.
pub struct ModelCache<T>(Option<(Vec<u8>, T)>);

impl<T> Default for ModelCache<T> {
    fn default() -> Self {
        ModelCache(None)
    }
}

impl<T: Copy> ModelCache<T> {
    /// The value of a model datum: the cached one when its bytes equal the last ones seen,
    /// otherwise decoded with the model type M's own FromDatum and remembered.
    ///
    /// # Safety
    /// `datum` must be a non-null value of the model type M.
    unsafe fn get<M: FromDatum>(&mut self, datum: pg_sys::Datum, convert: impl FnOnce(M) -> T) -> T {
        // SAFETY: a non-null varlena datum, alive for this call.
        let bytes = unsafe { crate::pg::stored_form::datum_bytes(datum) };
        match &self.0 {
            Some((b, value)) if b.as_slice() == bytes => *value,
            _ => {
                // SAFETY: the caller guarantees a non-null M.
                let model = unsafe { M::from_datum(datum, false) }.expect("non-null model");
                let value = convert(model);
                self.0 = Some((bytes.to_vec(), value));
                value
            }
        }
    }
}

/// What one call site of a predictor keeps between rows (in `fn_extra`, freed with the query's
/// function-call memory): the last value of each model type among its arguments with what was
/// decoded from it, and its scorer S (`()` when it has none).
pub struct CallCache<S> {
    /// One `ModelCache<M::Arg>` per model type M, found by the type's id.
    models: Vec<(TypeId, Box<dyn Any>)>,
    scorer: Option<S>,
}

impl<S> Default for CallCache<S> {
    fn default() -> Self {
        CallCache { models: Vec::new(), scorer: None }
    }
}

impl<S> CallCache<S> {
    /// The cache of the function being called (created at its first call in this query).
    ///
    /// # Safety
    /// `fcinfo` is a live call info, and every call through its `FmgrInfo` uses the same S
    /// (one S per C function).
    pub unsafe fn of<'a>(fcinfo: pg_sys::FunctionCallInfo) -> &'a mut CallCache<S>
    where
        S: 'static,
    {
        // SAFETY: see above; fn_mcxt lives as long as the FmgrInfo, and the cache is dropped when
        // that context is reset or deleted.
        unsafe {
            let flinfo = (*fcinfo).flinfo;
            if (*flinfo).fn_extra.is_null() {
                let cache = PgMemoryContexts::For((*flinfo).fn_mcxt).leak_and_drop_on_delete(CallCache::<S>::default());
                (*flinfo).fn_extra = cache.cast();
            }
            &mut *(*flinfo).fn_extra.cast::<CallCache<S>>()
        }
    }

    /// What the predictors need of a non-null model datum of type M.
    ///
    /// # Safety
    /// `datum` is a non-null value of the SQL type of M.
    pub unsafe fn model<M: ModelArgument>(&mut self, datum: pg_sys::Datum) -> M::Arg {
        let id = TypeId::of::<M>();
        let at = match self.models.iter().position(|(t, _)| *t == id) {
            Some(at) => at,
            None => {
                self.models.push((id, Box::new(ModelCache::<M::Arg>::default())));
                self.models.len() - 1
            }
        };
        let cache = self.models[at].1.downcast_mut::<ModelCache<M::Arg>>().expect("one cache type per model type");
        // SAFETY: see above.
        unsafe { cache.get(datum, M::argument) }
    }

    /// Runs `score` with this call site's scorer, replacing it with `build()` first unless `fits`
    /// says it computes with the same models and settings. Errors are raised.
    pub fn with_scorer<R>(
        &mut self,
        fits: impl FnOnce(&S) -> bool,
        build: impl FnOnce() -> CrmResult<S>,
        score: impl FnOnce(&mut S) -> CrmResult<R>,
    ) -> R {
        if !self.scorer.as_ref().is_some_and(fits) {
            self.scorer = None;
            self.scorer = Some(build().or_raise());
        }
        score(self.scorer.as_mut().expect("set above")).or_raise()
    }
}
