//! SQL for saved views.
use super::model::SavedView;
use crate::auth::model::UserId;
use crate::tickets::model::{AssigneeFilter, StatusCategory, TicketFilter};
use serde_json::Value;
use sqlx::PgExecutor;

/// Reads the stored filter document: `{"assignee": "me"|"unassigned", "status_category": [...]}`.
fn to_filter(v: &Value) -> TicketFilter {
    let assignee = match v.get("assignee").and_then(Value::as_str) {
        Some("me") => AssigneeFilter::Me,
        Some("unassigned") => AssigneeFilter::Unassigned,
        _ => AssigneeFilter::Any,
    };
    let categories = v
        .get("status_category")
        .and_then(|c| serde_json::from_value::<Vec<StatusCategory>>(c.clone()).ok())
        .unwrap_or_default();
    TicketFilter { assignee, categories, ..Default::default() }
}

/// Shared views first, then the user's own, each in their order.
pub async fn list_views(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<Vec<SavedView>> {
    let rows = sqlx::query!(
        r#"select id, name, owner_id is null as "shared!", filters from saved_views
           where owner_id is null or owner_id = $1
           order by owner_id nulls first, position, name"#,
        user.0
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SavedView { id: r.id, name: r.name, shared: r.shared, filter: to_filter(&r.filters) })
        .collect())
}
