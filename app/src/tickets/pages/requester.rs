//! The requester panel beside a ticket: who asked (name, email, role, teams), how
//! many tickets they have open and in all, and links to their other open and most
//! recent tickets. One request, answered by one query. Drawn in the browser only.
use crate::desk::tabs::ticket_href;
use crate::requester::model::{RequesterContext, RequesterTicket};
use crate::tickets::model::TicketNumber;
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn RequesterPanel(number: Memo<TicketNumber>) -> impl IntoView {
    let data = RwSignal::new(None::<Result<RequesterContext, crate::error::AppError>>);
    Effect::new(move |_| {
        let n = number.get();
        data.set(None);
        if n.0 > 0 {
            leptos::task::spawn_local(async move {
                let r = crate::requester::api::load_requester_context(n).await;
                if number.get_untracked() == n {
                    let _ = data.try_set(Some(r));
                }
            });
        }
    });
    view! {
        <aside class=format!("{CARD} h-fit space-y-4 p-5") data-testid="requester">
            <p class=LABEL>"Requester"</p>
            {move || match data.get() {
                None => view! { <p class="text-sm text-muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="text-sm text-danger">{e.to_string()}</p> }.into_any(),
                Some(Ok(c)) => view! { <Profile c /> }.into_any(),
            }}
        </aside>
    }
}

#[component]
fn Profile(c: RequesterContext) -> impl IntoView {
    let teams = if c.teams.is_empty() { "No team".to_string() } else { c.teams.join(", ") };
    view! {
        <div class="-mt-2 space-y-1">
            <p class="text-sm font-medium text-fg" data-testid="requester-name">{c.name.clone()}</p>
            <p class="break-all text-xs text-muted">{c.email.clone()}</p>
            <p class="text-xs text-muted">{format!("{} · {teams}", c.role.label())}</p>
            <p class="text-xs text-faint">{format!("Account since {}", c.since.format("%b %Y"))}</p>
            {(!c.active).then(|| view! { <Badge text="Deactivated" tone=Tone::Bad /> })}
        </div>
        <div class="flex gap-4 text-sm" data-testid="requester-counts">
            <p><span class="font-semibold text-fg">{c.open}</span><span class="text-muted">" open"</span></p>
            <p><span class="font-semibold text-fg">{c.total}</span><span class="text-muted">" in all"</span></p>
        </div>
        <TicketList title="Other open tickets" empty="No other open tickets." items=c.open_tickets testid="requester-open" />
        <TicketList title="Recent tickets" empty="No other tickets." items=c.recent testid="requester-recent" />
        <div class="border-t border-line pt-3">
            <p class="mb-1.5 text-xs font-semibold uppercase tracking-wide text-faint">"Their records"</p>
            {if c.records.is_empty() {
                view! { <p class="text-xs text-muted">"No assets, credentials or documents."</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-1" data-testid="requester-records">
                        {c.records.into_iter().map(|r| view! {
                            <li class="flex items-baseline gap-2 text-sm">
                                <span class="shrink-0 text-[10px] uppercase tracking-wide text-faint">{r.kind.label()}</span>
                                <a href=r.href.clone() class="truncate text-fg hover:text-accent hover:underline">{r.title.clone()}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn TicketList(
    title: &'static str,
    empty: &'static str,
    items: Vec<RequesterTicket>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="border-t border-line pt-3">
            <p class="mb-1.5 text-xs font-semibold uppercase tracking-wide text-faint">{title}</p>
            {if items.is_empty() {
                view! { <p class="text-xs text-muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-1.5" data-testid=testid>
                        {items.into_iter().map(|t| view! {
                            <li>
                                <a href=ticket_href(t.number) class="group block rounded px-1 -mx-1 hover:bg-raised focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">
                                    <span class="flex items-baseline gap-2">
                                        <span class="shrink-0 font-mono text-xs text-faint">{t.number.to_string()}</span>
                                        <span class="truncate text-sm text-fg group-hover:underline">{t.title.clone()}</span>
                                    </span>
                                    <span class="block text-xs text-muted">{format!("{} · {}", t.status_name, fmt_short(t.updated_at))}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
