//! Server functions for reading the audit log.
use super::model::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "audit/list", input = Json)]
pub async fn list_audit(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::AuditView).await?;
        let st = state()?;
        let day = |s: &str, field: &str, plus_days: i64| -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::field(field, "Use a date like 2026-11-26."))?;
            Ok(Some((d + chrono::Duration::days(plus_days)).and_hms_opt(0, 0, 0).ok_or(AppError::Internal)?.and_utc()))
        };
        let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (action, entity_type, actor) =
            (nonempty(&filter.action), nonempty(&filter.entity_type), nonempty(&filter.actor));
        let limit = super::model::AUDIT_PAGE_SIZE;
        let mut entries = super::repo::list(
            &st.db,
            super::repo::Filter {
                action: action.as_deref(),
                entity_type: entity_type.as_deref(),
                actor: actor.as_deref(),
                from: day(&filter.from, "from", 0)?,
                to: day(&filter.to, "to", 1)?,
                before_id: filter.before_id,
                limit: limit + 1,
            },
        )
        .await?;
        let next_before_id = if entries.len() as i64 > limit {
            entries.truncate(limit as usize);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(AuditPage { entries, next_before_id })
    })
    .await
}

/// The actions that occur in the log, for the filter menu.
#[server(endpoint = "audit/actions", input = Json)]
pub async fn list_audit_actions() -> Result<Vec<String>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::AuditView).await?;
        Ok(super::repo::distinct_actions(&state()?.db).await?)
    })
    .await
}
