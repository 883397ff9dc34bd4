//! Database connection: the configured server, or the embedded cluster; migrations.
pub mod embedded;

use crate::config::Config;
use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;

/// The pool and, when no DATABASE_URL was given, the cluster it talks to.
pub struct Database {
    pub pool: PgPool,
    pub embedded: Option<embedded::EmbeddedPostgres>,
}

impl Database {
    pub async fn open(config: &Config) -> anyhow::Result<Database> {
        let (url, embedded) = match &config.database_url {
            Some(url) => (url.clone(), None),
            None => {
                let pg = embedded::EmbeddedPostgres::start(&config.data_dir).await?;
                (pg.database_url(), Some(pg))
            }
        };
        let pool = match connect(&url).await {
            Ok(p) => p,
            Err(e) => {
                if let Some(pg) = embedded {
                    pg.stop().await.ok();
                }
                return Err(e);
            }
        };
        Ok(Database { pool, embedded })
    }

    /// Closes the pool, then stops the embedded cluster if we started one.
    pub async fn close(self) -> anyhow::Result<()> {
        // Requests cut off at shutdown may still hold pooled connections; the
        // embedded cluster's fast stop ends them anyway.
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.pool.close()).await.is_err() {
            tracing::warn!("database connections still in use after 10 s; closing anyway");
        }
        if let Some(pg) = self.embedded {
            pg.stop().await?;
        }
        Ok(())
    }
}

pub async fn connect(url: &str) -> anyhow::Result<PgPool> {
    let opts = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
    PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_with(opts)
        .await
        .context("connecting to PostgreSQL")
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!("../migrations").run(pool).await.context("applying database migrations")
}
