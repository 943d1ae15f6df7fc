//! Model arguments of per-row predictors, decoded once per distinct model value. A model column
//! arrives as the CBOR bytes pgrx stores for `crm_bgnbd` / `crm_gamma_gamma`; decoding them
//! (strings, standard errors, covariance) on every row would cost more than the prediction, so
//! the last bytes seen and the parameters decoded from them are kept per backend, and so are the
//! scorers that predictors reuse row after row ([`with_scorer`]).

use crate::bgnbd::crm_bgnbd;
use crate::gamma_gamma::crm_gamma_gamma;
use crm_core::bgnbd::BgNbdParams;
use crm_core::gamma_gamma::GammaGammaParams;
use crm_core::units::TimeUnit;
use pgrx::callconv::{Arg, ArgAbi};
use pgrx::pg_sys;
use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::FromDatum;
use crate::errors::OrRaise;
use crm_core::error::CrmResult;
use std::cell::RefCell;
use std::thread::LocalKey;

/// A `crm_bgnbd` argument: the parameters and unit only.
#[derive(Clone, Copy, Debug)]
pub struct BgNbdArg {
    pub params: BgNbdParams,
    pub unit: TimeUnit,
}

/// A `crm_gamma_gamma` argument: the parameters only.
#[derive(Clone, Copy, Debug)]
pub struct GammaGammaArg {
    pub params: GammaGammaParams,
}

thread_local! {
    static LAST_BG: RefCell<Option<(Vec<u8>, BgNbdArg)>> = const { RefCell::new(None) };
    static LAST_GG: RefCell<Option<(Vec<u8>, GammaGammaArg)>> = const { RefCell::new(None) };
}

/// The value of a model datum: from the one-entry cache when its bytes equal the last ones seen,
/// otherwise decoded with the model type's own FromDatum and remembered.
///
/// # Safety
/// `datum` must be a non-null value of the model type M.
unsafe fn cached<M: FromDatum, T: Copy>(
    cache: &'static LocalKey<RefCell<Option<(Vec<u8>, T)>>>,
    datum: pg_sys::Datum,
    typoid: pg_sys::Oid,
    convert: impl FnOnce(M) -> T,
) -> T {
    // SAFETY: a non-null varlena datum. Only a compressed or out-of-line value needs
    // detoasting; a plain one (short or 4-byte header) is read in place without calling into
    // PostgreSQL (every such call sets up an error trap, which costs more than the comparison).
    let bytes = unsafe {
        let mut v: *const pg_sys::varlena = datum.cast_mut_ptr();
        if pgrx::varatt_is_1b_e(v) || pgrx::varatt_is_4b_c(v) {
            v = pg_sys::pg_detoast_datum_packed(v.cast_mut());
        }
        std::slice::from_raw_parts(pgrx::vardata_any(v) as *const u8, pgrx::varsize_any_exhdr(v))
    };
    if let Some(hit) = cache.with_borrow(|c| c.as_ref().filter(|(b, _)| b.as_slice() == bytes).map(|(_, v)| *v)) {
        return hit;
    }
    // SAFETY: the caller guarantees a non-null M.
    let model = unsafe { M::from_polymorphic_datum(datum, false, typoid) }.expect("non-null model");
    let value = convert(model);
    cache.set(Some((bytes.to_vec(), value)));
    value
}

/// Runs `score` with the scorer kept in `slot` (one per backend), replacing it with `build()` first
/// unless `fits` says it computes with the same models and settings. Per-row predictors score a
/// whole table with one scorer and what it has learned (its tables); errors are raised.
pub fn with_scorer<S, R>(
    slot: &'static LocalKey<RefCell<Option<S>>>,
    fits: impl FnOnce(&S) -> bool,
    build: impl FnOnce() -> CrmResult<S>,
    score: impl FnOnce(&mut S) -> CrmResult<R>,
) -> R {
    slot.with_borrow_mut(|slot| {
        if !slot.as_ref().is_some_and(fits) {
            *slot = Some(build()?);
        }
        score(slot.as_mut().expect("set above"))
    })
    .or_raise()
}

impl FromDatum for BgNbdArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, typoid: pg_sys::Oid) -> Option<Self> {
        // SAFETY: a crm_bgnbd argument.
        (!is_null).then(|| unsafe {
            cached(&LAST_BG, datum, typoid, |m: crm_bgnbd| BgNbdArg { params: m.params(), unit: m.unit })
        })
    }
}

impl FromDatum for GammaGammaArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, typoid: pg_sys::Oid) -> Option<Self> {
        // SAFETY: a crm_gamma_gamma argument.
        (!is_null).then(|| unsafe {
            cached(&LAST_GG, datum, typoid, |m: crm_gamma_gamma| GammaGammaArg { params: m.params() })
        })
    }
}

/// Argument plumbing and SQL mapping: the same SQL type as the model type itself.
macro_rules! model_arg {
    ($arg:ty, $model:ty) => {
        unsafe impl<'fcx> ArgAbi<'fcx> for $arg {
            unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
                let index = arg.index();
                // SAFETY: pgrx passes an argument of the declared SQL type.
                unsafe { arg.unbox_arg_using_from_datum() }.unwrap_or_else(|| panic!("argument {index} must not be null"))
            }
        }

        unsafe impl SqlTranslatable for $arg {
            const TYPE_IDENT: &'static str = <$model as SqlTranslatable>::TYPE_IDENT;
            const TYPE_ORIGIN: TypeOrigin = TypeOrigin::ThisExtension;
            const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = <$model as SqlTranslatable>::ARGUMENT_SQL;
            const RETURN_SQL: Result<ReturnsRef, ReturnsError> = <$model as SqlTranslatable>::RETURN_SQL;
        }
    };
}

model_arg!(BgNbdArg, crm_bgnbd);

