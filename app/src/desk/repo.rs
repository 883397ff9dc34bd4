//! SQL for saved views.
use super::model::SavedView;
use crate::auth::model::UserId;
use sqlx::PgExecutor;

/// Shared views first, then the user's own, each in their order.
pub async fn list_views(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<Vec<SavedView>> {
    sqlx::query_as!(
        SavedView,
        r#"select id, name, owner_id is null as "shared!" from saved_views
           where owner_id is null or owner_id = $1
           order by owner_id nulls first, position, name"#,
        user.0
    )
    .fetch_all(db)
    .await
}
