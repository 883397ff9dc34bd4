//! Everything with an end date in one place: warranties, licenses, domains,
//! certificates and credential rotation dates, and the daily alerts before they end.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
