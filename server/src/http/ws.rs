//! `/ws`: one authenticated websocket per browser tab, fed by the realtime hub and
//! filtered by what the user may see.
use super::ServerState;
use app::auth::guard::user_from_headers;
use app::auth::model::CurrentUser;
use app::live::LiveEvent;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

pub async fn upgrade(State(s): State<ServerState>, headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    let user = match user_from_headers(&s.app.db, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    ws.on_upgrade(move |socket| serve(socket, s, user))
}

struct Gauge;
impl Gauge {
    fn open() -> Gauge {
        metrics::gauge!("helios_websocket_connections").increment(1.0);
        Gauge
    }
}
impl Drop for Gauge {
    fn drop(&mut self) {
        metrics::gauge!("helios_websocket_connections").decrement(1.0);
    }
}

async fn send(socket: &mut WebSocket, ev: &LiveEvent) -> bool {
    match serde_json::to_string(ev) {
        Ok(text) => socket.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => true,
    }
}

async fn serve(mut socket: WebSocket, s: ServerState, user: CurrentUser) {
    let _gauge = Gauge::open();
    let mut events = s.hub.subscribe();
    let mut shutdown = s.shutdown.clone();
    if !send(&mut socket, &LiveEvent::Hello { node: s.hub.node.to_string() }).await {
        return;
    }
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            ev = events.recv() => match ev {
                Ok(env) if env.audience.admits(&user) => {
                    if !send(&mut socket, &env.event).await {
                        break;
                    }
                    if matches!(env.event, LiveEvent::SessionsRevoked { user_id } if user_id == user.id) {
                        break;
                    }
                }
                Ok(_) => {}
                // A slow client missed events: tell it to refresh what it shows.
                Err(RecvError::Lagged(_)) => {
                    if !send(&mut socket, &LiveEvent::SettingsChanged).await {
                        break;
                    }
                }
                Err(RecvError::Closed) => break,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
