//! Typed links between any two records ("everything links to everything").
pub mod model;
