//! Outgoing mail: the SMTP relay an administrator sets up (`/admin/mail`), the
//! outbox every message goes through, and the job that delivers each one with
//! retries. Alerts (expiry, DNS and certificate changes) are mailed as well as
//! shown in the notification inbox. See docs/mail.md.
pub mod api;
#[cfg(feature = "ssr")]
pub mod deliver;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod smtp;
