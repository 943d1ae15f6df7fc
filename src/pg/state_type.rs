//! Aggregate states that are real base types (not `internal`), so that Citus computes the
//! aggregates on its workers (it refuses pseudo-type states and ships states through the type's
//! text form) and summaries can be stored, rolled up and fitted later.
//!
//! A value is a varlena: a format version byte, then the state's bytes (`AggState::to_bytes`).
//! Inside an aggregate the state is held as a read-write expanded object (PostgreSQL's
//! expanded-datum protocol): the transition function updates it in place and returns the same
//! pointer, so PostgreSQL neither copies nor flattens it per row; it is flattened only when it
//! leaves the aggregate (a parallel worker's tuple, Citus's text form, a stored value). The
//! object lives in its own memory context under the aggregate context and charges its
//! Rust-heap bytes there, so hash aggregation budgets it.
//!
//! Each state type implements [`StateType`]; [`state_type_functions!`] makes its input, output,
//! send and receive functions, declared with `CREATE TYPE` beside the type's other SQL.

use crate::pg::aggregate_support::{aggregate_context, check_interrupts, AggState, MemoryCharge};
use crate::pg::errors::raise;
use crate::pg::row_call::argument;
use crate::pg::stored_form::varlena_datum;
use crm_core::error::{CrmError, CrmResult};
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting, PostgresGucEnum};
use pgrx::pg_sys;
use pgrx::prelude::*;
use std::ffi::CStr;

/// A state held in a base type.
pub trait StateType: AggState {
    /// The SQL type name (in messages).
    const TYPE_NAME: &'static str;
    /// The first byte of every binary value; a later release reads older versions or says so.
    const FORMAT_VERSION: u8;
    /// The expanded-object methods of this type (one static per type: its address identifies
    /// the type's objects).
    fn methods() -> &'static pg_sys::ExpandedObjectMethods;
    /// The text form; `read_text(write_text(s))` gives back `s` exactly. By default the binary
    /// form in hexadecimal (states that are not meant to be read, only shipped by Citus).
    fn write_text(&self) -> String {
        hex_text(self, "")
    }

    fn read_text(text: &str, _check_interrupt: &mut dyn FnMut()) -> CrmResult<Self> {
        from_hex_text(text)
    }
}

/// How the public summaries (`crm_rft_summary`, `crm_spend_summary`) print: the setting
/// `crm_ext.summary_output`, as `bytea_output` is for bytea.
#[derive(PostgresGucEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum SummaryOutput {
    /// Readable JSON with the rows as numbers (the default).
    #[name = c"json"]
    Json,
    /// `\x` and the binary form in hexadecimal: exact as well, 37% shorter, faster to print and
    /// about twice as fast to read, for Citus, which ships partial states as text.
    #[name = c"hex"]
    Hex,
}

pub static SUMMARY_OUTPUT: GucSetting<SummaryOutput> = GucSetting::<SummaryOutput>::new(SummaryOutput::Json);

/// Registers `crm_ext.summary_output` (called from `_PG_init`).
pub fn register_settings() {
    GucRegistry::define_enum_guc(
        c"crm_ext.summary_output",
        c"How crm_rft_summary and crm_spend_summary values print: json or hex.",
        c"json prints readable JSON; hex prints \\x and the binary form in hexadecimal, exact as well and faster to print and read (set it on Citus workers, which ship partial aggregate states as text). Input accepts both.",
        &SUMMARY_OUTPUT,
        GucContext::Userset,
        GucFlags::default(),
    );
}

/// The text form of a summary that has a JSON form: `json(state)`, or under
/// `crm_ext.summary_output = hex` the hexadecimal form with the prefix `\x`.
pub fn summary_text<S: StateType>(state: &S, json: impl FnOnce(&S) -> String) -> String {
    match SUMMARY_OUTPUT.get() {
        SummaryOutput::Json => json(state),
        SummaryOutput::Hex => hex_text(state, "\\x"),
    }
}

/// A summary from either text form (see [`summary_text`]), whatever the setting.
pub fn read_summary_text<S: StateType>(text: &str, json: impl FnOnce(&str) -> CrmResult<S>) -> CrmResult<S> {
    match text.strip_prefix("\\x") {
        Some(hex) => from_hex_text(hex),
        None => json(text),
    }
}

/// `prefix` and then a state's binary form (version byte first) in hexadecimal digits.
fn hex_text<S: StateType>(state: &S, prefix: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bytes = flat_bytes(state);
    let mut out = Vec::with_capacity(prefix.len() + 2 * bytes.len());
    out.extend_from_slice(prefix.as_bytes());
    for b in bytes {
        out.extend_from_slice(&[DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]);
    }
    String::from_utf8(out).expect("hexadecimal digits are ASCII")
}

/// The value of each byte as a hexadecimal digit (either case), 0xff for other bytes.
const HEX_VALUE: [u8; 256] = {
    let mut t = [0xff; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The state whose binary form `hex` holds in hexadecimal digits (either case); 22023 for
/// anything else, or (from the binary form's check) an unknown format version.
fn from_hex_text<S: StateType>(hex: &str) -> CrmResult<S> {
    let hex = hex.as_bytes();
    if !hex.len().is_multiple_of(2) {
        return Err(CrmError::invalid("odd number of hexadecimal digits"));
    }
    let mut bytes = Vec::with_capacity(hex.len() / 2);
    let mut bad = 0u8;
    for pair in hex.chunks_exact(2) {
        let (hi, lo) = (HEX_VALUE[usize::from(pair[0])], HEX_VALUE[usize::from(pair[1])]);
        bad |= hi | lo;
        bytes.push(hi << 4 | (lo & 15));
    }
    if bad & 0xf0 != 0 {
        return Err(CrmError::invalid("not a hexadecimal string"));
    }
    Ok(parse_flat(&bytes))
}

/// The largest varlena PostgreSQL allocates (MaxAllocSize, 1 GB - 1).
const MAX_VARLENA: usize = 0x3fff_ffff;

/// What the expanded object owns on the Rust heap.
struct Held<S> {
    state: S,
    charge: MemoryCharge,
    /// The flat bytes (version byte and state), computed by `get_flat_size` for `flatten_into`.
    flat: Option<Vec<u8>>,
}

/// The expanded object, allocated in its own memory context.
#[repr(C)]
struct Expanded<S> {
    header: pg_sys::ExpandedObjectHeader,
    held: *mut Held<S>,
    on_delete: pg_sys::MemoryContextCallback,
}

/// Drops the Rust side when the object's context is reset or deleted.
unsafe extern "C-unwind" fn drop_held<S>(arg: *mut std::ffi::c_void) {
    let e = arg as *mut Expanded<S>;
    // SAFETY: arg is the Expanded<S> registered with this callback; held is a Box or null.
    unsafe {
        if !(*e).held.is_null() {
            drop(Box::from_raw((*e).held));
            (*e).held = std::ptr::null_mut();
        }
    }
}

/// The bytes of a flat value: version byte, then the state. Raises 54000 when they would not
/// fit in one PostgreSQL value.
fn flat_bytes<S: StateType>(state: &S) -> Vec<u8> {
    let body = state.to_bytes();
    if body.len() + 1 + pg_sys::VARHDRSZ > MAX_VARLENA {
        too_large::<S>(body.len());
    }
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(S::FORMAT_VERSION);
    out.extend_from_slice(&body);
    out
}

#[cold]
fn too_large<S: StateType>(bytes: usize) -> ! {
    pgrx::pg_sys::panic::ErrorReport::new(
        PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED,
        format!("{} value too large: {bytes} bytes, at most 1 GB", S::TYPE_NAME),
        "crm_ext",
    )
    .set_detail("a summary holds one row per distinct combination of values")
    .set_hint(
        "round the times to a coarser resolution (e.g. whole days) before aggregating, or summarise per group and fit from crm_rollup",
    )
    .report(PgLogLevel::ERROR);
    unreachable!("ERROR does not return")
}

/// The state in a flat value's bytes (version byte first).
fn parse_flat<S: StateType>(bytes: &[u8]) -> S {
    match bytes.split_first() {
        Some((&v, rest)) if v == S::FORMAT_VERSION => S::from_bytes(rest),
        Some((&v, _)) => raise(
            CrmError::invalid(format!("{} value of unknown format version {v}", S::TYPE_NAME))
                .with_hint(format!("this release reads version {}", S::FORMAT_VERSION)),
        ),
        None => raise(CrmError::invalid(format!("empty {} value", S::TYPE_NAME))),
    }
}

/// The flat value of a state.
pub fn flat_datum<S: StateType>(state: &S) -> pg_sys::Datum {
    varlena_datum(&flat_bytes(state))
}

/// The object behind an expanded datum of type S; None for a flat (or foreign) value. With
/// `rw_only`, only a read-write pointer qualifies.
///
/// # Safety
/// `datum` is a non-null varlena datum.
unsafe fn expanded<'a, S: StateType>(datum: pg_sys::Datum, rw_only: bool) -> Option<&'a mut Held<S>> {
    let p = datum.cast_mut_ptr::<u8>();
    // SAFETY: a varlena datum has at least its first header byte; an external (1B_E) one has a tag.
    unsafe {
        // VARATT_IS_EXTERNAL_EXPANDED(_RW) on a little-endian machine: header byte 0x01, then the tag
        if *p != 0x01 {
            return None;
        }
        let tag = *p.add(1) as u32;
        let rw = tag == pg_sys::vartag_external::VARTAG_EXPANDED_RW;
        if !(rw || (!rw_only && tag == pg_sys::vartag_external::VARTAG_EXPANDED_RO)) {
            return None;
        }
        let header = std::ptr::read_unaligned(p.add(2) as *const *mut pg_sys::ExpandedObjectHeader);
        if !std::ptr::eq((*header).eoh_methods, S::methods()) {
            return None;
        }
        let e = header as *mut Expanded<S>;
        (*e).held.as_mut()
    }
}

/// A state read from a datum: the expanded object's own (compactable in place) or parsed.
pub enum StateRef<'a, S> {
    Held(&'a mut S),
    Parsed(S),
}

impl<S> std::ops::Deref for StateRef<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        match self {
            StateRef::Held(s) => s,
            StateRef::Parsed(s) => s,
        }
    }
}

/// The state in a non-null datum of type S (flat, toasted or expanded).
///
/// # Safety
/// `datum` is a non-null value of the SQL type of S.
pub unsafe fn read<'a, S: StateType>(datum: pg_sys::Datum) -> StateRef<'a, S> {
    // SAFETY: see the function's contract.
    unsafe {
        if let Some(held) = expanded::<S>(datum, false) {
            return StateRef::Held(&mut held.state);
        }
        StateRef::Parsed(parse_flat::<S>(flat_value(datum)))
    }
}

/// The bytes (version byte and state) of a flat, possibly toasted, value.
///
/// # Safety
/// `datum` is a non-null varlena that is not an expanded object of S.
unsafe fn flat_value<'a>(datum: pg_sys::Datum) -> &'a [u8] {
    // SAFETY: see the contract; the detoasted copy lives in the current memory context.
    unsafe {
        let v = pg_sys::pg_detoast_datum_packed(datum.cast_mut_ptr());
        std::slice::from_raw_parts(pgrx::vardata_any(v) as *const u8, pgrx::varsize_any_exhdr(v))
    }
}

/// A new read-write expanded object holding `state`, in a child context of `parent`.
fn new_expanded<S: StateType>(state: S, parent: pg_sys::MemoryContext) -> pg_sys::Datum {
    // SAFETY: the context and the object are created and initialised as expandeddatum.c asks:
    // the header first, initialised by EOH_init_header in the object's own context.
    unsafe {
        let context = pg_sys::AllocSetContextCreateInternal(
            parent,
            c"crm_ext aggregate state".as_ptr(),
            pg_sys::ALLOCSET_SMALL_MINSIZE as usize,
            pg_sys::ALLOCSET_SMALL_INITSIZE as usize,
            pg_sys::ALLOCSET_SMALL_MAXSIZE as usize,
        );
        let e = pg_sys::MemoryContextAllocZero(context, std::mem::size_of::<Expanded<S>>()) as *mut Expanded<S>;
        pg_sys::EOH_init_header(&mut (*e).header, S::methods(), context);
        let mut charge = MemoryCharge::in_context(context);
        charge.set(state.heap_bytes());
        (*e).held = Box::into_raw(Box::new(Held { state, charge, flat: None }));
        (*e).on_delete.func = Some(drop_held::<S>);
        (*e).on_delete.arg = e as *mut std::ffi::c_void;
        pg_sys::MemoryContextRegisterResetCallback(context, &mut (*e).on_delete);
        pg_sys::Datum::from((*e).header.eoh_rw_ptr.as_mut_ptr())
    }
}

/// `get_flat_size` of the expanded-object protocol (called by the type's macro-made wrapper).
///
/// # Safety
/// `header` is the header of an `Expanded<S>`.
pub unsafe fn flat_size<S: StateType>(header: *mut pg_sys::ExpandedObjectHeader) -> usize {
    // SAFETY: see the contract; held is live while the object is.
    let held = unsafe { &mut *(*(header as *mut Expanded<S>)).held };
    held.state.compact();
    let flat = held.flat.insert(flat_bytes(&held.state));
    flat.len() + pg_sys::VARHDRSZ
}

/// `flatten_into` of the expanded-object protocol.
///
/// # Safety
/// `header` is the header of an `Expanded<S>`; `result` has `size` bytes, the last flat size.
pub unsafe fn flatten_into<S: StateType>(header: *mut pg_sys::ExpandedObjectHeader, result: *mut u8, size: usize) {
    // SAFETY: see the contract.
    unsafe {
        let held = &mut *(*(header as *mut Expanded<S>)).held;
        let flat = held.flat.take().unwrap_or_else(|| flat_bytes(&held.state));
        assert_eq!(flat.len() + pg_sys::VARHDRSZ, size, "flat size changed between get_flat_size and flatten_into");
        pgrx::set_varsize_4b(result as *mut pg_sys::varlena, size as i32);
        std::ptr::copy_nonoverlapping(flat.as_ptr(), result.add(pg_sys::VARHDRSZ), flat.len());
    }
}

/// A transition (or combine) step on the state in argument 0: applies `f` and returns the new
/// state. A read-write expanded state (what an aggregate passes back from the previous row) is
/// updated in place and the same datum returned; otherwise the state is copied, into a new
/// expanded object in the aggregate context when called as an aggregate (the first row), or
/// into a new flat value when called as a plain function.
///
/// # Safety
/// `fcinfo` is the live call info of a function whose argument 0 has the SQL type of S.
pub unsafe fn transition<S: StateType>(fcinfo: pg_sys::FunctionCallInfo, f: impl FnOnce(&mut S)) -> pg_sys::Datum {
    // SAFETY: see the contract.
    unsafe {
        let state = argument(fcinfo, 0);
        // A read-write pointer may be updated in place: PostgreSQL passes one only to a function
        // that may change the value (here, the aggregate machinery passing its own state back).
        if !state.isnull {
            if let Some(held) = expanded::<S>(state.value, true) {
                f(&mut held.state);
                held.flat = None;
                held.charge.set(held.state.heap_bytes());
                return state.value;
            }
        }
        let context = aggregate_context(fcinfo);
        let mut s = if state.isnull {
            S::default()
        } else {
            match read::<S>(state.value) {
                StateRef::Parsed(s) => s,
                StateRef::Held(s) => S::from_bytes(&s.to_bytes()),
            }
        };
        f(&mut s);
        match context {
            Some(c) => new_expanded(s, c),
            None => flat_datum(&s),
        }
    }
}

/// A combine step: merges the state in argument 1 (if any) into the state in argument 0.
///
/// # Safety
/// As [`transition`]; argument 1 has the same SQL type.
pub unsafe fn combine<S: StateType>(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: see the contract.
    unsafe {
        let other = argument(fcinfo, 1);
        if other.isnull {
            let state = argument(fcinfo, 0);
            (*fcinfo).isnull = state.isnull;
            return state.value;
        }
        let other = read::<S>(other.value);
        transition::<S>(fcinfo, |s| s.merge(&other))
    }
}

/// Applies `f` to the (compacted) state in argument `i`; None when it is NULL.
///
/// # Safety
/// `fcinfo` is a live call info whose argument `i` has the SQL type of S.
pub unsafe fn with_state<S: StateType, R>(fcinfo: pg_sys::FunctionCallInfo, i: usize, f: impl FnOnce(&S) -> R) -> Option<R> {
    // SAFETY: see the contract.
    unsafe {
        let a = argument(fcinfo, i);
        if a.isnull {
            return None;
        }
        // Compacting does not change the value a read-only pointer stands for (only its buffers).
        Some(match read::<S>(a.value) {
            StateRef::Held(s) => {
                s.compact();
                f(s)
            }
            StateRef::Parsed(mut s) => {
                s.compact();
                f(&s)
            }
        })
    }
}

/// The type's input function: the state from its text form (argument 0, a cstring).
///
/// # Safety
/// `fcinfo` is the live call info of the type's input function.
pub unsafe fn input<S: StateType>(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: an input function's argument 0 is a non-null cstring.
    let text = unsafe { CStr::from_ptr(argument(fcinfo, 0).value.cast_mut_ptr::<std::ffi::c_char>()) };
    let text = text.to_str().unwrap_or_else(|_| raise(CrmError::invalid(format!("{} text is not UTF-8", S::TYPE_NAME))));
    match S::read_text(text, &mut check_interrupts) {
        Ok(s) => flat_datum(&s),
        Err(e) => {
            let detail = match e.detail {
                Some(d) => format!("{}: {d}", e.message),
                None => e.message,
            };
            ereport!(
                ERROR,
                PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION,
                format!("invalid input syntax for type {}", S::TYPE_NAME),
                detail
            );
        }
    }
}

/// The type's output function: the text form as a palloc'd C string.
///
/// # Safety
/// `fcinfo` is the live call info of the type's output function (argument 0 a non-null value).
pub unsafe fn output<S: StateType>(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: see the contract.
    let text = unsafe { read::<S>(argument(fcinfo, 0).value) }.write_text();
    let c = std::ffi::CString::new(text).expect("the text form has no NUL byte");
    // SAFETY: pstrdup copies the string into the current memory context.
    unsafe { pg_sys::Datum::from(pg_sys::pstrdup(c.as_ptr())) }
}

/// The type's send function: the flat bytes (version byte, state) as bytea.
///
/// # Safety
/// `fcinfo` is the live call info of the type's send function (argument 0 a non-null value).
pub unsafe fn send<S: StateType>(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: see the contract. A flat value already is the binary form (it was checked when it
    // was made): it is sent as it is, without parsing and writing it again.
    unsafe {
        let datum = argument(fcinfo, 0).value;
        match expanded::<S>(datum, false) {
            Some(held) => varlena_datum(&flat_bytes(&held.state)),
            None => varlena_datum(flat_value(datum)),
        }
    }
}

/// The type's receive function: reads and checks the bytes of the message buffer (argument 0).
///
/// # Safety
/// `fcinfo` is the live call info of the type's receive function.
pub unsafe fn receive<S: StateType>(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    // SAFETY: argument 0 of a receive function is the StringInfo of the value's bytes.
    unsafe {
        let b = &mut *argument(fcinfo, 0).value.cast_mut_ptr::<pg_sys::StringInfoData>();
        let bytes = std::slice::from_raw_parts((b.data as *const u8).add(b.cursor as usize), (b.len - b.cursor) as usize);
        let s = parse_flat::<S>(bytes);
        b.cursor = b.len;
        flat_datum(&s)
    }
}

/// Defines the expanded-object methods `$methods` of state type `$state` (implement
/// [`StateType::methods`] as `&$methods`) and its input, output, send and receive C functions,
/// each given as `finfo_symbol symbol` (declare them with `LANGUAGE c AS 'MODULE_PATHNAME',
/// 'symbol'` and `CREATE TYPE`).
macro_rules! state_type_functions {
    ($state:ty, $methods:ident, [$fi:ident $input:ident], [$fo:ident $output:ident], [$fs:ident $send:ident], [$fr:ident $receive:ident]) => {
        pub static $methods: ::pgrx::pg_sys::ExpandedObjectMethods = {
            #[::pgrx::pg_guard]
            unsafe extern "C-unwind" fn get_flat_size(header: *mut ::pgrx::pg_sys::ExpandedObjectHeader) -> ::pgrx::pg_sys::Size {
                // SAFETY: PostgreSQL calls it on objects made with these methods.
                unsafe { $crate::pg::state_type::flat_size::<$state>(header) }
            }
            #[::pgrx::pg_guard]
            unsafe extern "C-unwind" fn flatten_into(
                header: *mut ::pgrx::pg_sys::ExpandedObjectHeader,
                result: *mut ::std::ffi::c_void,
                size: ::pgrx::pg_sys::Size,
            ) {
                // SAFETY: as get_flat_size; result has the size get_flat_size returned.
                unsafe { $crate::pg::state_type::flatten_into::<$state>(header, result as *mut u8, size) }
            }
            ::pgrx::pg_sys::ExpandedObjectMethods { get_flat_size: Some(get_flat_size), flatten_into: Some(flatten_into) }
        };
        // SAFETY (all four): PostgreSQL calls them as the type's I/O functions.
        $crate::pg::row_call::row_function!($fi, $input, |a| unsafe { $crate::pg::state_type::input::<$state>(a.fcinfo()) });
        $crate::pg::row_call::row_function!($fo, $output, |a| unsafe { $crate::pg::state_type::output::<$state>(a.fcinfo()) });
        $crate::pg::row_call::row_function!($fs, $send, |a| unsafe { $crate::pg::state_type::send::<$state>(a.fcinfo()) });
        $crate::pg::row_call::row_function!($fr, $receive, |a| unsafe { $crate::pg::state_type::receive::<$state>(a.fcinfo()) });
    };
}
pub(crate) use state_type_functions;
