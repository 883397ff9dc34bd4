//! Background jobs: the handlers Helios registers, their schedules, and the
//! module gate that stops the jobs of disabled modules.
pub mod scheduler;
pub mod worker;

use app::audit::repo::{record, Actor};
use app::settings::model::{Module, ModuleSwitches};
use scheduler::Schedule;
use std::sync::Arc;
use tokio::sync::watch;
use worker::Registry;

/// Job kinds are `<module key>.<name>` (or `core.` / `test.`); the prefix names the
/// module whose switch governs them.
pub fn module_of_kind(kind: &str) -> Option<Module> {
    kind.split_once('.').and_then(|(prefix, _)| Module::parse(prefix))
}

/// Every handler. `test_jobs` adds the diagnostic kinds the integration tests use.
pub fn registry(node: Arc<str>, test_jobs: bool) -> Registry {
    let mut r = Registry::new();
    r.register("core.housekeeping", |ctx: worker::JobContext| async move {
        let sessions = app::auth::repo::delete_expired_sessions(&ctx.pool).await?;
        let attempts =
            app::auth::repo::delete_old_login_attempts(&ctx.pool, chrono::Utc::now() - chrono::Duration::days(1))
                .await?;
        let imports = app::assets::repo_import::drop_stale(&ctx.pool).await?;
        tracing::info!(sessions, attempts, imports, "housekeeping done");
        Ok(())
    });
    r.register("core.expiry_alerts", |ctx: worker::JobContext| async move {
        let sent = app::expiring::api::server::send_alerts(&ctx.pool, chrono::Utc::now().date_naive()).await?;
        tracing::info!(sent, "expiry alerts sent");
        Ok(())
    });
    r.register(app::tickets::api::server::BULK_JOB, |ctx: worker::JobContext| async move {
        app::tickets::api::server::bulk_job(&ctx.pool, ctx.id, &ctx.payload).await.map_err(|e| anyhow::anyhow!("{e}"))
    });
    r.register(crate::domains::DNS_JOB, |ctx: worker::JobContext| async move {
        crate::domains::dns_job(&ctx.pool, &ctx.payload).await
    });
    r.register(crate::domains::CERT_JOB, |ctx: worker::JobContext| async move {
        crate::domains::cert_job(&ctx.pool, &ctx.payload).await
    });
    if test_jobs {
        let n = node.clone();
        r.register("test.tick", move |ctx: worker::JobContext| {
            let node = n.clone();
            async move {
                let tick = ctx.payload.get("scheduled_for").and_then(|v| v.as_str()).unwrap_or("").to_string();
                record(&ctx.pool, &Actor::system(&node), "test.tick", "job", &tick, None, None).await?;
                Ok(())
            }
        });
        r.register("test.sleep", move |ctx: worker::JobContext| {
            let node = node.clone();
            async move {
                let secs = ctx.payload.get("seconds").and_then(|v| v.as_u64()).unwrap_or(1);
                tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
                record(&ctx.pool, &Actor::system(&node), "test.sleep.done", "job", &ctx.id.to_string(), None, None)
                    .await?;
                Ok(())
            }
        });
    }
    r
}

/// Jobs that need the file store: deleting the bytes of a deleted document's files.
pub fn register_file_jobs(r: &mut Registry, files: Arc<dyn object_store::ObjectStore>) {
    use object_store::ObjectStoreExt;
    r.register(app::documents::api::server::PURGE_FILES_JOB, move |ctx: worker::JobContext| {
        let files = files.clone();
        async move {
            let ids: Vec<uuid::Uuid> =
                ctx.payload.get("files").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
            for id in ids {
                match files.delete(&object_store::path::Path::from(id.to_string())).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(anyhow::anyhow!("cannot delete the bytes of file {id}: {e}")),
                }
            }
            Ok(())
        }
    });
}

/// Delivering outbox messages: needs the vault keys (the relay password) and the
/// public address (full links in the text).
pub fn register_mail_jobs(r: &mut Registry, keys: Arc<app::vault::crypto::KeyRing>, public_url: Option<String>) {
    let public_url: Option<Arc<str>> = public_url.map(Into::into);
    r.register(app::mail::repo::SEND_JOB, move |ctx: worker::JobContext| {
        let keys = keys.clone();
        let public_url = public_url.clone();
        async move {
            let id: uuid::Uuid = ctx
                .payload
                .get("id")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .ok_or_else(|| anyhow::anyhow!("the job names no message"))?;
            let outcome =
                app::mail::deliver::deliver(&ctx.pool, &keys, id, ctx.id, ctx.attempt, public_url.as_deref()).await?;
            match outcome {
                app::mail::deliver::Outcome::Failed(e) => tracing::warn!(%id, error = %e, "mail not delivered"),
                o => tracing::info!(%id, outcome = ?o, "mail delivery"),
            }
            Ok(())
        }
    });
}

pub fn schedules(test_jobs: bool) -> Vec<Schedule> {
    let mut s = vec![
        Schedule { name: "housekeeping", kind: "core.housekeeping", cron: "0 */10 * * * *".into() },
        Schedule { name: "expiry-alerts", kind: "core.expiry_alerts", cron: "0 0 7 * * *".into() },
    ];
    // Daily, at night UTC: every domain's DNS records, then every certificate.
    s.push(Schedule { name: "domains-dns", kind: crate::domains::DNS_JOB, cron: "0 15 3 * * *".into() });
    s.push(Schedule { name: "domains-certs", kind: crate::domains::CERT_JOB, cron: "0 45 3 * * *".into() });
    if test_jobs {
        s.push(Schedule { name: "test-tick", kind: "test.tick", cron: "* * * * * *".into() });
    }
    s
}

/// The kinds that may run now, given the module switches.
pub fn allowed_kinds(all: &[String], modules: &ModuleSwitches) -> Vec<String> {
    all.iter().filter(|k| module_of_kind(k).is_none_or(|m| modules.enabled(m))).cloned().collect()
}

/// Keeps the module switches current: loads them, then reloads on every
/// settings change announced on the live channel.
pub async fn watch_modules(
    pool: sqlx::PgPool,
    hub: crate::realtime::Hub,
    tx: watch::Sender<ModuleSwitches>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut events = hub.subscribe();
    loop {
        match app::settings::repo::load_modules(&pool).await {
            Ok(m) => {
                tx.send_replace(m);
            }
            Err(e) => tracing::warn!(error = %e, "loading module switches"),
        }
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                ev = events.recv() => match ev {
                    Ok(env) if matches!(env.event, app::live::LiveEvent::SettingsChanged) => break,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_of_a_disabled_module_are_not_allowed_to_run() {
        let all = vec![
            "core.housekeeping".to_string(),
            "vault.rotation_reminders".to_string(),
            "domains.dns_check".to_string(),
        ];
        let mut m = ModuleSwitches::default();
        m.0.insert(Module::Vault, false);
        assert_eq!(allowed_kinds(&all, &m), vec!["core.housekeeping".to_string(), "domains.dns_check".to_string()]);
    }
}
