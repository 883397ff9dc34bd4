//! Browser side of the live channel: one websocket per tab that reconnects by itself
//! (backoff up to 10 s) after a server restart or network loss.
use super::LiveEvent;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// The latest event and connection state, provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct LiveChannel {
    pub last: ReadSignal<Option<LiveEvent>>,
    pub connected: ReadSignal<bool>,
    set_last: WriteSignal<Option<LiveEvent>>,
    set_connected: WriteSignal<bool>,
}

impl LiveChannel {
    pub fn new() -> LiveChannel {
        let (last, set_last) = signal(None::<LiveEvent>);
        let (connected, set_connected) = signal(false);
        LiveChannel { last, connected, set_last, set_connected }
    }

    /// Opens the socket (call once, when signed in); it then reconnects by itself.
    pub fn connect(&self) {
        connect(self.set_last, self.set_connected, 0);
    }
}

impl Default for LiveChannel {
    fn default() -> Self {
        Self::new()
    }
}

fn url() -> Option<String> {
    let loc = web_sys::window()?.location();
    let scheme = if loc.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/ws", loc.host().ok()?))
}

fn connect(set_last: WriteSignal<Option<LiveEvent>>, set_connected: WriteSignal<bool>, attempt: u32) {
    let Some(url) = url() else { return };
    let Ok(ws) = WebSocket::new(&url) else {
        retry(set_last, set_connected, attempt);
        return;
    };
    let opened = std::rc::Rc::new(std::cell::Cell::new(false));
    let opened_in_open = opened.clone();
    let on_open = Closure::<dyn FnMut()>::new(move || {
        opened_in_open.set(true);
        set_connected.set(true);
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    on_open.forget();

    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if let Some(text) = e.data().as_string() {
            if let Ok(ev) = serde_json::from_str::<LiveEvent>(&text) {
                set_last.set(Some(ev));
            }
        }
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_e: CloseEvent| {
        set_connected.set(false);
        // A connection that had opened starts the backoff anew.
        let next = if opened.get() { 0 } else { attempt + 1 };
        retry(set_last, set_connected, next);
    });
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    on_close.forget();
}

fn retry(set_last: WriteSignal<Option<LiveEvent>>, set_connected: WriteSignal<bool>, attempt: u32) {
    let delay = (500u32 << attempt.min(5)).min(10_000);
    set_timeout(move || connect(set_last, set_connected, attempt), std::time::Duration::from_millis(delay.into()));
}
