//! Builds the application (database, workers, router) and runs it until stopped.
use crate::config::Config;
use crate::db::{self, Database};
use crate::http::{self, ServerState};
use crate::jobs::{self, scheduler, worker::Worker};
use crate::realtime::Hub;
use anyhow::Context;
use app::settings::model::ModuleSwitches;
use app::state::{AppState, RuntimeConfig};
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, Default)]
pub struct ServeOptions {
    pub demo: bool,
    /// With `demo`: sample tickets, assets, credentials, documents and links, once.
    pub sample_data: bool,
    /// Registers diagnostic job kinds and a per-second schedule (tests only).
    pub test_jobs: bool,
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: Database,
    tasks: Vec<JoinHandle<()>>,
    shutdown_tx: watch::Sender<bool>,
    addr: SocketAddr,
}

fn leptos_options(config: &Config, addr: SocketAddr) -> anyhow::Result<LeptosOptions> {
    let conf = if std::path::Path::new("Leptos.toml").exists() {
        leptos::config::get_configuration(Some("Leptos.toml"))
    } else {
        leptos::config::get_configuration(None)
    }
    .map_err(|e| anyhow::anyhow!("Leptos configuration: {e}"))?;
    let mut o = conf.leptos_options;
    if o.output_name.is_empty() {
        o.output_name = "helios".into();
    }
    o.site_root = config.site_root.to_string_lossy().into_owned().into();
    o.site_addr = addr;
    if std::env::var("LEPTOS_ENV").is_err() {
        o.env = Env::PROD;
    }
    if !config.site_root.join(&*o.site_pkg_dir).exists() {
        tracing::warn!(site_root = %config.site_root.display(), "site files not found: pages will load without scripts and styles; build with `cargo leptos build` or set HELIOS_SITE_ROOT");
    }
    Ok(o)
}

fn node_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "node".into());
    format!("{host}-{}", std::process::id())
}

impl Application {
    pub async fn build(config: Config, opts: ServeOptions) -> anyhow::Result<Application> {
        let db = Database::open(&config).await?;
        db::migrate(&db.pool).await?;
        if opts.demo {
            crate::seed::seed_demo(&db.pool).await.context("seeding the demo workspace")?;
            tracing::info!("demo workspace ready: the sign-in page lists its accounts");
        } else if app::auth::repo::count_active_admins(&db.pool).await? == 0 {
            tracing::warn!(
                "no administrator exists yet: create one with `helios create-admin --email you@example.com`"
            );
        }
        let listener =
            TcpListener::bind(config.addr).await.with_context(|| format!("cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let app_state = AppState {
            db: db.pool.clone(),
            config: Arc::new(RuntimeConfig {
                demo: opts.demo,
                secure_cookies: config.secure_cookies(),
                ..Default::default()
            }),
            leptos_options: leptos_options(&config, addr)?,
            vault: Arc::new(crate::vault::open_key_ring(&config, &db.pool).await?),
        };
        if opts.demo
            && opts.sample_data
            && crate::sample::seed_sample(&db.pool, &app_state.vault).await.context("writing the sample data")?
        {
            tracing::info!("sample data written: tickets, assets, credentials, documents and links");
        }
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let node: Arc<str> = node_name().into();
        let hub = Hub::new(node.to_string());
        let mut tasks = Vec::new();
        tasks.push(tokio::spawn(hub.clone().run_until_stopped(db.pool.clone(), shutdown_rx.clone())));

        let (modules_tx, modules_rx) = watch::channel(ModuleSwitches::default());
        tasks.push(tokio::spawn(jobs::watch_modules(db.pool.clone(), hub.clone(), modules_tx, shutdown_rx.clone())));
        std::fs::create_dir_all(&config.attachments_dir)
            .with_context(|| format!("cannot create the attachments directory {}", config.attachments_dir.display()))?;
        let files: Arc<dyn object_store::ObjectStore> =
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&config.attachments_dir).with_context(
                || format!("cannot open the attachments directory {}", config.attachments_dir.display()),
            )?);
        let mut registry = jobs::registry(node.clone(), opts.test_jobs);
        jobs::register_file_jobs(&mut registry, files.clone());
        jobs::register_mail_jobs(&mut registry, app_state.vault.clone(), config.public_url.clone());
        let registry = Arc::new(registry);
        scheduler::install(&db.pool, &jobs::schedules(opts.test_jobs)).await?;
        let all_kinds = registry.kinds();
        // Tests kill workers mid-job; a short lease lets them see the retry quickly.
        let lease = chrono::Duration::seconds(if opts.test_jobs { 2 } else { 30 });
        let worker = Worker::new(db.pool.clone(), registry)
            .with_lease(lease)
            .with_worker_id(node.to_string())
            .with_kinds(move || jobs::allowed_kinds(&all_kinds, &modules_rx.borrow()));
        tasks.push(tokio::spawn(worker.run_until_stopped(shutdown_rx.clone())));
        tasks.push(tokio::spawn(scheduler::run_until_stopped(db.pool.clone(), shutdown_rx.clone())));

        let router = http::router(ServerState {
            files,
            app: app_state,
            hub,
            metrics: crate::telemetry::metrics(),
            metrics_token: config.metrics_token.clone(),
            shutdown: shutdown_rx,
        });
        Ok(Application { listener, router, db, tasks, shutdown_tx, addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `stop` resolves, then drains requests, stops workers and the
    /// embedded database.
    pub async fn run_until_stopped(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Application { listener, router, db, tasks, shutdown_tx, addr } = self;
        tracing::info!(%addr, "Helios is listening on http://{addr}");
        let tx = shutdown_tx.clone();
        let (draining_tx, draining_rx) = tokio::sync::oneshot::channel::<()>();
        let serve = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                stop.await;
                tracing::info!("shutting down");
                let _ = tx.send(true);
                let _ = draining_tx.send(());
            });
        // Graceful shutdown waits for every open connection; a client that never
        // reads its response must not keep the process alive, so draining is bounded.
        let deadline = async move {
            if draining_rx.await.is_ok() {
                tokio::time::sleep(DRAIN_DEADLINE).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = serve => served.context("serving HTTP")?,
            _ = deadline => tracing::warn!("open connections did not finish within {DRAIN_DEADLINE:?}; closing them"),
        }
        let _ = shutdown_tx.send(true);
        for t in tasks {
            if tokio::time::timeout(std::time::Duration::from_secs(30), t).await.is_err() {
                tracing::warn!("a background task did not stop within 30 s");
            }
        }
        db.close().await?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// How long open requests may take to finish once shutdown starts.
const DRAIN_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
