//! Benchmarks of the performance bars of PRODUCT.md.
//!
//! `helios bench-data` ([`data`]) fills a database with a large deterministic dataset
//! through `COPY`; `helios bench` ([`run`]) times the queue, search, ticket and create
//! paths against whatever data is there and prints percentiles and query plans.
//! [`queries`] holds their SQL, [`words`] the vocabulary of the generated text. This
//! file has the helpers for PostgreSQL's COPY text format.
//! See `docs/benchmarks.md`.
pub mod data;
pub mod queries;
pub mod run;
pub mod words;

use chrono::{DateTime, Datelike, Timelike, Utc};
use std::fmt::Write;
use uuid::Uuid;

/// COPY text-format escaping.
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_text(&mut out, s);
    out
}

pub(crate) fn push_text(out: &mut String, s: &str) {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        out.push_str(s);
        return;
    }
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

pub(crate) fn push_ts(out: &mut String, us: i64) {
    let t: DateTime<Utc> = DateTime::from_timestamp_micros(us).unwrap_or_default();
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_micros()
    );
}

pub(crate) fn push_opt_uuid(out: &mut String, id: Option<Uuid>) {
    match id {
        Some(id) => {
            let _ = write!(out, "{id}");
        }
        None => out.push_str("\\N"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escaping_and_timestamps() {
        assert_eq!(escaped("a\tb\\c\nd\re"), "a\\tb\\\\c\\nd\\re");
        let mut s = String::new();
        push_ts(&mut s, 0);
        push_opt_uuid(&mut s, None);
        assert_eq!(s, "1970-01-01 00:00:00.000000+00\\N");
    }
}
