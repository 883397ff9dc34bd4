//! The `helios` command line.
use crate::config::{Config, Overrides};
use crate::db::{self, Database};
use crate::startup::{shutdown_signal, Application, ServeOptions};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Parser, Debug)]
#[command(name = "helios", version, about = "Helios — IT service management for Google Workspace organisations", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server and background workers (starts an embedded PostgreSQL when DATABASE_URL is unset)
    Serve {
        /// Seed a demo workspace with one account per role and list them on the sign-in page
        #[arg(long)]
        demo: bool,
        /// With --demo: add sample tickets, assets, credentials, documents and links (once)
        #[arg(long, requires = "demo")]
        sample_data: bool,
    },
    /// Apply database migrations and exit
    Migrate,
    /// Create an administrator, or make an existing account one; the password is read from stdin or prompted for
    CreateAdmin {
        /// Email address of the administrator
        #[arg(long)]
        email: String,
        /// Display name (defaults to the part of the email before @)
        #[arg(long)]
        name: Option<String>,
    },
    /// Seed (or refresh) the demo workspace and exit
    SeedDemo,
    /// Audit log tools
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Fill the database with a benchmark dataset (users, teams, tickets, comments) through COPY
    BenchData {
        /// Number of tickets
        #[arg(long, default_value_t = 1_000_000)]
        tickets: u64,
        /// Average number of comments per ticket
        #[arg(long, default_value_t = 5)]
        comments_per_ticket: u32,
        /// Number of users (about 50 of them agents)
        #[arg(long, default_value_t = 5000)]
        users: u32,
        /// Number of assets (assigned to requesters, with warranty dates)
        #[arg(long, default_value_t = 50_000)]
        assets: u64,
        /// Run even though the tickets table already holds more than 1000 rows
        #[arg(long)]
        force: bool,
    },
    /// Vault tools
    Vault {
        #[command(subcommand)]
        command: VaultCommand,
    },
    /// Time queue pages, search, ticket open and ticket create on the current data; print percentiles and plans
    Bench {
        /// Timed iterations per path (after 10 warm-up iterations)
        #[arg(long, default_value_t = 200)]
        iterations: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum VaultCommand {
    /// Re-wrap every secret's data key under a new master key, then make it the active key file
    RotateKey {
        /// The new key file (64 hex digits); created with a random key (mode 0600) if it does not exist
        #[arg(long)]
        new_key_file: std::path::PathBuf,
        /// Secrets re-wrapped per transaction
        #[arg(long, default_value_t = 500)]
        batch_size: i64,
        /// Stop after this many batches (the run resumes when started again)
        #[arg(long, hide = true)]
        max_batches: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits 0 with the row count when intact, 1 naming the first bad row otherwise
    Verify,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(&cli.overrides)?;
    crate::telemetry::init_logging(config.log_format);
    match cli.command {
        Command::Serve { demo, sample_data } => {
            let test_jobs = std::env::var("HELIOS_TEST_JOBS").is_ok_and(|v| v == "1");
            let app = Application::build(config, ServeOptions { demo, sample_data, test_jobs }).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Migrate => with_db(&config, |_| async { Ok(()) }).await.map(|_| println!("migrations applied")),
        Command::SeedDemo => with_db(&config, |pool| async move { crate::seed::seed_demo(&pool).await })
            .await
            .map(|_| println!("demo workspace seeded")),
        Command::CreateAdmin { email, name } => {
            let email = app::users::model::EmailAddress::parse(&email).map_err(|m| anyhow::anyhow!("--email: {m}"))?;
            let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("Admin").to_string());
            let name = app::users::model::parse_display_name(&name).map_err(|m| anyhow::anyhow!("--name: {m}"))?;
            let password = read_password()?;
            app::auth::password::check_strength(&password).map_err(|m| anyhow::anyhow!("password: {m}"))?;
            let hash = app::auth::password::hash_async(password).await?;
            with_db(&config, |pool| async move {
                let mut tx = pool.begin().await?;
                let id = app::users::repo::upsert_with_password(
                    &mut *tx,
                    email.as_str(),
                    &name,
                    app::auth::model::Role::Admin,
                    &hash,
                )
                .await?;
                app::auth::repo::delete_sessions_of_user(&mut *tx, id).await?;
                let after = serde_json::json!({ "email": email.as_str(), "role": "admin" });
                app::audit::repo::record(
                    &mut *tx,
                    &app::audit::repo::Actor::system("cli"),
                    "user.create_admin",
                    "user",
                    &id.to_string(),
                    None,
                    Some(&after),
                )
                .await?;
                tx.commit().await?;
                println!("administrator {} is ready", email.as_str());
                Ok(())
            })
            .await
        }
        Command::BenchData { tickets, comments_per_ticket, users, assets, force } => {
            let o = crate::bench::data::DataOptions { tickets, comments_per_ticket, users, assets, force };
            with_db(&config, |pool| async move { crate::bench::data::generate(&pool, &o).await }).await
        }
        Command::Bench { iterations } => {
            let o = crate::bench::run::BenchOptions { iterations };
            with_db(&config, |pool| async move { crate::bench::run::run(&pool, &o).await }).await
        }
        Command::Vault { command: VaultCommand::RotateKey { new_key_file, batch_size, max_batches } } => {
            let key_file = config.vault_key_file.clone();
            with_db(&config, |pool| async move {
                let out =
                    crate::vault::rotate_key(&pool, &key_file, &new_key_file, batch_size, max_batches).await?;
                println!(
                    "re-wrapped {} secrets in {} batches under key {}",
                    out.report.rewrapped, out.report.batches, out.new_id
                );
                match out.retired {
                    Some(p) => println!(
                        "key {} is now the active key in {}; the old key {} is kept in {}. Restart every Helios server.",
                        out.new_id,
                        key_file.display(),
                        out.old_id,
                        p.display()
                    ),
                    None if out.report.complete => println!("every secret is already under key {}", out.new_id),
                    None => println!("stopped early: run the same command again to finish"),
                }
                Ok(())
            })
            .await
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let result =
                with_db(&config, |pool| async move { Ok(app::audit::repo::verify_chain(&pool).await?) }).await?;
            match result {
                app::audit::repo::ChainCheck::Intact { rows } => {
                    println!("audit chain intact: {rows} rows verified");
                    Ok(())
                }
                app::audit::repo::ChainCheck::Broken { id, reason } => {
                    eprintln!("audit chain BROKEN at row {id}: {reason}");
                    std::process::exit(1);
                }
            }
        }
    }
}

/// Opens the database (embedded or configured), migrates, runs `f`, closes.
async fn with_db<T, F, Fut>(config: &Config, f: F) -> anyhow::Result<T>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let db = Database::open(config).await?;
    let result = async {
        db::migrate(&db.pool).await?;
        f(db.pool.clone()).await
    }
    .await;
    db.close().await?;
    result
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let p1 = rpassword::prompt_password("Password for the new administrator: ")?;
        let p2 = rpassword::prompt_password("Repeat the password: ")?;
        if p1 != p2 {
            bail!("the passwords differ");
        }
        Ok(p1)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from stdin")?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.is_empty() {
            bail!(
                "no password on stdin: pipe it in, e.g. `echo \"$PW\" | helios create-admin --email you@example.com`"
            );
        }
        Ok(p)
    }
}
