//! The queue table: one view's tickets, live, keyset-paginated, with row selection
//! (click, shift-click, `x`) for bulk edits and `j`/`k` to move between rows.
use crate::desk::model::SavedView;
use crate::error::AppError;
use crate::tickets::api::{count_tickets, list_tickets};
use crate::tickets::model::{
    Priority, StatusCategory, TicketCount, TicketCursor, TicketFilter, TicketNumber, TicketPage, TicketSort,
};
use crate::ui::{fmt_short, Badge, Loading, Tone, BTN_SECONDARY};

// The queue is the densest table: tighter cells than the shared ones, so eight
// columns fit beside the views list at 1280 px.
const TD: &str = "px-3 py-2.5 text-sm";
const TH: &str = "px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-muted";
use leptos::prelude::*;
use std::collections::BTreeSet;

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

type Views = Resource<Result<Vec<SavedView>, AppError>>;

/// The queue's resources and cursor. Created at page level (not inside a Suspense)
/// so server and browser create resources in the same order.
#[derive(Clone, Copy)]
pub struct Queue {
    pub page: Resource<Result<TicketPage, AppError>>,
    pub count: Resource<Result<TicketCount, AppError>>,
    pub cursor: RwSignal<Option<TicketCursor>>,
    /// The filter as changed in the filter bar; None = the saved view's own.
    pub changed: RwSignal<Option<TicketFilter>>,
    pub view: ReadSignal<usize>,
    pub views: Views,
}

impl Queue {
    /// Tickets of the view chosen by `view` (an index into `views`), as changed by
    /// the filter bar; `refresh` bumps when something changed. The saved filter is
    /// read inside the fetcher, so the key is the same on the server and browser.
    pub fn new(views: Views, view: ReadSignal<usize>, refresh: Signal<u64>) -> Queue {
        let cursor = RwSignal::new(None);
        let changed = RwSignal::new(None::<TicketFilter>);
        Effect::new(move |_| {
            view.track();
            changed.track();
            cursor.set(None);
        });
        let page = Resource::new(
            move || (view.get(), changed.get(), cursor.get(), refresh.get()),
            move |(i, changed, after, _)| async move {
                let mut f = effective(views, i, changed).await?;
                f.after = after;
                list_tickets(f).await
            },
        );
        let count = Resource::new(
            move || (view.get(), changed.get(), refresh.get()),
            move |(i, changed, _)| async move { count_tickets(effective(views, i, changed).await?).await },
        );
        Queue { page, count, cursor, changed, view, views }
    }

    /// The filter now shown (browser side, after the views loaded).
    pub fn filter(&self) -> TicketFilter {
        self.changed.get_untracked().unwrap_or_else(|| {
            let i = self.view.get_untracked();
            self.views
                .get_untracked()
                .and_then(|r| r.ok())
                .and_then(|v| v.get(i).map(|v| v.filter.clone()))
                .unwrap_or_default()
        })
    }
}

async fn effective(views: Views, i: usize, changed: Option<TicketFilter>) -> Result<TicketFilter, AppError> {
    match changed {
        Some(f) => Ok(f),
        None => Ok(views.await?.get(i).map(|v| v.filter.clone()).unwrap_or_default()),
    }
}

/// Picked rows: numbers, or every ticket matching the filter.
#[derive(Clone, Copy)]
pub struct Selection {
    pub picked: RwSignal<BTreeSet<TicketNumber>>,
    pub all_matching: RwSignal<bool>,
    /// The rows of the page on screen, in order (for shift-click ranges).
    pub shown: RwSignal<Vec<TicketNumber>>,
    anchor: StoredValue<Option<usize>>,
}

impl Selection {
    pub fn new() -> Selection {
        Selection {
            picked: RwSignal::new(BTreeSet::new()),
            all_matching: RwSignal::new(false),
            shown: RwSignal::new(Vec::new()),
            anchor: StoredValue::new(None),
        }
    }

    pub fn clear(self) {
        self.picked.set(BTreeSet::new());
        self.all_matching.set(false);
    }

    pub fn any(self) -> bool {
        self.all_matching.get() || !self.picked.with(BTreeSet::is_empty)
    }

    fn toggle(self, i: usize, n: TicketNumber, on: bool, range: bool) {
        self.all_matching.set(false);
        let shown = self.shown.get_untracked();
        match self.anchor.get_value().filter(|_| range) {
            Some(a) => {
                let (lo, hi) = (a.min(i), a.max(i));
                self.picked.update(|p| {
                    for x in &shown[lo..=hi.min(shown.len().saturating_sub(1))] {
                        if on {
                            p.insert(*x);
                        } else {
                            p.remove(x);
                        }
                    }
                });
            }
            None => self.picked.update(|p| {
                if on {
                    p.insert(n);
                } else {
                    p.remove(&n);
                }
            }),
        }
        self.anchor.set_value(Some(i));
    }

    fn whole_page(self) -> bool {
        let shown = self.shown.get();
        !shown.is_empty() && self.picked.with(|p| shown.iter().all(|n| p.contains(n)))
    }
}

impl Default for Selection {
    fn default() -> Self {
        Selection::new()
    }
}

const CHECK: &str =
    "h-4 w-4 cursor-pointer rounded border-line accent-accent focus-visible:ring-2 focus-visible:ring-accent";

#[component]
pub fn QueueTable(queue: Queue, selection: Selection, #[prop(into)] empty_label: Signal<String>) -> impl IntoView {
    let Queue { page, cursor, .. } = queue;
    let next = RwSignal::new(None);
    let all_box = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selection.all_matching.set(false);
        let shown = selection.shown.get_untracked();
        selection.picked.update(|p| {
            for n in shown {
                if on {
                    p.insert(n);
                } else {
                    p.remove(&n);
                }
            }
        });
    };
    view! {
        <div class="overflow-x-auto rounded-lg border border-line bg-surface">
            <table class="w-full" data-testid="queue">
                <thead class="border-b border-line bg-raised/50">
                    <tr>
                        <th class="w-10 pl-4"><input type="checkbox" class=CHECK aria-label="Select every ticket on this page"
                            prop:checked=move || selection.whole_page() on:change=all_box /></th>
                        <SortHeader queue label="Number" first=TicketSort::NumberDesc second=TicketSort::NumberAsc />
                        <th class=TH>"Title"</th>
                        <th class=TH>"Requester"</th>
                        <th class=TH>"Assignee"</th>
                        <th class=TH>"Status"</th>
                        <SortHeader queue label="Priority" first=TicketSort::PriorityHigh second=TicketSort::PriorityLow />
                        <SortHeader queue label="Updated" first=TicketSort::UpdatedDesc second=TicketSort::UpdatedAsc />
                    </tr>
                </thead>
                // Suspense boundaries stay inside <tbody>: the HTML parser moves
                // anything else in a table, which breaks hydration.
                <tbody class="divide-y divide-line">
                    <Transition fallback=|| view! { <tr><td colspan="8"><Loading /></td></tr> }>
                        {move || Suspend::new(async move {
                            match page.await {
                                Ok(p) if p.tickets.is_empty() && cursor.get_untracked().is_none() => {
                                    selection.shown.set(Vec::new());
                                    view! {
                                        <tr><td colspan="8" class="px-6 py-16 text-center" data-testid="desk-empty">
                                            <p class="text-base font-semibold text-fg">{move || empty_label.get()}</p>
                                            <p class="mt-1 text-sm text-muted">"New requests from the portal, email and the API appear here as they arrive, live."</p>
                                        </td></tr>
                                    }.into_any()
                                }
                                Ok(p) => {
                                    next.set(p.next);
                                    selection.shown.set(p.tickets.iter().map(|t| t.number).collect());
                                    p.tickets.into_iter().enumerate().map(|(i, t)| {
                                        let href = format!("/desk/tickets/{}", t.number.0);
                                        let n = t.number;
                                        let picked = move || selection.all_matching.get() || selection.picked.with(|p| p.contains(&n));
                                        view! {
                                            <tr class=move || if picked() { "bg-accent/10" } else { "hover:bg-raised/40 focus-within:bg-raised/40" }
                                                data-row=t.number.to_string()>
                                                <td class="w-10 pl-4">
                                                    <input type="checkbox" class=CHECK aria-label=format!("Select {}", t.number)
                                                        prop:checked=picked
                                                        on:click=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            selection.toggle(i, n, on, ev.shift_key());
                                                        } />
                                                </td>
                                                <td class=format!("{TD} whitespace-nowrap font-mono text-xs text-muted")>{t.number.to_string()}</td>
                                                <td class=format!("{TD} min-w-[10rem]")>
                                                    <a href=href class="rounded font-medium text-fg hover:text-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent">{t.title.clone()}</a>
                                                </td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted")>{t.requester_name.clone()}</td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted") data-testid="row-assignee">{t.assignee_name.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td class=format!("{TD} whitespace-nowrap")><Badge text=t.status_name.clone() tone=category_tone(t.status_category) /></td>
                                                <td class=TD><Badge text=t.priority.short() tone=priority_tone(t.priority) /></td>
                                                <td class=format!("{TD} whitespace-nowrap text-muted tabular-nums")>{fmt_short(t.updated_at)}</td>
                                            </tr>
                                        }
                                    }).collect_view().into_any()
                                }
                                Err(e) => view! { <tr><td colspan="8" class="px-4 py-6 text-sm text-danger">{e.to_string()}</td></tr> }.into_any(),
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

/// A column header that sorts the queue: the first click picks `first`, the next
/// toggles to `second` and back. The order is part of the view's filter, so it is
/// saved with a view and used by exports and bulk edits.
#[component]
fn SortHeader(queue: Queue, label: &'static str, first: TicketSort, second: TicketSort) -> impl IntoView {
    let current = move || {
        queue.changed.track();
        queue.view.track();
        queue.views.track();
        queue.filter().sort
    };
    let state = move || {
        let s = current();
        if s == first {
            Some(first)
        } else if s == second {
            Some(second)
        } else {
            None
        }
    };
    let aria = move || {
        state().map(|s| {
            let descending = matches!(
                s,
                TicketSort::NumberDesc | TicketSort::CreatedDesc | TicketSort::UpdatedDesc | TicketSort::PriorityLow
            );
            if descending {
                "descending"
            } else {
                "ascending"
            }
        })
    };
    let arrow = move || match state() {
        Some(s) if s == first => "↓",
        Some(_) => "↑",
        None => "",
    };
    let click = move |_| {
        let mut f = queue.filter();
        f.sort = if state() == Some(first) { second } else { first };
        f.after = None;
        queue.changed.set(Some(f));
    };
    view! {
        <th class=TH aria-sort=aria>
            <button type="button" class="inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                data-sort=label on:click=click>
                {label}<span aria-hidden="true" class="w-3 text-accent">{arrow}</span>
            </button>
        </th>
    }
}
