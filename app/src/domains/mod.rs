//! Domains: registrations and their expiry, DNS change monitoring, and TLS
//! certificates read from host:port. The network half of the checks lives in the
//! server crate (`helios_server::domains`); this module stores and shows results.
pub mod api;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;

pub use pages::{CertificatePage, DomainPage, DomainsPage};
