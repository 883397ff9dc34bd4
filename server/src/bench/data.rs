//! `helios bench-data`: fills the database with a benchmark dataset.
//!
//! Users (about 50 agents, the rest requesters, no passwords), ten teams, tickets
//! with explicit numbers, their comments and timeline events. Rows are generated
//! from a seeded RNG in chunks and streamed with `COPY … FROM STDIN`; while one chunk
//! is being copied the next is generated on a blocking thread, so at most two chunks
//! are in memory whatever the dataset size.
use super::queries::{self, BENCH_DOMAIN, TEAM_PREFIX};
use super::words::{self, weighted};
use super::{escaped, push_opt_uuid, push_text, push_ts};
use app::auth::model::Role;
use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{PgConnection, PgPool};
use std::fmt::Write;
use std::time::Instant;
use uuid::Uuid;

pub struct DataOptions {
    pub tickets: u64,
    pub comments_per_ticket: u32,
    pub users: u32,
    pub assets: u64,
    pub force: bool,
}

/// Tickets generated and copied per `COPY` statement.
const CHUNK: u64 = 5_000;
const MAX_AGENTS: u32 = 50;
/// Mixed with the first ticket number, so a second dataset on top of a first does
/// not repeat its ids, while the same starting point always gives the same data.
const SEED: u64 = 0x4845_4c49_4f53;
const DAY_US: i64 = 86_400 * 1_000_000;
const YEAR_US: i64 = 365 * DAY_US;

pub async fn generate(pool: &PgPool, o: &DataOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    if o.users < 2 {
        anyhow::bail!("--users must be at least 2");
    }
    let mut conn = pool.acquire().await?;
    let existing = queries::count_tickets(&mut *conn).await?;
    if existing > 1000 && !o.force {
        anyhow::bail!(
            "the tickets table already holds {existing} rows; bench-data is meant for an empty benchmark database \
             (pass --force to add a dataset on top anyway)"
        );
    }
    queries::tune_for_load(&mut conn).await?;
    let people = ensure_people(&mut conn, o.users).await?;
    println!(
        "users: {} requesters, {} agents in {} teams",
        people.requesters.len(),
        people.agents.len(),
        people.teams.len()
    );
    let statuses = Statuses::load(pool).await?;
    let first = queries::next_ticket_number(&mut *conn).await?;
    let gen = Gen {
        rng: StdRng::seed_from_u64(SEED ^ first as u64),
        now_us: Utc::now().timestamp_micros(),
        people,
        statuses,
        max_comments: o.comments_per_ticket.saturating_mul(2),
        text: String::new(),
    };
    println!("tickets: TKT-{first} to TKT-{}, ~{} comments each", first + o.tickets as i64 - 1, o.comments_per_ticket);

    let load_started = Instant::now();
    let (mut done, mut comments, mut events, mut last_report) = (0u64, 0u64, 0u64, 0u64);
    let spawn = |mut gen: Gen, from: u64, n: u64| {
        tokio::task::spawn_blocking(move || {
            let chunk = gen.chunk(first + from as i64, n);
            (gen, chunk)
        })
    };
    let mut pending = (o.tickets > 0).then(|| spawn(gen, 0, CHUNK.min(o.tickets)));
    while let Some(job) = pending.take() {
        let (g, chunk) = job.await?;
        let n = CHUNK.min(o.tickets - done);
        done += n;
        if done < o.tickets {
            pending = Some(spawn(g, done, CHUNK.min(o.tickets - done)));
        }
        copy(&mut conn, queries::COPY_TICKETS, &chunk.tickets).await?;
        comments += copy(&mut conn, queries::COPY_COMMENTS, &chunk.comments).await?;
        events += copy(&mut conn, queries::COPY_EVENTS, &chunk.events).await?;
        if done - last_report >= (o.tickets / 20).max(CHUNK) || done == o.tickets {
            last_report = done;
            let secs = load_started.elapsed().as_secs_f64();
            println!(
                "  {done:>9}/{} tickets · {comments:>9} comments · {events:>9} events · {secs:7.1} s ({:.0} tickets/s)",
                o.tickets,
                done as f64 / secs.max(0.001)
            );
        }
    }
    let load = load_started.elapsed();
    queries::set_ticket_sequence(&mut *conn).await?;
    let after = serde_json::json!({ "tickets": done, "comments": comments, "events": events, "first_number": first });
    let actor = app::audit::repo::Actor::system("bench-data");
    app::audit::repo::record(&mut *conn, &actor, "bench.data", "workspace", "bench", None, Some(&after)).await?;

    let assets_started = Instant::now();
    let assets = queries::generate_assets(&mut *conn, o.assets as i64).await?;
    println!("assets: {assets} in {:.1?}", assets_started.elapsed());
    println!("vacuum (analyze) …");
    let vacuum_started = Instant::now();
    queries::vacuum_analyze(&mut *conn).await?;
    println!(
        "done: {done} tickets, {comments} comments, {events} timeline events; copy {:.1?}, vacuum/analyze {:.1?}, \
         total {:.1?}\n{}",
        load,
        vacuum_started.elapsed(),
        started.elapsed(),
        queries::server_summary(&mut *conn).await?
    );
    Ok(())
}

/// One `COPY` statement with `data` (text format), sent in 1 MiB messages.
async fn copy(conn: &mut PgConnection, statement: &str, data: &str) -> anyhow::Result<u64> {
    let mut c = conn.copy_in_raw(statement).await?;
    for part in data.as_bytes().chunks(1 << 20) {
        c.send(part).await?;
    }
    Ok(c.finish().await?)
}

struct People {
    requesters: Vec<Uuid>,
    agents: Vec<Uuid>,
    /// Index into `teams` for each agent.
    agent_team: Vec<usize>,
    teams: Vec<Uuid>,
}

/// Creates the accounts and teams that are missing; returns the ids of all.
async fn ensure_people(conn: &mut PgConnection, users: u32) -> anyhow::Result<People> {
    let agents_n = (users / 10).clamp(1, MAX_AGENTS);
    let emails: Vec<String> = (1..=users).map(|n| format!("bench-user-{n}@{BENCH_DOMAIN}")).collect();
    let names: Vec<String> = (1..=users).map(|n| words::person(n as u64)).collect();
    let roles: Vec<&str> = (1..=users).map(|n| if n <= agents_n { "agent" } else { "requester" }).collect();
    queries::upsert_users(&mut *conn, &emails, &names, &roles).await?;
    let (mut requesters, mut agents) = (Vec::new(), Vec::new());
    for (n, id, role) in queries::bench_users(&mut *conn).await? {
        match role {
            _ if n > users as u64 => {}
            Role::Requester => requesters.push(id),
            _ => agents.push(id),
        }
    }
    if agents.is_empty() {
        anyhow::bail!("no active bench agents: bench-user-1…{agents_n}@{BENCH_DOMAIN} exist with another role");
    }
    if requesters.is_empty() {
        requesters = agents.clone();
    }
    let team_names: Vec<String> = words::TEAMS.iter().map(|t| format!("{TEAM_PREFIX}{t}")).collect();
    let teams = queries::ensure_teams(conn, &team_names).await?;
    let agent_team: Vec<usize> = (0..agents.len()).map(|i| i % teams.len()).collect();
    let member_teams: Vec<Uuid> = agent_team.iter().map(|&t| teams[t]).collect();
    queries::add_members(&mut *conn, &member_teams, &agents).await?;
    Ok(People { requesters, agents, agent_team, teams })
}

/// A status as written to COPY: key, category and the detail of the "changed" event
/// that leads to it from `new` (all already escaped).
struct StatusRow {
    key: String,
    category: &'static str,
    changed: Option<String>,
}

/// The seeded statuses by category (`StatusCategory` order).
struct Statuses {
    by_category: Vec<Vec<StatusRow>>,
}

/// The `status_category` labels, in `StatusCategory` order.
const CATEGORY_KEYS: [&str; 6] = ["new", "open", "pending", "scheduled", "resolved", "closed"];

impl Statuses {
    async fn load(pool: &PgPool) -> anyhow::Result<Statuses> {
        let wf = app::tickets::repo::load_workflow(pool).await?;
        let new_name = wf.statuses.iter().find(|s| s.key == "new").map_or("New", |s| s.name.as_str());
        let mut by_category: Vec<Vec<StatusRow>> = CATEGORY_KEYS.iter().map(|_| Vec::new()).collect();
        for s in &wf.statuses {
            let changed = (s.key != "new").then(|| {
                let detail = serde_json::json!({ "field": "status", "from": new_name, "to": s.name }).to_string();
                escaped(&detail)
            });
            let slot = s.category as usize;
            by_category[slot].push(StatusRow { key: escaped(&s.key), category: CATEGORY_KEYS[slot], changed });
        }
        if by_category.iter().all(|v| v.is_empty()) {
            anyhow::bail!("ticket_statuses is empty");
        }
        Ok(Statuses { by_category })
    }

    /// A status of the wanted category, or of the next category that has one.
    fn pick<R: Rng>(&self, rng: &mut R, category: usize) -> &StatusRow {
        let n = self.by_category.len();
        let list = (0..n).map(|i| &self.by_category[(category + i) % n]).find(|l| !l.is_empty()).expect("non-empty");
        &list[rng.gen_range(0..list.len())]
    }
}

struct Chunk {
    tickets: String,
    comments: String,
    events: String,
}

struct Gen {
    rng: StdRng,
    now_us: i64,
    people: People,
    statuses: Statuses,
    max_comments: u32,
    text: String,
}

impl Gen {
    fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.rng.gen()).into_uuid()
    }

    fn chunk(&mut self, first_number: i64, n: u64) -> Chunk {
        let mut c = Chunk {
            tickets: String::with_capacity(n as usize * 900),
            comments: String::with_capacity(n as usize * self.max_comments as usize * 170),
            events: String::with_capacity(n as usize * (self.max_comments as usize + 2) * 110),
        };
        for i in 0..n {
            self.ticket(first_number + i as i64, &mut c);
        }
        c
    }

    fn ticket(&mut self, number: i64, c: &mut Chunk) {
        let id = self.uuid();
        let rng = &mut self.rng;
        let age = rng.gen_range(0..YEAR_US);
        let created = self.now_us - age;
        // Recent tickets are mostly still open, old ones mostly closed.
        let active_share = match age {
            a if a < 14 * DAY_US => 0.75,
            a if a < 60 * DAY_US => 0.25,
            _ => 0.04,
        };
        let category = if rng.gen_bool(active_share) {
            weighted(rng, &[15, 45, 28, 12]) // new, open, pending, scheduled
        } else if rng.gen_bool(0.2) {
            4 // resolved
        } else {
            5 // closed
        };
        let updated = if category >= 4 {
            created + rng.gen_range(0..=age.min(21 * DAY_US))
        } else {
            created + rng.gen_range(0..=age)
        };
        let status = self.statuses.pick(rng, category);
        let assigned_share = match category {
            0 => 0.15,
            1..=3 => 0.92,
            _ => 0.97,
        };
        let p = &self.people;
        let agent = rng.gen_bool(assigned_share).then(|| rng.gen_range(0..p.agents.len()));
        let team = match agent {
            Some(a) if rng.gen_bool(0.9) => Some(p.teams[p.agent_team[a]]),
            _ if rng.gen_bool(0.6) => Some(p.teams[rng.gen_range(0..p.teams.len())]),
            _ => None,
        };
        let assignee = agent.map(|a| p.agents[a]);
        let requester = p.requesters[rng.gen_range(0..p.requesters.len())];
        let priority = ["p1", "p2", "p3", "p4"][weighted(rng, &[3, 15, 60, 22])];
        let source = ["web", "portal", "email", "api"][weighted(rng, &[40, 35, 20, 5])];
        let n_comments = if self.max_comments == 0 { 0 } else { rng.gen_range(0..=self.max_comments) };
        let mut times: Vec<i64> = (0..n_comments).map(|_| rng.gen_range(created..=updated)).collect();
        times.sort_unstable();
        let (status_key, status_category, changed) = (status.key.clone(), status.category, status.changed.clone());

        // Timeline: created, the comments, then the status change (at the last update).
        let mut version = 1;
        event(c, id, requester, "created", "{}", version, created);
        for at in times {
            let comment_id = self.uuid();
            let rng = &mut self.rng;
            let by_staff = rng.gen_bool(0.55);
            let author = match (by_staff, assignee) {
                (false, _) => requester,
                (true, Some(a)) if rng.gen_bool(0.8) => a,
                (true, _) => self.people.agents[rng.gen_range(0..self.people.agents.len())],
            };
            let internal = by_staff && rng.gen_bool(0.4);
            self.text.clear();
            words::comment(&mut self.rng, &mut self.text);
            let _ = write!(c.comments, "{comment_id}\t{id}\t{author}\t");
            push_text(&mut c.comments, &self.text);
            c.comments.push_str(if internal { "\tt\t" } else { "\tf\t" });
            push_ts(&mut c.comments, at);
            c.comments.push('\n');
            version += 1;
            let detail = format!("{{\"comment_id\": \"{comment_id}\"}}");
            event(c, id, author, "comment", &detail, version, at);
        }
        if let Some(detail) = &changed {
            version += 1;
            event(c, id, assignee.unwrap_or(requester), "changed", detail, version, updated);
        }

        let t = &mut c.tickets;
        let _ = write!(t, "{id}\t{number}\t");
        self.text.clear();
        words::title(&mut self.rng, &mut self.text);
        push_text(t, &self.text);
        t.push('\t');
        self.text.clear();
        words::description(&mut self.rng, &mut self.text);
        push_text(t, &self.text);
        let _ = write!(t, "\t{requester}\t");
        push_opt_uuid(t, assignee);
        t.push('\t');
        push_opt_uuid(t, team);
        let (rng, tags) = (&mut self.rng, words::TAGS);
        let first_tag = rng.gen_range(0..tags.len());
        let tags: Vec<&str> =
            (0..weighted(rng, &[60, 30, 10])).map(|i| tags[(first_tag + i * 3) % tags.len()]).collect();
        let tags = tags.join(",");
        let _ = write!(t, "\t{status_key}\t{status_category}\t{priority}\t{source}\t{{{tags}}}\t{version}\t");
        push_ts(t, created);
        t.push('\t');
        push_ts(t, updated);
        t.push('\n');
    }
}

/// One timeline row; `detail` is JSON already escaped for COPY.
fn event(c: &mut Chunk, ticket: Uuid, actor: Uuid, kind: &str, detail: &str, version: i32, at: i64) {
    let _ = write!(c.events, "{ticket}\t{actor}\t{kind}\t{detail}\t{version}\t");
    push_ts(&mut c.events, at);
    c.events.push('\n');
}
