//! `/desk/tickets/:number`: the ticket, its timeline, reply and field changes.
use super::queue::{category_tone, priority_tone};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::settings::model::Module;
use crate::tickets::api::{get_ticket, get_workflow, AddComment, UpdateTicket};
use crate::tickets::model::{Priority, Ticket, TicketNumber, TicketPatch, TimelineItem, TimelineWhat, Workflow};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TicketView() -> impl IntoView {
    let params = use_params_map();
    let number =
        move || TicketNumber::parse(&params.read().get("number").unwrap_or_default()).unwrap_or(TicketNumber(0));
    let update = ServerAction::<UpdateTicket>::new();
    let comment = ServerAction::<AddComment>::new();
    let live = Memo::new(move |_| live_version(number().0));
    let detail = Resource::new(
        move || (number(), update.version().get(), comment.version().get(), live.get()),
        |(n, _, _, _)| get_ticket(n),
    );
    let workflow = Resource::new(|| (), |_| get_workflow());
    let error = Signal::derive(move || error_of(update.value().get()).or_else(|| error_of(comment.value().get())));
    // The draft lives here so a live reload of the ticket never loses it.
    let draft = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <a href="/desk" class="mb-4 inline-flex items-center gap-1 text-sm text-muted hover:text-fg">"← Queue"</a>
            <ErrorNotice error=error />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let wf = workflow.await.unwrap_or_default();
                    match detail.await {
                        Ok(d) => view! {
                            <Title text=format!("{} {}", d.ticket.number, d.ticket.title) />
                            <div class="grid gap-6 lg:grid-cols-[1fr_18rem]">
                                <div>
                                    <Header ticket=d.ticket.clone() />
                                    <Timeline items=d.timeline.clone() />
                                    <Reply number=d.ticket.number action=comment body=draft internal />
                                </div>
                                <Fields ticket=d.ticket.clone() workflow=wf action=update />
                            </div>
                        }.into_any(),
                        Err(e) => view! { <EmptyState title="Ticket unavailable" body=e.to_string() /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// Bumps when a live event names this ticket, so the view reloads.
fn live_version(_number: i64) -> u64 {
    #[cfg(feature = "hydrate")]
    {
        use crate::live::{client::LiveChannel, LiveEvent};
        if let Some(ch) = use_context::<LiveChannel>() {
            if let Some(LiveEvent::TicketChanged { number }) = ch.last.get() {
                if number == _number {
                    return js_sys::Date::now() as u64;
                }
            }
        }
    }
    0
}

#[component]
fn Header(ticket: Ticket) -> impl IntoView {
    view! {
        <header class="mb-6">
            <p class="font-mono text-xs text-muted">{ticket.number.to_string()}</p>
            <h1 class="mt-1 text-2xl font-semibold tracking-tight text-fg" data-testid="ticket-title">{ticket.title.clone()}</h1>
            <div class="mt-2 flex flex-wrap items-center gap-2 text-sm text-muted">
                <Badge text=ticket.status_name.clone() tone=category_tone(ticket.status_category) />
                <Badge text=ticket.priority.label() tone=priority_tone(ticket.priority) />
                <span>{format!("Requested by {} · {}", ticket.requester_name, fmt_time(ticket.created_at))}</span>
            </div>
            {(!ticket.description.is_empty()).then(|| view! {
                <div class=format!("{CARD} mt-4 whitespace-pre-wrap px-5 py-4 text-sm text-fg")>{ticket.description.clone()}</div>
            })}
        </header>
    }
}

#[component]
fn Timeline(items: Vec<TimelineItem>) -> impl IntoView {
    view! {
        <ol class="mb-6 space-y-3" data-testid="timeline">
            {items.into_iter().map(|i| {
                let who = i.actor.clone().unwrap_or_else(|| "System".into());
                let when = fmt_time(i.at);
                match i.what {
                    TimelineWhat::Comment { body, internal } => view! {
                        <li class=if internal { "rounded-lg border border-warn/40 bg-warn/5 px-4 py-3" } else { "rounded-lg border border-line bg-surface px-4 py-3" }>
                            <p class="mb-1 text-xs text-muted">
                                <span class="font-medium text-fg">{who}</span>
                                {if internal { " · internal note · " } else { " · reply · " }}{when}
                            </p>
                            <p class="whitespace-pre-wrap text-sm text-fg">{body}</p>
                        </li>
                    }.into_any(),
                    TimelineWhat::Changed { field, from, to } => view! {
                        <li class="px-4 text-xs text-muted">
                            <span class="font-medium text-fg">{who}</span>
                            {format!(" changed {field}: {} → {} · {when}", if from.is_empty() { "—" } else { &from }, if to.is_empty() { "—" } else { &to })}
                        </li>
                    }.into_any(),
                    TimelineWhat::Created => view! {
                        <li class="px-4 text-xs text-muted"><span class="font-medium text-fg">{who}</span>{format!(" opened the ticket · {when}")}</li>
                    }.into_any(),
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Reply(
    number: TicketNumber,
    action: ServerAction<AddComment>,
    body: RwSignal<String>,
    internal: RwSignal<bool>,
) -> impl IntoView {
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            body.set(String::new());
        }
    });
    let send = move || {
        action.dispatch(AddComment { number, body: body.get_untracked(), internal: internal.get_untracked() });
    };
    view! {
        <form class=format!("{CARD} p-4") on:submit=move |ev| { ev.prevent_default(); send(); }>
            <label for="reply" class="sr-only">"Reply"</label>
            <textarea id="reply" rows="4" placeholder="Write a reply…  (Ctrl+Enter sends)" class=INPUT prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                on:keydown=move |ev| { if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); send(); } }></textarea>
            <div class="mt-3 flex items-center justify-between">
                <label class="flex items-center gap-2 text-sm text-muted">
                    <input type="checkbox" class="h-4 w-4" prop:checked=move || internal.get() on:change=move |ev| internal.set(event_target_checked(&ev)) />
                    "Internal note (hidden from the requester)"
                </label>
                <button type="submit" class=BTN_PRIMARY disabled=move || action.pending().get()>
                    {move || if internal.get() { "Add note" } else { "Send reply" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Fields(ticket: Ticket, workflow: Workflow, action: ServerAction<UpdateTicket>) -> impl IntoView {
    let session = use_session();
    let (number, version) = (ticket.number, ticket.version);
    let patch = move |p: TicketPatch| {
        action.dispatch(UpdateTicket { number, patch: TicketPatch { version, ..p } });
    };
    let next = workflow.next_statuses(&ticket.status).into_iter().cloned().collect::<Vec<_>>();
    let current_status = ticket.status.clone();
    let assignee = ticket.assignee_name.clone().unwrap_or_else(|| "Unassigned".into());
    view! {
        <aside class=format!("{CARD} h-fit space-y-5 p-5")>
            <div>
                <label for="status" class=LABEL>"Status"</label>
                <select id="status" class=INPUT on:change=move |ev| {
                    let s = event_target_value(&ev);
                    if !s.is_empty() { patch(TicketPatch { status: Some(s), ..Default::default() }); }
                }>
                    <option value="" prop:selected=true>{ticket.status_name.clone()}</option>
                    {next.into_iter().filter(|s| s.key != current_status).map(|s| view! { <option value=s.key.clone()>{s.name.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="priority" class=LABEL>"Priority"</label>
                <select id="priority" class=INPUT on:change=move |ev| {
                    let p = Priority::ALL.into_iter().find(|p| p.short() == event_target_value(&ev));
                    if let Some(p) = p { patch(TicketPatch { priority: Some(p), ..Default::default() }); }
                }>
                    {Priority::ALL.into_iter().map(|p| view! { <option value=p.short() prop:selected=p == ticket.priority>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <p class=LABEL>"Assignee"</p>
                <p class="text-sm text-fg" data-testid="assignee">{assignee}</p>
                <button type="button" class=format!("{BTN_SECONDARY} mt-2 w-full") on:click=move |_| {
                    if let Some(me) = session.current() { patch(TicketPatch { assignee: Some(Some(me.id)), ..Default::default() }); }
                }>"Assign to me"</button>
            </div>
            <div>
                <p class=LABEL>"Requester"</p>
                <p class="text-sm text-fg">{ticket.requester_name.clone()}</p>
                <p class="text-xs text-muted">{ticket.requester_email.clone()}</p>
            </div>
        </aside>
    }
}
