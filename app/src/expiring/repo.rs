//! SQL for the `expiring_items` view and the alerts sent from it.
use super::model::ExpiringItem;
use crate::links::model::RecordKind;
use chrono::NaiveDate;
use sqlx::PgExecutor;

/// Items ending on or before `until` (past ones included), soonest first.
pub async fn until(db: impl PgExecutor<'_>, until: NaiveDate, today: NaiveDate) -> sqlx::Result<Vec<ExpiringItem>> {
    let rows = sqlx::query!(
        r#"select kind as "kind!: RecordKind", id as "id!", title as "title!", what as "what!", expires_on as "expires_on!"
           from expiring_items where expires_on <= $1 order by expires_on, title limit 2000"#,
        until
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ExpiringItem {
            href: r.kind.href(&r.id.to_string()),
            kind: r.kind,
            id: r.id,
            title: r.title,
            what: r.what,
            days_left: (r.expires_on - today).num_days(),
            expires_on: r.expires_on,
        })
        .collect())
}

/// Records that an alert went out; false when it had already.
pub async fn mark_sent(db: impl PgExecutor<'_>, item: &ExpiringItem, threshold: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "insert into expiry_alerts_sent (kind, item_id, expires_on, threshold_days) values ($1, $2, $3, $4)
         on conflict do nothing",
        item.kind as RecordKind,
        item.id,
        item.expires_on,
        threshold as i32
    )
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// Active staff with these addresses, or every active admin when none are given.
pub async fn recipients(db: impl PgExecutor<'_>, emails: &[String]) -> sqlx::Result<Vec<uuid::Uuid>> {
    sqlx::query_scalar!(
        r#"select id from users where active and role <> 'requester'
             and (case when cardinality($1::text[]) = 0 then role = 'admin' else email = any($1::text[]::citext[]) end)"#,
        emails
    )
    .fetch_all(db)
    .await
}
