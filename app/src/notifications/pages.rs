//! `/notifications` and the sidebar link with its unread count.
use super::api::{list_notifications, mark_notifications_read, unread_notifications};
use super::model::Inbox;
use crate::auth::model::Permission;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let inbox = RwSignal::new(None::<Inbox>);
    let load = move || {
        leptos::task::spawn_local(async move {
            if let Ok(i) = list_notifications().await {
                inbox.set(Some(i));
            }
        })
    };
    Effect::new(move |_| load());
    let read_all = move |_| {
        leptos::task::spawn_local(async move {
            if mark_notifications_read().await.is_ok() {
                load();
            }
        })
    };
    view! {
        <Guarded permission=Permission::SignedIn>
            <Title text="Notifications" />
            <PageHeader title="Notifications" description="Alerts Helios sends you, such as expiring warranties, licenses, domains, certificates and passwords.">
                <button type="button" class=BTN_SECONDARY data-testid="mark-read" on:click=read_all>"Mark all read"</button>
            </PageHeader>
            {move || match inbox.get() {
                None => view! { <Loading /> }.into_any(),
                Some(i) if i.items.is_empty() => view! { <EmptyState title="Nothing new" body="Alerts about expiring records will appear here." /> }.into_any(),
                Some(i) => view! {
                    <ul class=format!("{CARD} divide-y divide-line") data-testid="notifications">
                        {i.items.into_iter().map(|n| view! {
                            <li class="flex items-start gap-3 px-5 py-3">
                                <span class=if n.read { "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-transparent" } else { "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-accent" }></span>
                                <div class="min-w-0">
                                    <a href=n.href.clone() class="text-sm font-medium text-fg hover:text-accent hover:underline">{n.title.clone()}</a>
                                    <p class="text-sm text-muted">{n.body.clone()}</p>
                                    <p class="text-xs text-faint">{fmt_time(n.created_at)}</p>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Guarded>
    }
}

/// The unread count beside the sidebar link (browser only; refreshed on navigation).
#[component]
pub fn UnreadBadge() -> impl IntoView {
    let count = RwSignal::new(0i64);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        leptos::task::spawn_local(async move {
            if let Ok(n) = unread_notifications().await {
                count.set(n);
            }
        });
    });
    move || {
        (count.get() > 0).then(|| view! {
        <span class="ml-auto rounded-full bg-accent px-1.5 text-[10px] font-semibold text-white" data-testid="unread-count">{count.get()}</span>
    })
    }
}
