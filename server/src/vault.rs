//! The vault master key on the server: loading it at start-up and rotating it
//! (`helios vault rotate-key`). See docs/vault.md for the procedure.
use crate::config::Config;
use anyhow::{bail, Context};
use app::vault::crypto::{KeyRing, MasterKey};
use sqlx::PgPool;
use std::path::{Path, PathBuf};

/// Loads (or on first run creates) the master key file and warns about secrets
/// wrapped by a key this process does not hold.
pub async fn open_key_ring(config: &Config, db: &PgPool) -> anyhow::Result<KeyRing> {
    let ring = app::vault::crypto::load_key_file(&config.vault_key_file)?;
    for (key_id, n) in app::vault::repo::key_counts(db).await? {
        if key_id != ring.active_id() {
            tracing::warn!(
                key_id,
                secrets = n,
                active = ring.active_id(),
                "vault secrets are wrapped by a master key that is not loaded; finish `helios vault rotate-key` or restore the key file"
            );
        }
    }
    Ok(ring)
}

/// Where the previous key is kept after a rotation.
pub fn retired_path(key_file: &Path, old_id: &str) -> PathBuf {
    let mut name = key_file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".retired-{old_id}"));
    key_file.with_file_name(name)
}

#[derive(Debug)]
pub struct RotateOutcome {
    pub old_id: String,
    pub new_id: String,
    pub report: app::vault::rotate::RotateReport,
    /// Where the old key was kept (None when the run stopped early).
    pub retired: Option<PathBuf>,
}

/// Re-wraps every data key under the key in `new_key_file` (created 0600 if it
/// does not exist), then installs it as the active key file; the old key is kept
/// next to it as `<key file>.retired-<old id>`. Stopping early (`max_batches`)
/// leaves the active key file unchanged; running again resumes.
pub async fn rotate_key(
    db: &PgPool,
    key_file: &Path,
    new_key_file: &Path,
    batch_size: i64,
    max_batches: Option<u64>,
) -> anyhow::Result<RotateOutcome> {
    if !(1..=10_000).contains(&batch_size) {
        bail!("--batch-size must be 1 to 10000");
    }
    let old = MasterKey::load(key_file).context("the current vault key file must stay readable during a rotation")?;
    let new = if new_key_file.exists() {
        MasterKey::load(new_key_file)?
    } else {
        let k = MasterKey::generate();
        k.write_new(new_key_file)?;
        k
    };
    let ring = KeyRing::new(old.clone());
    let report = app::vault::rotate::rotate(db, &ring, &new, batch_size, max_batches).await?;
    let mut retired = None;
    if report.complete && old.id() != new.id() {
        let path = retired_path(key_file, old.id());
        if !path.exists() {
            old.write_new(&path)?;
        }
        new.replace_file(key_file)?;
        retired = Some(path);
    }
    Ok(RotateOutcome { old_id: old.id().to_string(), new_id: new.id().to_string(), report, retired })
}
