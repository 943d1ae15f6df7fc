//! Numerical tools that know nothing of customers: special functions and the Gauss
//! hypergeometric function ([`special`]), the inverse normal distribution function
//! ([`normal`], for the z of an interval), Chebyshev interpolation ([`chebyshev`], behind the
//! CLV scorers' tables), the optimiser glue of the fits (`optim`: L-BFGS, Newton polishing,
//! covariance; crate-internal) and the rounding rules of Python and PostgreSQL ([`rounding`]).
//! The rest of the crate builds on these; they use nothing of it but [`crate::error`].

pub mod chebyshev;
pub mod normal;
pub(crate) mod optim;
pub mod rounding;
pub mod special;
