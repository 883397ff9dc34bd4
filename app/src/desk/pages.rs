//! The console page: saved views on the left, the live queue, new ticket.
use super::api::list_views;
use crate::auth::model::Permission;
use crate::context::{plural, singular};
use crate::settings::model::{Entity, Module};
use crate::tickets::api::CreateTicket;
use crate::tickets::model::Priority;
use crate::tickets::pages::{Queue, QueueTable};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeskPage() -> impl IntoView {
    let tickets = plural(Entity::Ticket);
    let views = Resource::new(|| (), |_| list_views());
    let (current, set_current) = signal(0usize);
    let refresh = live_ticket_changes();
    let queue = Queue::new(views, current, refresh);
    let creating = RwSignal::new(false);
    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <Title text=move || tickets.get() />
            <PageHeader title=tickets description="Your queues update live as tickets change.">
                <button type="button" class=BTN_PRIMARY data-testid="new-ticket" on:click=move |_| creating.set(true)>
                    {move || format!("New {}", singular(Entity::Ticket).get().to_lowercase())}
                </button>
            </PageHeader>
            {move || creating.get().then(|| view! { <NewTicketForm on_close=move || creating.set(false) /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let list = views.await.unwrap_or_default();
                    let names: Vec<String> = list.iter().map(|v| v.name.clone()).collect();
                    let empty = Signal::derive(move || format!("No {} in this view", tickets.get().to_lowercase()));
                    view! {
                        <div class="grid grid-cols-[10rem_1fr] gap-6">
                            <nav aria-label="Views" class="space-y-1">
                                <p class="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-faint">"Views"</p>
                                {names.into_iter().enumerate().map(|(i, name)| view! {
                                    <button type="button"
                                        class=move || if current.get() == i {
                                            "flex w-full items-center rounded-md bg-accent/15 px-3 py-2 text-left text-sm font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                        } else {
                                            "flex w-full items-center rounded-md px-3 py-2 text-left text-sm text-muted hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                        }
                                        on:click=move |_| set_current.set(i)>
                                        {name}
                                    </button>
                                }).collect_view()}
                            </nav>
                            <QueueTable queue empty_label=empty />
                        </div>
                    }
                })}
            </Suspense>
        </Guarded>
    }
}

/// Counts ticket events on the live channel, so queues reload when anything changes.
fn live_ticket_changes() -> Signal<u64> {
    #[cfg(feature = "hydrate")]
    {
        use crate::live::{client::LiveChannel, LiveEvent};
        let count = RwSignal::new(0u64);
        if let Some(ch) = use_context::<LiveChannel>() {
            Effect::new(move |_| {
                if let Some(LiveEvent::TicketChanged { .. }) = ch.last.get() {
                    count.update(|c| *c += 1);
                }
            });
        }
        count.into()
    }
    #[cfg(not(feature = "hydrate"))]
    Signal::derive(|| 0)
}

#[component]
fn NewTicketForm(on_close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let priority = RwSignal::new(Priority::P3);
    let create = ServerAction::<CreateTicket>::new();
    let error = Signal::derive(move || error_of(create.value().get()));
    Effect::new(move |_| {
        if let Some(Ok(n)) = create.value().get() {
            let href = format!("/desk/tickets/{}", n.0);
            leptos_router::hooks::use_navigate()(&href, Default::default());
        }
    });
    let close = on_close.clone();
    view! {
        <div class=format!("{CARD} mb-6 p-5")>
            <h2 class="mb-4 text-base font-semibold">"New ticket"</h2>
            <ErrorNotice error=error />
            <form class="grid gap-4" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateTicket { title: title.get_untracked(), description: description.get_untracked(), priority: priority.get_untracked(), requester: None });
            }>
                <div><label class=LABEL for="nt_title">"Title"</label><input id="nt_title" class=INPUT bind:value=title autofocus /></div>
                <div><label class=LABEL for="nt_desc">"Description"</label><textarea id="nt_desc" rows="4" class=INPUT bind:value=description></textarea></div>
                <div class="max-w-xs">
                    <label class=LABEL for="nt_priority">"Priority"</label>
                    <select id="nt_priority" class=INPUT on:change=move |ev| {
                        if let Some(p) = Priority::ALL.into_iter().find(|p| p.short() == event_target_value(&ev)) { priority.set(p) }
                    }>
                        {Priority::ALL.into_iter().map(|p| view! { <option value=p.short() selected=p == Priority::P3>{p.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="flex gap-2">
                    <button type="submit" class=BTN_PRIMARY disabled=move || create.pending().get()>"Create"</button>
                    <button type="button" class=BTN_SECONDARY on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
