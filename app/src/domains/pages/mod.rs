//! `/domains` (list, certificates, module settings), `/domains/:id` (a domain,
//! its records, change history and certificates) and `/domains/certificates/:id`.
mod certificate;
mod detail;
mod list;
mod parts;

pub use certificate::CertificatePage;
pub use detail::DomainPage;
pub use list::DomainsPage;
