//! The banner over a ticket naming the other agents who have it open ("Alex Agent
//! is viewing", "… is replying…"). The view sends a heartbeat every few seconds and
//! on arrival; the live channel says when someone arrives, types or leaves, and the
//! banner then asks again. Drawn in the browser only.
use crate::presence::model::Presence;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;

#[component]
pub fn PresenceBanner(number: Memo<TicketNumber>) -> impl IntoView {
    let others = RwSignal::new(Vec::<Presence>::new());
    #[cfg(feature = "hydrate")]
    watch(number, others);
    #[cfg(not(feature = "hydrate"))]
    let _ = number;
    view! {
        {move || {
            let list = others.get();
            (!list.is_empty()).then(|| view! {
                <div data-testid="presence" role="status" aria-live="polite"
                    class="mb-4 flex flex-wrap items-center gap-x-5 gap-y-1 rounded-md border border-accent/40 bg-accent/10 px-4 py-2 text-sm text-fg">
                    {list.into_iter().map(|p| {
                        let (dot, what) = if p.replying { ("bg-warn animate-pulse", "is replying…") } else { ("bg-accent", "is viewing") };
                        view! {
                            <span class="flex items-center gap-2" data-presence=if p.replying { "replying" } else { "viewing" }>
                                <span class=format!("h-2 w-2 shrink-0 rounded-full {dot}")></span>
                                <span><span class="font-medium">{p.name}</span>{format!(" {what}")}</span>
                            </span>
                        }
                    }).collect_view()}
                </div>
            })
        }}
    }
}

/// Heartbeats for the ticket on screen: on arrival, every `HEARTBEAT_SECS`, and
/// whenever the live channel reports a change on it; leaves on the way out.
#[cfg(feature = "hydrate")]
fn watch(number: Memo<TicketNumber>, others: RwSignal<Vec<Presence>>) {
    use crate::presence::api::{heartbeat, leave};
    use crate::presence::model::HEARTBEAT_SECS;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;
    // The ticket shown, readable after the component is gone (for the last leave).
    let shown = Arc::new(AtomicI64::new(0));
    let beat = {
        let shown = shown.clone();
        move |n: TicketNumber| {
            let shown = shown.clone();
            leptos::task::spawn_local(async move {
                if let Ok(list) = heartbeat(n).await {
                    // Drop answers about a ticket the agent has since left.
                    if shown.load(Ordering::Relaxed) == n.0 {
                        let _ = others.try_set(list);
                    }
                }
            });
        }
    };
    {
        let (shown, beat) = (shown.clone(), beat.clone());
        Effect::new(move |prev: Option<TicketNumber>| {
            let n = number.get();
            if let Some(p) = prev.filter(|p| *p != n && p.0 > 0) {
                leptos::task::spawn_local(async move {
                    let _ = leave(p).await;
                });
            }
            shown.store(n.0, Ordering::Relaxed);
            others.set(Vec::new());
            if n.0 > 0 {
                beat(n);
            }
            n
        });
    }
    let timer = {
        let (shown, beat) = (shown.clone(), beat.clone());
        set_interval_with_handle(
            move || {
                let n = shown.load(Ordering::Relaxed);
                if n > 0 {
                    beat(TicketNumber(n));
                }
            },
            std::time::Duration::from_secs(HEARTBEAT_SECS),
        )
        .ok()
    };
    if let Some(ch) = use_context::<crate::live::client::LiveChannel>() {
        let (shown, beat) = (shown.clone(), beat.clone());
        Effect::new(move |_| match ch.last.get() {
            Some(crate::live::LiveEvent::PresenceChanged { number: m }) if m == shown.load(Ordering::Relaxed) => {
                beat(TicketNumber(m))
            }
            // Back after a reconnect: say we are here again.
            Some(crate::live::LiveEvent::Hello { .. }) if shown.load(Ordering::Relaxed) > 0 => {
                beat(TicketNumber(shown.load(Ordering::Relaxed)))
            }
            _ => {}
        });
    }
    // Closing the browser tab unmounts nothing: a beacon still says goodbye.
    let unload = {
        let shown = shown.clone();
        window_event_listener(leptos::ev::pagehide, move |_| {
            let n = shown.load(Ordering::Relaxed);
            if n > 0 {
                let _ = window()
                    .navigator()
                    .send_beacon_with_opt_str("/api/presence/leave", Some(&format!("{{\"number\":{n}}}")));
            }
        })
    };
    on_cleanup(move || {
        unload.remove();
        if let Some(t) = timer {
            t.clear();
        }
        let n = shown.swap(0, Ordering::Relaxed);
        if n > 0 {
            leptos::task::spawn_local(async move {
                let _ = leave(TicketNumber(n)).await;
            });
        }
    });
}
