//! The expiring list (staff) and its alert settings (administrators).
use super::model::{ExpiringItem, ExpirySettings};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub const SETTINGS_KEY: &str = "expiry_alerts";

/// Everything ending within `days` (30, 60 or 90), past ones first, of enabled modules.
#[server(endpoint = "expiring/list", input = Json)]
pub async fn list_expiring(days: i64) -> Result<Vec<ExpiringItem>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DeskView).await?;
        if !(1..=365).contains(&days) {
            return Err(AppError::field("days", "Choose between 1 and 365 days."));
        }
        let db = &state()?.db;
        let modules = crate::settings::repo::load_modules(db).await?;
        let today = chrono::Utc::now().date_naive();
        let items = super::repo::until(db, today + chrono::Duration::days(days), today).await?;
        Ok(items.into_iter().filter(|i| i.kind.module().is_none_or(|m| modules.enabled(m))).collect())
    })
    .await
}

#[server(endpoint = "expiring/settings", input = Json)]
pub async fn get_expiry_settings() -> Result<ExpirySettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::DeskView).await?;
        Ok(crate::settings::repo::load(&state()?.db, SETTINGS_KEY).await?)
    })
    .await
}

#[server(endpoint = "expiring/save_settings", input = Json)]
pub async fn save_expiry_settings(settings: ExpirySettings) -> Result<ExpirySettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        use crate::audit::repo::{record, Actor};
        let user = require(Permission::SettingsManage).await?;
        let s = super::rules::normalise(settings)?;
        let db = &state()?.db;
        let known = super::repo::recipients(db, &s.recipients).await?;
        if !s.recipients.is_empty() && known.len() != s.recipients.len() {
            return Err(AppError::field(
                "recipients",
                "Every recipient must be an active staff member's email address.",
            ));
        }
        let mut tx = db.begin().await?;
        crate::settings::repo::lock_key(&mut *tx, SETTINGS_KEY).await?;
        let before = crate::settings::repo::find_raw(&mut *tx, SETTINGS_KEY).await?;
        let after = serde_json::to_value(&s).map_err(|_| AppError::Internal)?;
        crate::settings::repo::upsert(&mut *tx, SETTINGS_KEY, &after, Some(user.id)).await?;
        record(
            &mut *tx,
            &Actor::user(&user),
            "settings.expiry_alerts",
            "settings",
            SETTINGS_KEY,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::expiring::{repo, rules};
    use crate::mail::model::OutboundKind;

    /// The daily job: one notification per item and reached threshold, to the
    /// configured recipients, and one mail per recipient listing them all (when
    /// outgoing mail is on). One transaction: both go out, or neither and the
    /// next run tries again. Returns how many alerts went out.
    pub async fn send_alerts(db: &sqlx::PgPool, today: chrono::NaiveDate) -> Result<usize, sqlx::Error> {
        let settings: ExpirySettings = crate::settings::repo::load(db, SETTINGS_KEY).await?;
        let Some(max) = settings.thresholds.iter().copied().max() else { return Ok(0) };
        let modules = crate::settings::repo::load_modules(db).await?;
        let items = repo::until(db, today + chrono::Duration::days(max), today).await?;
        let to = repo::recipients(db, &settings.recipients).await?;
        let mut tx = db.begin().await?;
        let mut lines = Vec::new();
        for item in items.iter().filter(|i| i.kind.module().is_none_or(|m| modules.enabled(m))) {
            let Some(t) = rules::reached(item.days_left, &settings.thresholds) else { continue };
            if repo::mark_sent(&mut *tx, item, t).await? {
                let when = match item.days_left {
                    d if d < 0 => format!("ended {} days ago ({})", -d, item.expires_on),
                    0 => format!("ends today ({})", item.expires_on),
                    d => format!("ends in {d} days ({})", item.expires_on),
                };
                let title = format!("{}: {} {}", item.what, item.title, when);
                let body = format!("{} \"{}\" {when}.", item.kind.label(), item.title);
                crate::notifications::repo::notify(&mut *tx, &to, &title, &body, &item.href).await?;
                lines.push((title, item.href.clone()));
            }
        }
        if !lines.is_empty() {
            let (subject, body, href) = digest(&lines);
            let addresses = crate::mail::repo::addresses_of(&mut *tx, &to).await?;
            crate::mail::repo::queue(&mut tx, &addresses, &subject, &body, &href, OutboundKind::ExpiryAlert).await?;
        }
        tx.commit().await?;
        Ok(lines.len())
    }

    /// One mail for a run's alerts: the item itself when there is one, else a count and a list.
    pub(crate) fn digest(lines: &[(String, String)]) -> (String, String, String) {
        match lines {
            [(title, href)] => (
                title.clone(),
                format!("{title}.\n\nSee everything that ends soon on the Expiring page."),
                href.clone(),
            ),
            _ => {
                const SHOWN: usize = 100;
                let mut list: Vec<String> = lines.iter().take(SHOWN).map(|(t, _)| format!("- {t}")).collect();
                if lines.len() > SHOWN {
                    list.push(format!("… and {} more on the Expiring page.", lines.len() - SHOWN));
                }
                (
                    format!("{} items end soon", lines.len()),
                    format!("These items reached an alert threshold today:\n\n{}", list.join("\n")),
                    "/expiring".to_string(),
                )
            }
        }
    }
}
