//! The queue table: one saved view's tickets, live, keyset-paginated.
use crate::tickets::api::list_tickets;
use crate::tickets::model::{Priority, StatusCategory, TicketFilter};
use crate::ui::{fmt_short, Badge, Loading, Tone, BTN_SECONDARY, TD, TH};
use leptos::prelude::*;

pub fn priority_tone(p: Priority) -> Tone {
    match p {
        Priority::P1 => Tone::Bad,
        Priority::P2 => Tone::Warn,
        Priority::P3 => Tone::Neutral,
        Priority::P4 => Tone::Neutral,
    }
}

pub fn category_tone(c: StatusCategory) -> Tone {
    match c {
        StatusCategory::New => Tone::Accent,
        StatusCategory::Open | StatusCategory::Scheduled => Tone::Neutral,
        StatusCategory::Pending => Tone::Warn,
        StatusCategory::Resolved | StatusCategory::Closed => Tone::Good,
    }
}

/// A queue page resource and its cursor. Created at page level (not inside a
/// Suspense) so server and browser create resources in the same order.
#[derive(Clone, Copy)]
pub struct Queue {
    pub page: Resource<Result<crate::tickets::model::TicketPage, crate::error::AppError>>,
    pub cursor: RwSignal<Option<(chrono::DateTime<chrono::Utc>, crate::tickets::model::TicketId)>>,
}

impl Queue {
    /// Tickets of the view chosen by `view` (an index into `views`); `refresh` bumps
    /// when something changed. The filter is read inside the fetcher, so the
    /// resource's key is the same on the server and in the browser.
    pub fn new(
        views: Resource<Result<Vec<crate::desk::model::SavedView>, crate::error::AppError>>,
        view: ReadSignal<usize>,
        refresh: Signal<u64>,
    ) -> Queue {
        let cursor = RwSignal::new(None);
        Effect::new(move |_| {
            view.track();
            cursor.set(None);
        });
        let page = Resource::new(
            move || (view.get(), cursor.get(), refresh.get()),
            move |(i, after, _)| async move {
                let views = views.await?;
                let mut f: TicketFilter = views.get(i).map(|v| v.filter.clone()).unwrap_or_default();
                f.after = after;
                list_tickets(f).await
            },
        );
        Queue { page, cursor }
    }
}

#[component]
pub fn QueueTable(queue: Queue, #[prop(into)] empty_label: Signal<String>) -> impl IntoView {
    let Queue { page, cursor } = queue;
    let next = RwSignal::new(None);
    view! {
        <div class="overflow-x-auto rounded-lg border border-line bg-surface">
            <table class="w-full" data-testid="queue">
                <thead class="border-b border-line bg-raised/50">
                    <tr>
                        <th class=TH>"Number"</th>
                        <th class=TH>"Title"</th>
                        <th class=TH>"Requester"</th>
                        <th class=TH>"Assignee"</th>
                        <th class=TH>"Status"</th>
                        <th class=TH>"Priority"</th>
                        <th class=TH>"Updated"</th>
                    </tr>
                </thead>
                // Suspense boundaries stay inside <tbody>: the HTML parser moves
                // anything else in a table, which breaks hydration.
                <tbody class="divide-y divide-line">
                    <Transition fallback=|| view! { <tr><td colspan="7"><Loading /></td></tr> }>
                        {move || Suspend::new(async move {
                            match page.await {
                                Ok(p) if p.tickets.is_empty() && cursor.get_untracked().is_none() => view! {
                                    <tr><td colspan="7" class="px-6 py-16 text-center" data-testid="desk-empty">
                                        <p class="text-base font-semibold text-fg">{move || empty_label.get()}</p>
                                        <p class="mt-1 text-sm text-muted">"New requests from the portal, email and the API appear here as they arrive, live."</p>
                                    </td></tr>
                                }.into_any(),
                                Ok(p) => {
                                    next.set(p.next);
                                    p.tickets.into_iter().map(|t| {
                                        let href = format!("/desk/tickets/{}", t.number.0);
                                        view! {
                                            <tr class="hover:bg-raised/40" data-ticket=t.number.to_string()>
                                                <td class=format!("{TD} whitespace-nowrap font-mono text-xs text-muted")>{t.number.to_string()}</td>
                                                <td class=format!("{TD} min-w-[16rem]")>
                                                    <a href=href class="font-medium text-fg hover:text-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent rounded">{t.title.clone()}</a>
                                                </td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted")>{t.requester_name.clone()}</td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted")>{t.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td class=format!("{TD} whitespace-nowrap")><Badge text=t.status_name.clone() tone=category_tone(t.status_category) /></td>
                                                <td class=TD><Badge text=t.priority.short() tone=priority_tone(t.priority) /></td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted tabular-nums")>{fmt_short(t.updated_at)}</td>
                                            </tr>
                                        }
                                    }).collect_view().into_any()
                                }
                                Err(e) => view! { <tr><td colspan="7" class="px-4 py-6 text-sm text-danger">{e.to_string()}</td></tr> }.into_any(),
                            }
                        })}
                    </Transition>
                </tbody>
            </table>
            {move || next.get().map(|n| view! {
                <div class="border-t border-line px-4 py-3 text-right">
                    <button type="button" class=BTN_SECONDARY on:click=move |_| cursor.set(Some(n))>"Next page"</button>
                </div>
            })}
        </div>
    }
}
