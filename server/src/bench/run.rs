//! `helios bench`: times the paths behind the performance bars against whatever
//! data the database holds, and prints p50/p95/max per path, then the query plans
//! (`EXPLAIN (ANALYZE, BUFFERS)`) of the slowest queue page and the slowest search.
//!
//! Timing is server-side: the clock runs around the awaited repository or service
//! call, through the same pool the server uses, so it includes acquiring a
//! connection and decoding rows but no HTTP or rendering. Each path is warmed up
//! with a few untimed iterations first. A seeded RNG picks agents, filters, search
//! words and ticket numbers, so two runs on the same data do the same work.
use super::queries;
use super::words;
use app::auth::model::{CurrentUser, UserId};
use app::teams::model::TeamId;
use app::tickets::model::{
    AssigneeFilter, Priority, StatusCategory, TicketCursor, TicketFilter, TicketNumber, TICKET_PAGE_SIZE,
};
use app::tickets::repo::{self, ListArgs};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use std::time::{Duration, Instant};

pub struct BenchOptions {
    pub iterations: usize,
}

const WARMUP: usize = 10;
const SEED: u64 = 0x62_656e_6368;
const SEARCH_LIMIT: i64 = 20;

/// The timings of one path.
struct Samples {
    name: &'static str,
    /// The p95 bar in milliseconds, when the product sets one.
    bar_ms: Option<f64>,
    times: Vec<Duration>,
    rows: u64,
}

impl Samples {
    fn new(name: &'static str, bar_ms: Option<f64>) -> Samples {
        Samples { name, bar_ms, times: Vec::new(), rows: 0 }
    }

    fn add(&mut self, d: Duration, rows: usize) {
        self.times.push(d);
        self.rows += rows as u64;
    }

    /// Nearest-rank percentile in milliseconds.
    fn pct(&self, sorted: &[Duration], p: f64) -> f64 {
        let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i].as_secs_f64() * 1000.0
    }

    fn row(&self) -> String {
        if self.times.is_empty() {
            return format!("{:<38} {:>5}   (no samples)", self.name, 0);
        }
        let mut s = self.times.clone();
        s.sort_unstable();
        let (p50, p95, max) = (self.pct(&s, 0.50), self.pct(&s, 0.95), self.pct(&s, 1.0));
        let bar = match self.bar_ms {
            Some(b) if p95 <= b => format!("≤ {b:>2} ms  ok"),
            Some(b) => format!("≤ {b:>2} ms  TOO SLOW"),
            None => "-".to_string(),
        };
        let rows = self.rows as f64 / s.len() as f64;
        format!("{:<38} {:>5} {rows:>7.1} {p50:>8.2} {p95:>8.2} {max:>8.2}   {bar}", self.name, s.len())
    }
}

pub async fn run(pool: &PgPool, o: &BenchOptions) -> anyhow::Result<()> {
    let n = o.iterations.max(1);
    println!("dataset ({}):", queries::server_summary(pool).await?);
    for (name, count) in queries::dataset_counts(pool).await? {
        println!("  {name:<16} {count:>10}");
    }
    let agents = queries::agents(pool, 200).await?;
    let Some((lo, hi)) = queries::number_range(pool).await? else {
        anyhow::bail!("no tickets: fill the database first with `helios bench-data`");
    };
    if agents.is_empty() {
        anyhow::bail!("no active agents: fill the database first with `helios bench-data`");
    }
    let mut requesters = queries::requesters(pool, 1000).await?;
    if requesters.is_empty() {
        requesters = agents.iter().map(|a| a.id).collect();
    }
    println!("\n{n} timed iterations per path after {WARMUP} warm-up iterations, {} agents\n", agents.len());
    let mut rng = StdRng::seed_from_u64(SEED);

    // Queue pages over the active categories: an agent's tickets of one priority (then
    // the next page by keyset), an agent's tickets ("My open") and a team's tickets.
    let teams = queries::bench_teams(pool).await?;
    let mut page1 = Samples::new("queue page (active, assignee, priority)", Some(15.0));
    let mut page2 = Samples::new("queue next page (keyset)", Some(15.0));
    let mut mine = Samples::new("queue page (active, assignee)", Some(15.0));
    let mut team = Samples::new("queue page (active, team)", Some(15.0));
    let mut worst_queue: [Option<(bool, Duration, Queue)>; 3] = [None, None, None];
    for i in 0..WARMUP + n {
        let agent = agents[rng.gen_range(0..agents.len())].id;
        let priority = Priority::ALL[rng.gen_range(0..Priority::ALL.len())];
        let mut pages = vec![Queue { assignee: Some(agent), team: None, priority: Some(priority) }];
        pages.push(Queue { assignee: Some(agents[rng.gen_range(0..agents.len())].id), team: None, priority: None });
        if !teams.is_empty() {
            let t = TeamId(teams[rng.gen_range(0..teams.len())]);
            pages.push(Queue { assignee: None, team: Some(t), priority: None });
        }
        for (k, page) in pages.into_iter().enumerate() {
            let t = Instant::now();
            let f = page.filter(None);
            let rows = repo::list(pool, page.args(&f)).await?;
            let d = t.elapsed();
            let full = rows.len() as i64 > TICKET_PAGE_SIZE;
            if i >= WARMUP {
                [&mut page1, &mut mine, &mut team][k].add(d, rows.len());
                // The plan worth reading is that of the slowest full page.
                if worst_queue[k].as_ref().is_none_or(|w| (full, d) > (w.0, w.1)) {
                    worst_queue[k] = Some((full, d, page));
                }
            }
            if k == 0 && full {
                let last = &rows[TICKET_PAGE_SIZE as usize - 1];
                let t = Instant::now();
                let f = page.filter(Some(TicketCursor::after(last)));
                let next = repo::list(pool, page.args(&f)).await?;
                if i >= WARMUP {
                    page2.add(t.elapsed(), next.len());
                }
            }
        }
    }

    // Ticket search as an agent (internal notes included), as the command palette calls it.
    let mut search = Samples::new("search (repo::search, top 20)", Some(50.0));
    let mut worst_search: Option<(Duration, String)> = None;
    for i in 0..WARMUP + n {
        let q = words::search_terms(&mut rng);
        let t = Instant::now();
        let hits = repo::search(pool, &q, true, SEARCH_LIMIT).await?;
        let d = t.elapsed();
        if i >= WARMUP {
            search.add(d, hits.len());
            if worst_search.as_ref().is_none_or(|w| d > w.0) {
                worst_search = Some((d, q));
            }
        }
    }

    // Opening a ticket: the ticket and its timeline, as `get` does.
    let mut open = Samples::new("ticket open (ticket + timeline)", None);
    for i in 0..WARMUP + n {
        let number = TicketNumber(rng.gen_range(lo..=hi));
        let t = Instant::now();
        let mut rows = 0;
        if let Some(ticket) = repo::find_by_number(pool, number).await? {
            rows = repo::timeline(pool, ticket.id, true).await?.len();
        }
        if i >= WARMUP {
            open.add(t.elapsed(), rows);
        }
    }

    // Creating a ticket: insert, timeline event, audit entry and NOTIFY in one transaction.
    let mut create = Samples::new("ticket create (+ event, audit, notify)", Some(10.0));
    let mut created = Vec::new();
    for i in 0..WARMUP + n {
        let agent: &CurrentUser = &agents[rng.gen_range(0..agents.len())];
        let requester = requesters[rng.gen_range(0..requesters.len())];
        let (mut title, mut description) = (String::new(), String::new());
        words::title(&mut rng, &mut title);
        words::description(&mut rng, &mut description);
        let priority = Priority::ALL[rng.gen_range(0..Priority::ALL.len())];
        let t = Instant::now();
        let number = app::tickets::api::server::create(
            pool,
            agent,
            &title,
            &description,
            priority,
            Some(requester),
            Default::default(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("creating a ticket failed: {e}"))?;
        if i >= WARMUP {
            create.add(t.elapsed(), 1);
        }
        created.push(number.0);
    }

    // Asset list pages as the assets page asks for them: a search, a type and status
    // filter, and the next page of it.
    let mut asset_search = Samples::new("asset list (search)", Some(15.0));
    let mut asset_filter = Samples::new("asset list (type + status)", Some(15.0));
    let mut asset_next = Samples::new("asset list next page (keyset)", Some(15.0));
    for i in 0..WARMUP + n {
        use app::assets::model::{AssetFilter, AssetStatus, AssetType};
        const ASSET_TERMS: [&str; 8] =
            ["macbook", "thinkpad", "latitude 7", "galaxy", "ipad air", "laserjet", "1234", "mx keys"];
        let q = ASSET_TERMS[rng.gen_range(0..ASSET_TERMS.len())].to_string();
        let t = Instant::now();
        let found = app::assets::repo::list(pool, &AssetFilter { search: q, ..Default::default() }, None, 51).await?;
        if i >= WARMUP {
            asset_search.add(t.elapsed(), found.len());
        }
        let f = AssetFilter {
            asset_type: Some(AssetType::ALL[rng.gen_range(0..AssetType::ALL.len())]),
            status: Some(AssetStatus::ALL[rng.gen_range(0..AssetStatus::ALL.len())]),
            ..Default::default()
        };
        let t = Instant::now();
        let page = app::assets::api::server::page(pool, &f, None, 50).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if i >= WARMUP {
            asset_filter.add(t.elapsed(), page.rows.len());
        }
        if let Some(c) = page.next {
            let t = Instant::now();
            let next =
                app::assets::api::server::page(pool, &f, Some(&c), 50).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if i >= WARMUP {
                asset_next.add(t.elapsed(), next.rows.len());
            }
        }
    }

    println!("{:<38} {:>5} {:>7} {:>8} {:>8} {:>8}   bar (p95)", "path", "n", "rows", "p50 ms", "p95 ms", "max ms");
    for s in [&page1, &page2, &mine, &team, &search, &open, &create, &asset_search, &asset_filter, &asset_next] {
        println!("{}", s.row());
    }
    if let (Some(a), Some(b)) = (created.first(), created.last()) {
        println!("\n(the create path added TKT-{a} to TKT-{b} to the database)");
    }

    let mut conn = pool.acquire().await?;
    for (worst, what) in worst_queue.iter().zip(["assignee and priority", "assignee", "team"]) {
        let Some((full, d, page)) = worst else { continue };
        let which = if *full { "slowest full queue page" } else { "slowest queue page" };
        println!("\n== EXPLAIN (ANALYZE, BUFFERS): {which} by {what} ({d:.1?}; {page:?}) ==");
        let f = page.filter(None);
        println!("{}", queries::explain_queue(&mut conn, &page.args(&f)).await?);
    }
    if let Some((d, q)) = worst_search {
        println!("\n== EXPLAIN (ANALYZE, BUFFERS): slowest search ({d:.1?}; {q:?}) ==");
        explain_search(&mut conn, &q).await?;
    }
    Ok(())
}

/// The steps `repo::search` takes for `q`, each with its plan: the same settings,
/// steps and stopping rule, with the step's SQL read back from the prepared statements.
async fn explain_search(conn: &mut sqlx::PgConnection, q: &str) -> anyhow::Result<()> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    repo::search_settings(&mut *tx).await?;
    for step in repo::search_steps(&mut *tx, repo::SEARCH_WINDOW).await? {
        let t = Instant::now();
        let hits = repo::search_step(&mut *tx, q, true, step, SEARCH_LIMIT).await?;
        println!("\n-- step {step:?}: {} hits in {:.1?}", hits.len(), t.elapsed());
        match queries::prepared_statement(&mut tx, "with fts as", "limit $7").await? {
            Some(sql) => {
                println!("{}", queries::explain_search_step(&mut tx, &sql, q, true, step, SEARCH_LIMIT).await?)
            }
            None => println!("(the text of repo::search_step was not found in pg_prepared_statements)"),
        }
        if hits.len() as i64 >= SEARCH_LIMIT {
            break;
        }
    }
    tx.rollback().await?;
    Ok(())
}

/// One queue page's filter.
#[derive(Debug, Clone, Copy)]
struct Queue {
    assignee: Option<UserId>,
    team: Option<TeamId>,
    priority: Option<Priority>,
}

impl Queue {
    /// The page's active tickets, most recent activity first, after `after`.
    fn filter(&self, after: Option<TicketCursor>) -> TicketFilter {
        TicketFilter {
            categories: StatusCategory::ACTIVE.to_vec(),
            assignee: self.assignee.map(AssigneeFilter::User).unwrap_or_default(),
            team: self.team,
            priority: self.priority,
            after,
            ..Default::default()
        }
    }

    fn args<'a>(&self, filter: &'a TicketFilter) -> ListArgs<'a> {
        // "me" is unused: the filter names the agent.
        ListArgs { filter, me: self.assignee.unwrap_or(UserId(uuid::Uuid::nil())), limit: TICKET_PAGE_SIZE + 1 }
    }
}
