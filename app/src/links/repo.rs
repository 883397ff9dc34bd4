//! SQL for typed links. Titles and route keys come from the database functions
//! `record_ref` and `record_search`, which know every kind's table.
use super::model::{LinkCandidate, LinkType, LinkedRecord, RecordKind, RecordRef};
use crate::auth::model::UserId;
use sqlx::PgExecutor;

/// Title and route key of a record; None when it does not exist.
pub async fn record_ref(db: impl PgExecutor<'_>, r: RecordRef) -> sqlx::Result<Option<(String, String)>> {
    let row =
        sqlx::query!(r#"select title, key from record_ref($1, $2)"#, r.kind as RecordKind, r.id).fetch_one(db).await?;
    Ok(row.title.zip(row.key))
}

/// The links of one record, both directions, newest first.
pub async fn list(db: impl PgExecutor<'_>, r: RecordRef) -> sqlx::Result<Vec<LinkedRecord>> {
    let rows = sqlx::query!(
        r#"select l.id as "link_id!", l.link_type as "link_type!: LinkType", l.outgoing as "outgoing!",
                  l.kind as "kind!: RecordKind", l.rid as "rid!", x.title, x.key, l.note as "note!",
                  l.created_at as "created_at!"
           from (select id, link_type, true as outgoing, b_kind as kind, b_id as rid, note, created_at
                   from record_links where a_kind = $1 and a_id = $2
                 union all
                 select id, link_type, false, a_kind, a_id, note, created_at
                   from record_links where b_kind = $1 and b_id = $2) l
           cross join lateral record_ref(l.kind, l.rid) x
           order by l.created_at desc, l.id"#,
        r.kind as RecordKind,
        r.id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let (title, key) = row.title.zip(row.key)?;
            Some(LinkedRecord {
                link_id: row.link_id,
                link_type: row.link_type,
                relation: if row.outgoing { row.link_type.forward() } else { row.link_type.reverse() }.to_string(),
                kind: row.kind,
                id: row.rid,
                href: row.kind.href(&key),
                title,
                note: row.note,
                created_at: row.created_at,
            })
        })
        .collect())
}

/// Records of the given kinds whose name matches `q`, at most `limit` per kind.
pub async fn search(
    db: impl PgExecutor<'_>,
    q: &str,
    kinds: &[RecordKind],
    limit: i64,
) -> sqlx::Result<Vec<LinkCandidate>> {
    let rows = sqlx::query!(
        r#"select kind as "kind!: RecordKind", id as "id!", title as "title!", key as "key!"
           from record_search($1, $2::record_kind[], $3::int)"#,
        q,
        kinds as &[RecordKind],
        limit as i32
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LinkCandidate { kind: r.kind, id: r.id, href: r.kind.href(&r.key), title: r.title })
        .collect())
}

/// Inserts a link (ends already normalised); None when the same link exists.
pub async fn insert(
    db: impl PgExecutor<'_>,
    a: RecordRef,
    b: RecordRef,
    t: LinkType,
    note: &str,
    by: UserId,
) -> sqlx::Result<Option<uuid::Uuid>> {
    sqlx::query_scalar!(
        r#"insert into record_links (a_kind, a_id, b_kind, b_id, link_type, note, created_by)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning id"#,
        a.kind as RecordKind,
        a.id,
        b.kind as RecordKind,
        b.id,
        t as LinkType,
        note,
        by.0
    )
    .fetch_optional(db)
    .await
}

/// Deletes a link, returning its ends and type.
pub async fn delete(db: impl PgExecutor<'_>, id: uuid::Uuid) -> sqlx::Result<Option<(RecordRef, RecordRef, LinkType)>> {
    let row = sqlx::query!(
        r#"delete from record_links where id = $1
           returning a_kind as "a_kind: RecordKind", a_id, b_kind as "b_kind: RecordKind", b_id, link_type as "link_type: LinkType""#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (RecordRef { kind: r.a_kind, id: r.a_id }, RecordRef { kind: r.b_kind, id: r.b_id }, r.link_type)))
}

/// Links of one record, for the audit entry of its deletion (the trigger removes them).
pub async fn count_for(db: impl PgExecutor<'_>, r: RecordRef) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from record_links
           where (a_kind = $1 and a_id = $2) or (b_kind = $1 and b_id = $2)"#,
        r.kind as RecordKind,
        r.id
    )
    .fetch_one(db)
    .await
}
