//! SQL of the benchmark commands.
//!
//! Bench-only code outside the app's repo layer, so it uses runtime-checked
//! `sqlx::query*` functions instead of the `query!` macros: no `.sqlx/` offline data to
//! regenerate for SQL that the application never runs.
//! The timed paths call the app's own repository functions; the EXPLAINs read the
//! app's SQL back from `pg_prepared_statements`, so there is no copy that could drift.
use app::auth::model::{CurrentUser, Role, Theme, UserId};
use app::tickets::repo::SearchStep;
use sqlx::{PgConnection, PgExecutor, Row};
use uuid::Uuid;

/// Every benchmark account has an address in this domain.
pub const BENCH_DOMAIN: &str = "bench.helios.test";
/// Team names of the dataset are prefixed with this.
pub const TEAM_PREFIX: &str = "Bench ";

pub const COPY_TICKETS: &str = "copy tickets (id, number, title, description, requester_id, assignee_id, team_id, \
     status, status_category, priority, source, tags, version, created_at, updated_at) from stdin";
pub const COPY_COMMENTS: &str =
    "copy ticket_comments (id, ticket_id, author_id, body, internal, created_at) from stdin";
pub const COPY_EVENTS: &str = "copy ticket_events (ticket_id, actor_id, kind, detail, version, created_at) from stdin";

pub async fn count_tickets(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from tickets").fetch_one(db).await
}

/// The first ticket number not yet taken, by a row or by the sequence.
pub async fn next_ticket_number(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select greatest(coalesce((select max(number) from tickets), 0),
                         (select case when is_called then last_value else 0 end from ticket_number_seq)) + 1",
    )
    .fetch_one(db)
    .await
}

pub async fn set_ticket_sequence(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query("select setval('ticket_number_seq', (select max(number) from tickets))").execute(db).await?;
    Ok(())
}

/// Session settings for a bulk load: room for GIN pending lists and their merges.
pub async fn tune_for_load(db: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("set work_mem = '256MB'").execute(&mut *db).await?;
    sqlx::query("set gin_pending_list_limit = '32MB'").execute(&mut *db).await?;
    Ok(())
}

/// Inserts the accounts that do not exist yet (no password, so nobody can sign in).
pub async fn upsert_users(
    db: impl PgExecutor<'_>,
    emails: &[String],
    names: &[String],
    roles: &[&str],
) -> sqlx::Result<u64> {
    let r = sqlx::query(
        "insert into users (email, display_name, role)
         select e, n, r::user_role from unnest($1::text[], $2::text[], $3::text[]) as x(e, n, r)
         on conflict (email) do nothing",
    )
    .bind(emails)
    .bind(names)
    .bind(roles)
    .execute(db)
    .await?;
    Ok(r.rows_affected())
}

/// The benchmark accounts: (number N of `bench-user-N@…`, id, role).
pub async fn bench_users(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(u64, Uuid, Role)>> {
    let rows = sqlx::query("select id, email::text as email, role from users where email::text like $1 and active")
        .bind(format!("bench-user-%@{BENCH_DOMAIN}"))
        .fetch_all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let email: String = r.try_get("email")?;
        let n = email.strip_prefix("bench-user-").and_then(|s| s.split('@').next()).and_then(|s| s.parse().ok());
        if let Some(n) = n {
            out.push((n, r.try_get("id")?, r.try_get("role")?));
        }
    }
    out.sort_unstable_by_key(|u| u.0);
    Ok(out)
}

/// Creates the teams that do not exist yet; returns all of them, in `names` order.
pub async fn ensure_teams(db: &mut PgConnection, names: &[String]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query(
        "insert into teams (name, description) select n, 'Benchmark dataset' from unnest($1::text[]) as x(n)
         on conflict (name) do nothing",
    )
    .bind(names)
    .execute(&mut *db)
    .await?;
    let rows: Vec<(Uuid, String)> =
        sqlx::query_as("select id, name::text from teams where name::text = any($1)").bind(names).fetch_all(db).await?;
    Ok(names.iter().filter_map(|n| rows.iter().find(|r| &r.1 == n).map(|r| r.0)).collect())
}

pub async fn add_members(db: impl PgExecutor<'_>, teams: &[Uuid], users: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query(
        "insert into team_members (team_id, user_id) select * from unnest($1::uuid[], $2::uuid[])
         on conflict do nothing",
    )
    .bind(teams)
    .bind(users)
    .execute(db)
    .await?;
    Ok(())
}

/// Refreshes planner statistics (and the visibility map and GIN pending lists, as
/// autovacuum would soon do anyway) for the tables the dataset filled.
pub async fn vacuum_analyze(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query("vacuum (analyze) users, teams, team_members, tickets, ticket_comments, ticket_events")
        .execute(db)
        .await?;
    Ok(())
}

/// Row counts printed at the top of the benchmark.
pub async fn dataset_counts(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<(String, i64)>> {
    let r = sqlx::query(
        "select (select count(*) from users) as users,
                (select count(*) from users where role <> 'requester' and active) as staff,
                (select count(*) from teams) as teams,
                (select count(*) from tickets) as tickets,
                (select count(*) from tickets where status_category in ('new', 'open', 'pending', 'scheduled')) as active_tickets,
                (select count(*) from ticket_comments) as comments,
                (select count(*) from ticket_comments where internal) as internal_notes,
                (select count(*) from ticket_events) as timeline_events,
                (select count(*) from audit_log) as audit_entries,
                (select count(*) from assets) as assets",
    )
    .fetch_one(db)
    .await?;
    let names = [
        "users",
        "staff",
        "teams",
        "tickets",
        "active_tickets",
        "comments",
        "internal_notes",
        "timeline_events",
        "audit_entries",
        "assets",
    ];
    names.iter().map(|n| Ok((n.to_string(), r.try_get::<i64, _>(*n)?))).collect()
}

/// Inserts `n` assets spread over every type and status, most assigned to a
/// requester, with purchase and warranty dates around today. Returns how many.
pub async fn generate_assets(db: impl PgExecutor<'_>, n: i64) -> sqlx::Result<u64> {
    let models = "array['MacBook Pro 14','ThinkPad T14','Latitude 7440','Chromebook 514','iPhone 15','Galaxy S24',\
                  'iPad Air','PowerEdge R650','Catalyst 9200','LaserJet M404','UltraSharp U2723QE','MX Keys']";
    let sql = format!(
        "with r as (select array_agg(id) as ids from users where role = 'requester'),
              run as (select substr(md5(random()::text), 1, 6) as tag)
         insert into assets (name, asset_type, status, tag, serial, make, model, os, os_version, assigned_to,
                             purchased_on, purchase_cost_cents, warranty_expires_on, notes)
         select ({models})[1 + g % 12] || ' ' || g,
                (enum_range(null::asset_type))[1 + g % 10],
                (enum_range(null::asset_status))[1 + (g / 7) % 5],
                'BA-' || run.tag || '-' || g,
                'SN' || substr(md5(g::text), 1, 12),
                (array['Apple','Lenovo','Dell','Google','Samsung','HP','Cisco','Logitech'])[1 + g % 8],
                ({models})[1 + g % 12],
                (array['macOS','Windows','ChromeOS','iOS','Android','Linux',''])[1 + g % 7], '',
                case when g % 5 = 0 or r.ids is null then null else r.ids[1 + g % cardinality(r.ids)] end,
                current_date - (g % 1500), 10000 + (g % 300000),
                current_date - (g % 1500) + 1095, ''
         from generate_series(1, $1) g, r, run"
    );
    Ok(sqlx::query(&sql).bind(n).execute(db).await?.rows_affected())
}

/// "PostgreSQL 15.x, database 4 GB, shared_buffers 128MB".
pub async fn server_summary(db: impl PgExecutor<'_>) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "select 'PostgreSQL ' || current_setting('server_version') || ', database '
                || pg_size_pretty(pg_database_size(current_database()))
                || ', shared_buffers ' || current_setting('shared_buffers')",
    )
    .fetch_one(db)
    .await
}

/// Active agents, as signed-in users, to act as in the benchmark.
pub async fn agents(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<CurrentUser>> {
    let rows = sqlx::query(
        "select id, email::text as email, display_name from users
         where role = 'agent' and active order by email limit $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(CurrentUser {
                id: UserId(r.try_get("id")?),
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                role: Role::Agent,
                theme: Theme::Dark,
            })
        })
        .collect()
}

/// The teams of the dataset.
pub async fn bench_teams(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar("select id from teams where name::text like $1 order by name")
        .bind(format!("{TEAM_PREFIX}%"))
        .fetch_all(db)
        .await
}

pub async fn requesters(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<UserId>> {
    let ids: Vec<Uuid> =
        sqlx::query_scalar("select id from users where role = 'requester' and active order by email limit $1")
            .bind(limit)
            .fetch_all(db)
            .await?;
    Ok(ids.into_iter().map(UserId).collect())
}

pub async fn number_range(db: impl PgExecutor<'_>) -> sqlx::Result<Option<(i64, i64)>> {
    let r: (Option<i64>, Option<i64>) =
        sqlx::query_as("select min(number), max(number) from tickets").fetch_one(db).await?;
    Ok(r.0.zip(r.1))
}

/// EXPLAIN (ANALYZE, BUFFERS) of `sql` (the text of `repo::search_step`) with these
/// arguments, on a connection where `repo::search_settings` is in effect.
pub async fn explain_search_step(
    db: &mut PgConnection,
    sql: &str,
    text: &str,
    with_internal: bool,
    step: SearchStep,
    limit: i64,
) -> sqlx::Result<String> {
    let sql = format!("explain (analyze, buffers) {sql}");
    let lines: Vec<String> = sqlx::query_scalar(&sql)
        .bind(text)
        .bind(with_internal)
        .bind(step.since)
        .bind(step.scan)
        .bind(step.fuzzy)
        .bind(step.fuzzy_since)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(lines.join("\n"))
}

/// The text of a statement this connection has prepared (sqlx prepares and caches
/// every query), found by two fragments of it. Lets the benchmark EXPLAIN exactly
/// the SQL of a search step without a copy that could drift.
pub async fn prepared_statement(db: &mut PgConnection, a: &str, b: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "select statement from pg_prepared_statements
         where strpos(statement, $1) > 0 and strpos(statement, $2) > 0 and statement not ilike 'explain%' limit 1",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(db)
    .await
}

/// EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL `app::tickets::repo::list` runs:
/// the same builder, text and arguments, with the EXPLAIN in front.
pub async fn explain_queue(db: &mut PgConnection, a: &app::tickets::repo::ListArgs<'_>) -> sqlx::Result<String> {
    use sqlx::Execute;
    let mut q = app::tickets::repo::list_query(a);
    let sql = format!("explain (analyze, buffers) {}", q.sql());
    let args = q.build().take_arguments().ok().flatten().unwrap_or_default();
    let lines: Vec<String> = sqlx::query_scalar_with(&sql, args).fetch_all(db).await?;
    Ok(lines.join("\n"))
}
