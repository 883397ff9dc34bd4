//! The realtime hub: one LISTEN connection per process fans NOTIFY events out to
//! every websocket of this process. Events from any process reach all of them.
use app::live::{Envelope, CHANNEL};
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<Envelope>>,
    /// This process's name, sent to clients in the Hello event.
    pub node: Arc<str>,
}

impl Hub {
    pub fn new(node: String) -> Hub {
        let (tx, _) = broadcast::channel(1024);
        Hub { tx, node: node.into() }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Envelope>> {
        self.tx.subscribe()
    }

    /// Listens until shutdown; reconnects after database errors.
    pub async fn run_until_stopped(self, pool: PgPool, mut shutdown: watch::Receiver<bool>) {
        loop {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "live channel: cannot listen, retrying");
                    if wait_or_stop(&mut shutdown, 1).await {
                        return;
                    }
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "live channel: LISTEN failed, retrying");
                if wait_or_stop(&mut shutdown, 1).await {
                    return;
                }
                continue;
            }
            loop {
                tokio::select! {
                    _ = shutdown.changed() => return,
                    msg = listener.recv() => match msg {
                        Ok(n) => match serde_json::from_str::<Envelope>(n.payload()) {
                            Ok(env) => { let _ = self.tx.send(Arc::new(env)); }
                            Err(e) => tracing::warn!(error = %e, "live channel: unreadable event"),
                        },
                        Err(e) => {
                            tracing::warn!(error = %e, "live channel: connection lost, reconnecting");
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// Waits `secs` or until shutdown; true when shutting down.
async fn wait_or_stop(shutdown: &mut watch::Receiver<bool>, secs: u64) -> bool {
    tokio::select! {
        _ = shutdown.changed() => true,
        _ = tokio::time::sleep(std::time::Duration::from_secs(secs)) => *shutdown.borrow(),
    }
}
