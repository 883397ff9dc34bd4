//! The console page. Until tickets land it shows the saved views and an empty queue.
use super::api::list_views;
use crate::auth::model::Permission;
use crate::context::plural;
use crate::settings::model::{Entity, Module};
use crate::ui::{Guarded, Kbd, PageHeader, BTN_PRIMARY, TH};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DeskPage() -> impl IntoView {
    let tickets = plural(Entity::Ticket);
    let views = Resource::new(|| (), |_| list_views());
    let (current, set_current) = signal(0usize);
    view! {
        <Guarded permission=Permission::DeskView module=Module::ServiceDesk>
            <Title text=move || tickets.get() />
            <PageHeader title=tickets description="Your queues. Keyboard first: press ? for shortcuts.">
                <button type="button" class=BTN_PRIMARY disabled=true title="Ticket creation arrives with the service desk release">
                    {move || format!("New {}", crate::context::singular(Entity::Ticket).get().to_lowercase())}
                    <Kbd k="n" />
                </button>
            </PageHeader>
            <div class="grid grid-cols-[12rem_1fr] gap-6">
                <nav aria-label="Views" class="space-y-1">
                    <p class="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-faint">"Views"</p>
                    <Suspense>{move || Suspend::new(async move {
                    views.await.unwrap_or_default().into_iter().enumerate().map(|(i, v)| view! {
                        <button type="button"
                            class=move || if current.get() == i {
                                "flex w-full items-center justify-between rounded-md bg-accent/15 px-3 py-2 text-sm font-medium text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                            } else {
                                "flex w-full items-center justify-between rounded-md px-3 py-2 text-sm text-muted hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                            }
                            on:click=move |_| set_current.set(i)>
                            <span>{v.name.clone()}</span>
                            <span class="text-xs tabular-nums text-faint">"0"</span>
                        </button>
                    }).collect_view()
                    })}</Suspense>
                </nav>
                <div class="overflow-hidden rounded-lg border border-line bg-surface">
                    <table class="w-full">
                        <thead class="border-b border-line bg-raised/50">
                            <tr>
                                <th class=TH>"Number"</th>
                                <th class=TH>"Title"</th>
                                <th class=TH>"Requester"</th>
                                <th class=TH>"Status"</th>
                                <th class=TH>"Priority"</th>
                                <th class=TH>"Updated"</th>
                            </tr>
                        </thead>
                    </table>
                    <div class="px-6 py-16 text-center" data-testid="desk-empty">
                        <p class="text-base font-semibold text-fg">{move || format!("No {} in this view", tickets.get().to_lowercase())}</p>
                        <p class="mt-1 text-sm text-muted">"New requests from the portal, email and the API will appear here as they arrive, live."</p>
                    </div>
                </div>
            </div>
        </Guarded>
    }
}
