//! The Helios server: CLI, configuration, database, HTTP, realtime hub and workers.
#![forbid(unsafe_code)]
#![recursion_limit = "512"]

pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod domains;
pub mod http;
pub mod jobs;
pub mod realtime;
pub mod sample;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod vault;
