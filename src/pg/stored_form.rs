//! The stored and binary form of the model types, versioned.
//!
//! A model value on disk (a table column, a parallel worker's tuple) and in the binary protocol
//! (COPY BINARY, drivers' binary mode) is the same byte string: a format version byte,
//! [`FORMAT_VERSION`], then the JSON text form in UTF-8. It is read back through the type's
//! input function, which checks it, so a later release reads it with the fields it has added
//! given their defaults.
//!
//! Release 0.1.0 stored the values as pgrx's CBOR encoding of the struct, without a version.
//! A CBOR map starts with a byte from 0xA0 to 0xBF, never a version byte, so such values are
//! told apart and still read (`17_model_stored_form` reads values as 0.1.0 stored them).
//!
//! [`stored_form!`] makes a model type's datum conversions and its send and receive functions.

use crate::pg::errors::raise_as;
use crm_core::error::CrmError;
use pgrx::prelude::*;
use pgrx::InOutFuncs;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::ffi::CString;

/// The version of the model types' stored and binary form. A release that changes the form
/// raises it and keeps reading the older versions.
pub const FORMAT_VERSION: u8 = 1;

/// The first bytes of a CBOR map: the unversioned form of release 0.1.0.
const CBOR_MAP: std::ops::RangeInclusive<u8> = 0xA0..=0xBF;

/// A model value's stored bytes: the version byte, then its text form.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![FORMAT_VERSION];
    serde_json::to_writer(&mut out, value).expect("model values serialize to JSON");
    out
}

/// A model value from its stored or binary bytes (see the module); 22P03 for bytes of an
/// unknown version or not of this type.
pub fn decode<T: InOutFuncs + DeserializeOwned>(bytes: &[u8], type_name: &str) -> T {
    match bytes.split_first() {
        Some((&FORMAT_VERSION, text)) => match CString::new(text) {
            Ok(text) => T::input(&text),
            Err(_) => corrupt(type_name, "its text form holds a NUL byte".into()),
        },
        Some((first, _)) if CBOR_MAP.contains(first) => {
            serde_cbor::from_slice(bytes).unwrap_or_else(|e| corrupt(type_name, format!("its 0.1.0 (CBOR) form: {e}")))
        }
        Some((v, _)) => {
            let e = CrmError::invalid(format!("unknown format version {v} of a stored {type_name} value"))
                .with_hint(format!("this release reads format version {FORMAT_VERSION} and the unversioned form of 0.1.0"));
            binary_error(e)
        }
        None => corrupt(type_name, "it is empty".into()),
    }
}

fn corrupt(type_name: &str, detail: String) -> ! {
    binary_error(CrmError::invalid(format!("invalid stored {type_name} value")).with_detail(detail))
}

/// Raises `e` with SQLSTATE 22P03 (invalid_binary_representation).
fn binary_error(e: CrmError) -> ! {
    raise_as(PgSqlErrorCode::ERRCODE_INVALID_BINARY_REPRESENTATION, e)
}

/// `bytes` in a new varlena (palloc'd in the current memory context).
pub fn varlena_datum(bytes: &[u8]) -> pg_sys::Datum {
    let size = pg_sys::VARHDRSZ + bytes.len();
    // SAFETY: palloc returns `size` writable bytes (or raises); the header is set before use.
    unsafe {
        let v = pg_sys::palloc(size) as *mut u8;
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.add(pg_sys::VARHDRSZ), bytes.len());
        pgrx::set_varsize_4b(v as *mut pg_sys::varlena, size as i32);
        pg_sys::Datum::from(v)
    }
}

/// The bytes of a varlena datum (detoasted when compressed or out of line).
///
/// # Safety
/// `datum` is a non-null varlena value that lives as long as the returned slice is used.
pub unsafe fn datum_bytes<'a>(datum: pg_sys::Datum) -> &'a [u8] {
    // SAFETY: see the contract. Only a compressed or out-of-line value needs detoasting; a plain
    // one (short or 4-byte header) is read in place without calling into PostgreSQL (every such
    // call sets up an error trap, which costs more than reading it).
    unsafe {
        let mut v: *const pg_sys::varlena = datum.cast_mut_ptr();
        if pgrx::varatt_is_1b_e(v) || pgrx::varatt_is_4b_c(v) {
            v = pg_sys::pg_detoast_datum_packed(v.cast_mut());
        }
        std::slice::from_raw_parts(pgrx::vardata_any(v) as *const u8, pgrx::varsize_any_exhdr(v))
    }
}

/// The bytes of a receive function's buffer (the rest of it), consumed.
///
/// # Safety
/// `buffer` is the StringInfo PostgreSQL passes to a receive function.
pub unsafe fn take_receive_buffer<'a>(buffer: pgrx::datum::Internal) -> &'a [u8] {
    // SAFETY: see the contract.
    let b = unsafe { &mut *buffer.unwrap().expect("a receive buffer").cast_mut_ptr::<pg_sys::StringInfoData>() };
    // SAFETY: data holds len bytes, of which cursor are read.
    let bytes = unsafe { std::slice::from_raw_parts((b.data as *const u8).add(b.cursor as usize), (b.len - b.cursor) as usize) };
    b.cursor = b.len;
    bytes
}

/// The datum conversions of the model type `$model` (declared with
/// `#[bikeshed_postgres_type_manually_impl_from_into_datum]`, so pgrx does not make its CBOR
/// ones) and its binary send and receive functions `$send` and `$receive` (SQL names
/// `$send_sql`, `$receive_sql`; `ALTER TYPE ... SET (SEND, RECEIVE)` beside the model attaches
/// them). Stored and binary bytes are the same versioned form (see the module).
macro_rules! stored_form {
    ($model:ty, $send:ident, $send_sql:literal, $receive:ident, $receive_sql:literal) => {
        impl ::pgrx::datum::IntoDatum for $model {
            fn into_datum(self) -> Option<::pgrx::pg_sys::Datum> {
                Some($crate::pg::stored_form::varlena_datum(&$crate::pg::stored_form::encode(&self)))
            }
            fn type_oid() -> ::pgrx::pg_sys::Oid {
                ::pgrx::wrappers::rust_regtypein::<Self>()
            }
        }

        impl ::pgrx::datum::FromDatum for $model {
            unsafe fn from_polymorphic_datum(datum: ::pgrx::pg_sys::Datum, is_null: bool, _typoid: ::pgrx::pg_sys::Oid) -> Option<Self> {
                if is_null {
                    return None;
                }
                // SAFETY: a non-null value of this type, alive for this call.
                let bytes = unsafe { $crate::pg::stored_form::datum_bytes(datum) };
                Some($crate::pg::stored_form::decode::<$model>(bytes, stringify!($model)))
            }
        }

        // SAFETY: the datum is returned as the function's result, or NULL.
        unsafe impl ::pgrx::callconv::BoxRet for $model {
            unsafe fn box_into<'fcx>(self, fcinfo: &mut ::pgrx::callconv::FcInfo<'fcx>) -> ::pgrx::datum::Datum<'fcx> {
                match ::pgrx::datum::IntoDatum::into_datum(self) {
                    None => fcinfo.return_null(),
                    // SAFETY: a datum of the function's declared result type.
                    Some(datum) => unsafe { fcinfo.return_raw_datum(datum) },
                }
            }
        }

        // SAFETY: decoding copies everything out of the datum.
        unsafe impl ::pgrx::datum::UnboxDatum for $model {
            type As<'dat>
                = Self
            where
                Self: 'dat;
            unsafe fn unbox<'dat>(datum: ::pgrx::datum::Datum<'dat>) -> Self::As<'dat>
            where
                Self: 'dat,
            {
                // SAFETY: a non-null value of this type.
                unsafe { <Self as ::pgrx::datum::FromDatum>::from_datum(datum.sans_lifetime(), false) }.unwrap()
            }
        }

        // SAFETY: arguments are decoded through FromDatum above.
        unsafe impl<'fcx> ::pgrx::callconv::ArgAbi<'fcx> for $model {
            unsafe fn unbox_arg_unchecked(arg: ::pgrx::callconv::Arg<'_, 'fcx>) -> Self {
                let index = arg.index();
                // SAFETY: the argument has this type.
                unsafe { arg.unbox_arg_using_from_datum() }.unwrap_or_else(|| panic!("argument {index} must not be null"))
            }
        }

        #[::pgrx::pg_extern(immutable, parallel_safe, strict, name = $send_sql)]
        fn $send(model: $model) -> Vec<u8> {
            $crate::pg::stored_form::encode(&model)
        }

        #[::pgrx::pg_extern(immutable, parallel_safe, strict, name = $receive_sql)]
        fn $receive(buffer: ::pgrx::datum::Internal) -> $model {
            // SAFETY: a receive function's argument is the StringInfo holding the value's bytes.
            let bytes = unsafe { $crate::pg::stored_form::take_receive_buffer(buffer) };
            $crate::pg::stored_form::decode::<$model>(bytes, stringify!($model))
        }
    };
}
pub(crate) use stored_form;

/// A model argument as its stored text form, not decoded: what the comparison operators
/// (`crm_sql::model_comparisons!`) compare and hash. Equality, order and hash are those of the
/// text form, as in 0.1.0 (which decoded both values and printed them), for a fraction of the
/// cost; a value stored by 0.1.0 is decoded and printed once to get its text.
pub struct StoredText<T> {
    text: Vec<u8>,
    model: std::marker::PhantomData<T>,
}

impl<T> StoredText<T> {
    /// The hash of the text form: pgrx's seahash of the string, the hash operator class's
    /// function since 0.1.0 (hash indexes built then stay valid).
    pub fn hash(&self) -> u64 {
        let text = std::str::from_utf8(&self.text).expect("a model's text form is UTF-8");
        pgrx::misc::pgrx_seahash(&text)
    }
}

impl<T> PartialEq for StoredText<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl<T> Eq for StoredText<T> {}
impl<T> PartialOrd for StoredText<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for StoredText<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl<T: pgrx::datum::FromDatum + Serialize> pgrx::datum::FromDatum for StoredText<T> {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, typoid: pg_sys::Oid) -> Option<Self> {
        if is_null {
            return None;
        }
        // SAFETY: a non-null model value, alive for this call.
        let text = match unsafe { datum_bytes(datum) }.split_first() {
            Some((&FORMAT_VERSION, text)) => text.to_vec(),
            // another form (0.1.0's): the value read by its type, printed
            _ => {
                // SAFETY: as above.
                let model = unsafe { T::from_polymorphic_datum(datum, false, typoid) }.expect("a non-null model");
                serde_json::to_vec(&model).expect("model values serialize to JSON")
            }
        };
        Some(StoredText { text, model: std::marker::PhantomData })
    }
}

// SAFETY: arguments are read through FromDatum above.
unsafe impl<'fcx, T: pgrx::datum::FromDatum + Serialize> pgrx::callconv::ArgAbi<'fcx> for StoredText<T> {
    unsafe fn unbox_arg_unchecked(arg: pgrx::callconv::Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        // SAFETY: the argument has the model type T.
        unsafe { arg.unbox_arg_using_from_datum() }.unwrap_or_else(|| panic!("argument {index} must not be null"))
    }
}

// SAFETY: a StoredText<T> argument is a T in SQL.
unsafe impl<T: pgrx::pgrx_sql_entity_graph::metadata::SqlTranslatable> pgrx::pgrx_sql_entity_graph::metadata::SqlTranslatable
    for StoredText<T>
{
    const TYPE_IDENT: &'static str = T::TYPE_IDENT;
    const TYPE_ORIGIN: pgrx::pgrx_sql_entity_graph::metadata::TypeOrigin = T::TYPE_ORIGIN;
    const ARGUMENT_SQL: Result<pgrx::pgrx_sql_entity_graph::metadata::SqlMappingRef, pgrx::pgrx_sql_entity_graph::metadata::ArgumentError> =
        T::ARGUMENT_SQL;
    const RETURN_SQL: Result<pgrx::pgrx_sql_entity_graph::metadata::ReturnsRef, pgrx::pgrx_sql_entity_graph::metadata::ReturnsError> =
        T::RETURN_SQL;
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    /// The hash operator class hashes the text form as 0.1.0's derived hash did (pgrx's
    /// seahash of the text form's `String`), so hash indexes built by 0.1.0 stay valid.
    #[pg_test]
    fn hashes_are_those_of_the_text_form_string() {
        for (ty, value) in [
            ("crm_bgnbd", "crm_bgnbd(0.243, 4.414, 0.793, 2.426)"),
            ("crm_gamma_gamma", "crm_gamma_gamma(6.25, 3.74, 15.44)"),
            ("crm_pareto_nbd", "crm_pareto_nbd(0.55, 10.58, 0.61, 11.67)"),
        ] {
            let text: String = Spi::get_one(&format!("SELECT {value}::text")).unwrap().unwrap();
            let hash: i32 = Spi::get_one(&format!("SELECT crm_internal.{ty}_hash({value})")).unwrap().unwrap();
            assert_eq!(hash, pgrx::misc::pgrx_seahash(&text) as i32, "{ty}");
        }
    }
}
