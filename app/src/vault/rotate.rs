//! Master key rotation: every wrapped data key is re-wrapped under the new master
//! key, in batches. Each row's wrapped key and key id change in one statement and
//! each batch commits on its own, so an interrupted run resumes where it stopped:
//! rows already under the new key id are skipped. Values are never decrypted.
use super::crypto::{KeyRing, MasterKey};
use super::repo;
use anyhow::Context;
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RotateReport {
    pub rewrapped: u64,
    pub batches: u64,
    /// No secret is left under another key.
    pub complete: bool,
}

/// Re-wraps the data keys not yet under `new` (`old` must hold their keys).
/// Stops after `max_batches` batches when given (the run is then incomplete).
pub async fn rotate(
    db: &PgPool,
    old: &KeyRing,
    new: &MasterKey,
    batch_size: i64,
    max_batches: Option<u64>,
) -> anyhow::Result<RotateReport> {
    let mut report = RotateReport::default();
    loop {
        if max_batches.is_some_and(|m| report.batches >= m) {
            return Ok(report);
        }
        let mut tx = db.begin().await?;
        let rows = repo::lock_not_under(&mut *tx, new.id(), batch_size).await?;
        if rows.is_empty() {
            tx.commit().await?;
            report.complete = true;
            return Ok(report);
        }
        for r in &rows {
            let wrapped = old
                .rewrap(r.owner, r.field.key(), &r.key_id, &r.wrapped_key, new)
                .with_context(|| format!("secret {} (master key {}) cannot be re-wrapped", r.id, r.key_id))?;
            if repo::set_wrapped(&mut *tx, r.id, &wrapped, new.id(), &r.key_id).await? {
                report.rewrapped += 1;
            }
        }
        tx.commit().await?;
        report.batches += 1;
    }
}
