//! SQL for tickets, comments and the timeline.
use super::fields::{CategoryId, Level};
use super::model::*;
use crate::auth::model::UserId;
use crate::teams::model::TeamId;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, Postgres, QueryBuilder};

pub async fn load_workflow(db: &sqlx::PgPool) -> sqlx::Result<Workflow> {
    let statuses = sqlx::query_as!(
        Status,
        r#"select key, name, category as "category: StatusCategory" from ticket_statuses order by position, key"#
    )
    .fetch_all(db)
    .await?;
    let transitions = sqlx::query!("select from_key, to_key from ticket_status_transitions")
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.from_key, r.to_key))
        .collect();
    Ok(Workflow { statuses, transitions })
}

pub struct NewTicketRow<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub requester: UserId,
    pub priority: Priority,
    pub source: Source,
    pub team: Option<TeamId>,
    pub category: Option<CategoryId>,
    pub urgency: Level,
    pub impact: Level,
    pub due_at: Option<DateTime<Utc>>,
    pub custom_fields: &'a Value,
}

/// Inserts a ticket in status `new`; returns its id and number.
pub async fn insert(db: impl PgExecutor<'_>, t: NewTicketRow<'_>) -> sqlx::Result<(TicketId, TicketNumber)> {
    let r = sqlx::query!(
        r#"insert into tickets (title, description, requester_id, priority, source, team_id, status, status_category,
                                category_id, urgency, impact, due_at, custom_fields)
           values ($1, $2, $3, $4, $5, $6, 'new', 'new', $7, $8, $9, $10, $11)
           returning id as "id: TicketId", number as "number: TicketNumber""#,
        t.title,
        t.description,
        t.requester.0,
        t.priority as Priority,
        t.source as Source,
        t.team.map(|x| x.0),
        t.category.map(|c| c.0),
        t.urgency as Level,
        t.impact as Level,
        t.due_at,
        t.custom_fields
    )
    .fetch_one(db)
    .await?;
    Ok((r.id, r.number))
}

pub async fn insert_event(
    db: impl PgExecutor<'_>,
    ticket: TicketId,
    actor: Option<UserId>,
    kind: &str,
    detail: &Value,
    version: i32,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into ticket_events (ticket_id, actor_id, kind, detail, version) values ($1, $2, $3, $4, $5)",
        ticket.0,
        actor.map(|a| a.0),
        kind,
        detail,
        version
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn id_of(db: impl PgExecutor<'_>, number: TicketNumber) -> sqlx::Result<Option<TicketId>> {
    sqlx::query_scalar!(r#"select id as "id: TicketId" from tickets where number = $1"#, number.0)
        .fetch_optional(db)
        .await
}

/// The full ticket; `lock` takes a row lock for an update in the same transaction.
pub async fn find_by_number(db: impl PgExecutor<'_>, number: TicketNumber) -> sqlx::Result<Option<Ticket>> {
    sqlx::query_as!(
        Ticket,
        r#"select t.id as "id: TicketId", t.number as "number: TicketNumber", t.title, t.description,
                  t.requester_id as "requester_id: UserId", r.display_name as requester_name, r.email::text as "requester_email!",
                  t.assignee_id as "assignee_id: UserId", a.display_name as "assignee_name?",
                  t.team_id as "team_id: TeamId", tm.name::text as "team_name?",
                  t.status, s.name as status_name, t.status_category as "status_category: StatusCategory",
                  t.priority as "priority: Priority", t.source as "source: Source", t.tags,
                  t.category_id as "category_id: CategoryId", t.urgency as "urgency: Level", t.impact as "impact: Level",
                  t.due_at, t.custom_fields, t.version, t.created_at, t.updated_at
           from tickets t
           join users r on r.id = t.requester_id
           left join users a on a.id = t.assignee_id
           left join teams tm on tm.id = t.team_id
           join ticket_statuses s on s.key = t.status
           where t.number = $1"#,
        number.0
    )
    .fetch_optional(db)
    .await
}

/// Locks the ticket row for the rest of the transaction; returns its current version.
pub async fn lock(db: impl PgExecutor<'_>, id: TicketId) -> sqlx::Result<i32> {
    sqlx::query_scalar!("select version from tickets where id = $1 for update", id.0).fetch_one(db).await
}

pub struct TicketRowUpdate<'a> {
    pub title: &'a str,
    pub status: &'a str,
    pub priority: Priority,
    pub assignee: Option<UserId>,
    pub team: Option<TeamId>,
    pub tags: &'a [String],
    pub category: Option<CategoryId>,
    pub urgency: Level,
    pub impact: Level,
    pub due_at: Option<DateTime<Utc>>,
    pub custom_fields: &'a Value,
}

/// Writes the new values and bumps the version; returns the new version.
pub async fn update(db: impl PgExecutor<'_>, id: TicketId, u: TicketRowUpdate<'_>) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"update tickets set title = $2, status = $3,
                  status_category = (select category from ticket_statuses where key = $3),
                  priority = $4, assignee_id = $5, team_id = $6, tags = $7, category_id = $8, urgency = $9,
                  impact = $10, due_at = $11, custom_fields = $12, version = version + 1
           where id = $1 returning version"#,
        id.0,
        u.title,
        u.status,
        u.priority as Priority,
        u.assignee.map(|a| a.0),
        u.team.map(|t| t.0),
        u.tags,
        u.category.map(|c| c.0),
        u.urgency as Level,
        u.impact as Level,
        u.due_at,
        u.custom_fields
    )
    .fetch_one(db)
    .await
}

/// Who changed what after `version` (for conflict messages).
pub async fn changes_since(db: impl PgExecutor<'_>, id: TicketId, version: i32) -> sqlx::Result<Vec<(String, String)>> {
    Ok(sqlx::query!(
        r#"select coalesce(u.display_name, 'someone') as "who!", coalesce(e.detail->>'field', e.kind) as "what!"
           from ticket_events e left join users u on u.id = e.actor_id
           where e.ticket_id = $1 and e.version > $2 order by e.id"#,
        id.0,
        version
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.who, r.what))
    .collect())
}

pub async fn touch(db: impl PgExecutor<'_>, id: TicketId) -> sqlx::Result<i32> {
    sqlx::query_scalar!("update tickets set version = version + 1 where id = $1 returning version", id.0)
        .fetch_one(db)
        .await
}

pub async fn insert_comment(
    db: impl PgExecutor<'_>,
    ticket: TicketId,
    author: UserId,
    body: &str,
    internal: bool,
) -> sqlx::Result<uuid::Uuid> {
    sqlx::query_scalar!(
        "insert into ticket_comments (ticket_id, author_id, body, internal) values ($1, $2, $3, $4) returning id",
        ticket.0,
        author.0,
        body,
        internal
    )
    .fetch_one(db)
    .await
}

/// The timeline in order; internal notes only when `with_internal`.
pub async fn timeline(
    db: impl PgExecutor<'_>,
    ticket: TicketId,
    with_internal: bool,
) -> sqlx::Result<Vec<TimelineItem>> {
    let rows = sqlx::query!(
        r#"select e.created_at, u.display_name as "actor?", e.kind, e.detail, c.body as "body?", c.internal as "internal?",
                  c.id as "comment_id?"
           from ticket_events e
           left join users u on u.id = e.actor_id
           left join ticket_comments c on e.kind = 'comment' and c.id = (e.detail->>'comment_id')::uuid
           where e.ticket_id = $1 and ($2 or coalesce(c.internal, false) = false)
           order by e.id"#,
        ticket.0,
        with_internal
    )
    .fetch_all(db)
    .await?;
    let text = |v: &Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    Ok(rows
        .into_iter()
        .map(|r| TimelineItem {
            at: r.created_at,
            actor: r.actor,
            comment_id: r.comment_id,
            attachments: Vec::new(),
            what: match r.kind.as_str() {
                "comment" => {
                    let body = r.body.unwrap_or_default();
                    let html = super::markdown::to_safe_html(&body);
                    TimelineWhat::Comment { body, internal: r.internal.unwrap_or(false), html }
                }
                "changed" => TimelineWhat::Changed {
                    field: text(&r.detail, "field"),
                    from: text(&r.detail, "from"),
                    to: text(&r.detail, "to"),
                },
                "linked" | "merged" => linked_item(&r.kind, &r.detail),
                _ => TimelineWhat::Created,
            },
        })
        .collect())
}

/// A `linked` or `merged` timeline entry from its stored detail.
fn linked_item(kind: &str, d: &Value) -> TimelineWhat {
    let other = TicketNumber(d.get("other_number").and_then(Value::as_i64).unwrap_or(0));
    let flag = |k: &str| d.get(k).and_then(Value::as_bool).unwrap_or(false);
    if kind == "merged" {
        let comments = d.get("comments").and_then(Value::as_u64).unwrap_or(0) as u32;
        return TimelineWhat::Merged { into: flag("into"), other, comments };
    }
    let relation = d
        .get("relation")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or(super::links::model::Relation::RelatedTo);
    TimelineWhat::Linked { relation, other, added: flag("added") }
}

/// A queue query: the filter, whom "me" means, and how many rows to return.
pub struct ListArgs<'a> {
    pub filter: &'a TicketFilter,
    pub me: UserId,
    pub limit: i64,
}

/// The columns of a queue row (aliases match `TicketSummary`).
const SUMMARY_COLUMNS: &str = "t.id, t.number, t.title, r.display_name as requester_name, \
     a.display_name as assignee_name, tm.name::text as team_name, t.status, s.name as status_name, \
     t.status_category, t.priority, t.category_id, t.created_at, t.updated_at";

const SUMMARY_JOINS: &str = " from tickets t join users r on r.id = t.requester_id \
     left join users a on a.id = t.assignee_id left join teams tm on tm.id = t.team_id \
     join ticket_statuses s on s.key = t.status";

fn day_start(d: chrono::NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// ` where …` for every filter that is set. Built at run time (one shape per
/// combination of filters) so each shape gets a plan that can use its index,
/// and so list, count and export share one definition.
fn push_where(q: &mut QueryBuilder<'_, Postgres>, f: &TicketFilter, me: UserId) {
    q.push(" where true");
    if !f.categories.is_empty() {
        q.push(" and t.status_category = any(").push_bind(f.categories.clone()).push(")");
    }
    if !f.statuses.is_empty() {
        q.push(" and t.status = any(").push_bind(f.statuses.clone()).push(")");
    }
    match f.assignee {
        AssigneeFilter::Any => {}
        AssigneeFilter::Unassigned => {
            q.push(" and t.assignee_id is null");
        }
        AssigneeFilter::Me => {
            q.push(" and t.assignee_id = ").push_bind(me.0);
        }
        AssigneeFilter::User(u) => {
            q.push(" and t.assignee_id = ").push_bind(u.0);
        }
    }
    if let Some(team) = f.team {
        q.push(" and t.team_id = ").push_bind(team.0);
    }
    if let Some(p) = f.priority {
        q.push(" and t.priority = ").push_bind(p);
    }
    if let Some(r) = f.requester {
        q.push(" and t.requester_id = ").push_bind(r.0);
    }
    if let Some(tag) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q.push(" and t.tags @> array[").push_bind(tag.to_lowercase()).push("]");
    }
    if let Some(c) = f.category {
        q.push(" and (t.category_id = ")
            .push_bind(c.0)
            .push(" or t.category_id in (select id from ticket_categories where parent_id = ")
            .push_bind(c.0)
            .push("))");
    }
    if let Some(d) = f.created_from {
        q.push(" and t.created_at >= ").push_bind(day_start(d));
    }
    if let Some(d) = f.created_to {
        q.push(" and t.created_at < ").push_bind(day_start(d) + chrono::Duration::days(1));
    }
    if let Some(d) = f.updated_from {
        q.push(" and t.updated_at >= ").push_bind(day_start(d));
    }
    if let Some(d) = f.updated_to {
        q.push(" and t.updated_at < ").push_bind(day_start(d) + chrono::Duration::days(1));
    }
}

/// The keyset condition (rows after the cursor in this order) and the ORDER BY.
fn push_order(q: &mut QueryBuilder<'_, Postgres>, sort: TicketSort, after: Option<TicketCursor>) {
    use TicketSort::*;
    if let Some(c) = after {
        match sort {
            UpdatedDesc | UpdatedAsc => {
                let op = if sort == UpdatedDesc { "<" } else { ">" };
                q.push(format!(" and (t.updated_at, t.id) {op} ("))
                    .push_bind(c.updated_at)
                    .push(", ")
                    .push_bind(c.id.0)
                    .push(")");
            }
            CreatedDesc | CreatedAsc => {
                let op = if sort == CreatedDesc { "<" } else { ">" };
                q.push(format!(" and (t.created_at, t.id) {op} ("))
                    .push_bind(c.created_at)
                    .push(", ")
                    .push_bind(c.id.0)
                    .push(")");
            }
            NumberDesc | NumberAsc => {
                let op = if sort == NumberDesc { "<" } else { ">" };
                q.push(format!(" and t.number {op} ")).push_bind(c.number.0);
            }
            PriorityHigh | PriorityLow => {
                // P1 sorts first in the enum; "high first" walks it upwards.
                let op = if sort == PriorityHigh { ">" } else { "<" };
                q.push(format!(" and (t.priority {op} "))
                    .push_bind(c.priority)
                    .push(" or (t.priority = ")
                    .push_bind(c.priority)
                    .push(" and (t.updated_at, t.id) < (")
                    .push_bind(c.updated_at)
                    .push(", ")
                    .push_bind(c.id.0)
                    .push(")))");
            }
        }
    }
    q.push(match sort {
        UpdatedDesc => " order by t.updated_at desc, t.id desc",
        UpdatedAsc => " order by t.updated_at, t.id",
        CreatedDesc => " order by t.created_at desc, t.id desc",
        CreatedAsc => " order by t.created_at, t.id",
        NumberDesc => " order by t.number desc",
        NumberAsc => " order by t.number",
        PriorityHigh => " order by t.priority, t.updated_at desc, t.id desc",
        PriorityLow => " order by t.priority desc, t.updated_at desc, t.id desc",
    });
}

/// The SQL of a queue page, for `list` and for the benchmark's EXPLAIN.
pub fn list_query(a: &ListArgs<'_>) -> QueryBuilder<'static, Postgres> {
    let mut q = QueryBuilder::new(format!("select {SUMMARY_COLUMNS}{SUMMARY_JOINS}"));
    push_where(&mut q, a.filter, a.me);
    push_order(&mut q, a.filter.sort, a.filter.after);
    q.push(" limit ").push_bind(a.limit);
    q
}

/// A queue page in the filter's order, keyset-paginated after `filter.after`.
pub async fn list(db: impl PgExecutor<'_>, a: ListArgs<'_>) -> sqlx::Result<Vec<TicketSummary>> {
    list_query(&a).build_query_as::<TicketSummary>().fetch_all(db).await
}

/// How many tickets match (ignoring the cursor), counting at most `a.limit`.
pub async fn count(db: impl PgExecutor<'_>, a: ListArgs<'_>) -> sqlx::Result<i64> {
    let mut q = QueryBuilder::new("select count(*) from (select 1 from tickets t");
    push_where(&mut q, a.filter, a.me);
    q.push(" limit ").push_bind(a.limit).push(") matching");
    q.build_query_scalar::<i64>().fetch_one(db).await
}

/// How many of the most recently updated tickets the first step of a search checks.
pub const SEARCH_WINDOW: i64 = 2_000;
/// The second step looks this many times further back than the first.
const SEARCH_WIDEN: i32 = 20;

/// Full-text search over titles, descriptions and comments (weighted A/B/C), plus
/// trigram similarity on titles for typos when full text finds too little. One row per
/// ticket, best match first.
///
/// Ranking every match costs one heap visit per match, and a common word matches
/// tens of thousands of tickets, so search goes in steps (see [`search_steps`]) from
/// the most recently active tickets outwards and stops at the first step that finds
/// `limit` tickets: common words stop early, rare words have few matches to rank in
/// any step. Among recent matches the best ranked come first.
pub async fn search(db: &sqlx::PgPool, text: &str, with_internal: bool, limit: i64) -> sqlx::Result<Vec<SearchHit>> {
    search_from(db, text, with_internal, limit, SEARCH_WINDOW).await
}

/// [`search`] with a first step over the `window` most recently updated tickets.
pub async fn search_from(
    db: &sqlx::PgPool,
    text: &str,
    with_internal: bool,
    limit: i64,
    window: i64,
) -> sqlx::Result<Vec<SearchHit>> {
    let mut tx = db.begin().await?;
    search_settings(&mut *tx).await?;
    let mut hits = Vec::new();
    for step in search_steps(&mut *tx, window).await? {
        hits = search_step(&mut *tx, text, with_internal, step, limit).await?;
        if hits.len() as i64 >= limit {
            break;
        }
    }
    tx.commit().await?;
    Ok(hits)
}

/// Which tickets one step of a search looks at, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchStep {
    /// Tickets updated (and comments written) since then; every ticket when none.
    pub since: Option<DateTime<Utc>>,
    /// Check each ticket and comment of the window rather than ask the full-text
    /// indexes: the indexes cost one entry per match anywhere (tens of thousands for a
    /// common word or phrase), a small window costs its size whatever the words.
    pub scan: bool,
    /// Add fuzzy title matches from tickets updated since `fuzzy_since` (every ticket
    /// when none) if full text finds fewer than 5 tickets (or than the limit, if
    /// smaller): a typo finds next to nothing, a rare name or number finds its tickets
    /// and would only gain look-alikes (`ws-8854` for `ws-8845`) at a high price.
    pub fuzzy: bool,
    pub fuzzy_since: Option<DateTime<Utc>>,
}

/// The steps of a search: the `window` most recently updated tickets, checked one by
/// one; then, through the indexes, the tickets updated within a span 20 times as long
/// (about 20 times as many tickets); then every ticket, with fuzzy title matches from
/// that wider window only (a typo's trigrams are common ones). A single step over
/// everything when there are at most `window` tickets.
pub async fn search_steps(db: impl PgExecutor<'_>, window: i64) -> sqlx::Result<Vec<SearchStep>> {
    let Some(first) = sqlx::query!(
        r#"select updated_at as since, now() as "now!" from tickets order by updated_at desc offset $1 limit 1"#,
        window - 1
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(vec![SearchStep { since: None, scan: false, fuzzy: true, fuzzy_since: None }]);
    };
    let wider = first.now - (first.now - first.since).max(chrono::TimeDelta::zero()) * SEARCH_WIDEN;
    Ok(vec![
        SearchStep { since: Some(first.since), scan: true, fuzzy: false, fuzzy_since: None },
        SearchStep { since: Some(wider), scan: false, fuzzy: false, fuzzy_since: None },
        SearchStep { since: None, scan: false, fuzzy: true, fuzzy_since: Some(wider) },
    ])
}

/// Settings of a search transaction. The default word-similarity threshold (0.6)
/// misses one-letter typos in short words; 0.5 keeps the operator (and so the trigram
/// index) usable. Custom plans, so the planner sees the window bound and the words'
/// frequencies; enough work_mem that the bitmaps of common words stay exact (no lossy
/// pages whose every row must be rechecked).
pub async fn search_settings(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "select set_config('pg_trgm.word_similarity_threshold', '0.5', true) as threshold,
                set_config('plan_cache_mode', 'force_custom_plan', true) as plans,
                set_config('work_mem', '32MB', true) as work_mem"
    )
    .fetch_one(db)
    .await?;
    Ok(())
}

/// One step of [`search`]: the best `limit` tickets of the step's window by full
/// text over tickets and the comments written in it, plus fuzzy title matches when
/// the step allows them and full text finds next to nothing (see [`SearchStep::fuzzy`]).
pub async fn search_step(
    db: impl PgExecutor<'_>,
    text: &str,
    with_internal: bool,
    step: SearchStep,
    limit: i64,
) -> sqlx::Result<Vec<SearchHit>> {
    // `websearch_to_tsquery('simple', $1)` is written out in each branch, not taken
    // from a CTE, so that it folds to a constant the planner can estimate. `$4` (scan)
    // folds too: `ts_match_vq` is `@@` in a form no index can serve.
    sqlx::query_as!(
        SearchHit,
        r#"with fts as (
             (select t.id as ticket_id, ts_rank(t.search, websearch_to_tsquery('simple', $1)) as rank, null::uuid as comment_id
                from tickets t
               where ($3::timestamptz is null or t.updated_at >= $3)
                 and (($4 and ts_match_vq(t.search, websearch_to_tsquery('simple', $1)))
                      or (not $4 and t.search @@ websearch_to_tsquery('simple', $1)))
               order by 2 desc limit 200)
             union all
             (select c.ticket_id, ts_rank(c.search, websearch_to_tsquery('simple', $1)) * 0.8, c.id
                from ticket_comments c
               where ($3::timestamptz is null or c.created_at >= $3) and ($2 or not c.internal)
                 and (($4 and ts_match_vq(c.search, websearch_to_tsquery('simple', $1)))
                      or (not $4 and c.search @@ websearch_to_tsquery('simple', $1)))
               order by 2 desc limit 200)
           ),
           fuzzy as (
             select t.id as ticket_id, word_similarity($1, t.title) * 0.5 as rank, null::uuid as comment_id
               from tickets t
              where $5 and $1 <% t.title and ($6::timestamptz is null or t.updated_at >= $6)
                and (select count(distinct ticket_id) from fts) < least($7::bigint, 5)
              order by 2 desc limit 50
           ),
           best as (
             select distinct on (ticket_id) ticket_id, rank, comment_id
               from (select * from fts union all select * from fuzzy) hits
              order by ticket_id, rank desc
           )
           select t.number as "number!: TicketNumber", t.title as "title!", st.name as "status_name!",
                  t.status_category as "status_category!: StatusCategory", r.display_name as "requester_name!",
                  ts_headline('simple', coalesce(c.body, t.title || ' — ' || t.description), websearch_to_tsquery('simple', $1),
                              'MaxFragments=1, MaxWords=20, MinWords=8, StartSel=' || chr(2) || ', StopSel=' || chr(3)) as "snippet!"
           from best b
           join tickets t on t.id = b.ticket_id
           join ticket_statuses st on st.key = t.status
           join users r on r.id = t.requester_id
           left join ticket_comments c on c.id = b.comment_id
           order by b.rank desc, t.updated_at desc
           limit $7"#,
        text,
        with_internal,
        step.since,
        step.scan,
        step.fuzzy,
        step.fuzzy_since,
        limit
    )
    .fetch_all(db)
    .await
}

/// The ticket with exactly this number, as a search hit.
pub async fn hit_by_number(db: impl PgExecutor<'_>, number: TicketNumber) -> sqlx::Result<Option<SearchHit>> {
    sqlx::query_as!(
        SearchHit,
        r#"select t.number as "number: TicketNumber", t.title, st.name as status_name,
                  t.status_category as "status_category: StatusCategory", r.display_name as requester_name,
                  left(t.description, 160) as "snippet!"
           from tickets t join ticket_statuses st on st.key = t.status join users r on r.id = t.requester_id
           where t.number = $1"#,
        number.0
    )
    .fetch_optional(db)
    .await
}

/// One row of a CSV export.
#[derive(sqlx::FromRow)]
pub struct ExportRow {
    pub number: TicketNumber,
    pub title: String,
    pub status_name: String,
    pub priority: Priority,
    pub requester_name: String,
    pub requester_email: String,
    pub assignee_name: Option<String>,
    pub team_name: Option<String>,
    pub tags: Vec<String>,
    pub category_id: Option<CategoryId>,
    pub urgency: Level,
    pub impact: Level,
    pub due_at: Option<DateTime<Utc>>,
    pub custom_fields: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every ticket matching the filter in its order. The caller runs it with
/// `build_query_as::<ExportRow>().fetch(..)`, a stream straight from the server,
/// so the result is never held in memory.
pub fn export_query(a: &ListArgs<'_>) -> QueryBuilder<'static, Postgres> {
    let mut q = QueryBuilder::new(
        "select t.number, t.title, s.name as status_name, t.priority, r.display_name as requester_name, \
         r.email::text as requester_email, a.display_name as assignee_name, tm.name::text as team_name, t.tags, \
         t.category_id, t.urgency, t.impact, t.due_at, t.custom_fields, t.created_at, t.updated_at",
    );
    q.push(SUMMARY_JOINS);
    push_where(&mut q, a.filter, a.me);
    push_order(&mut q, a.filter.sort, None);
    q
}
