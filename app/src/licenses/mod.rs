//! Software titles and licenses (part of the Assets module): seats assigned to
//! users or assets, license keys kept encrypted like vault secrets.
pub mod api;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;

pub use pages::{LicenseView, SoftwarePage, SoftwareView};
