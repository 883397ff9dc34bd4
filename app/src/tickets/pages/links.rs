//! The links panel of the ticket view: parent, children, related tickets and
//! duplicates, with a form to link another ticket and one to merge this ticket
//! into another as its duplicate.
use super::queue::category_tone;
use crate::tickets::links::api::{link_tickets, list_links, merge_tickets, unlink_tickets};
use crate::tickets::links::model::{Relation, TicketLink};
use crate::tickets::model::{Ticket, TicketNumber};
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn LinksPanel(number: Memo<TicketNumber>, current: RwSignal<Option<Ticket>>) -> impl IntoView {
    // Links change with the ticket's version (every link and unlink bumps it, and a
    // live event reloads the ticket), so the list follows it.
    let version = Memo::new(move |_| current.with(|t| t.as_ref().map(|t| (t.number, t.version))));
    let links = LocalResource::new(move || {
        let n = number.get();
        version.track();
        async move { list_links(n).await }
    });
    let relation = RwSignal::new(Relation::RelatedTo);
    let other = RwSignal::new(String::new());
    let merge_into = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::error::AppError>);
    let busy = RwSignal::new(false);
    let run = move |f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), crate::error::AppError>>>>| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = f.await;
            busy.set(false);
            error.set(r.err());
            links.refetch();
        });
    };
    let parse_other = move |s: String| {
        TicketNumber::parse(&s)
            .ok_or_else(|| crate::error::AppError::field("other", "Type a ticket number like TKT-42."))
    };
    let on_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, r, o) = (number.get_untracked(), relation.get_untracked(), other.get_untracked());
        run(Box::pin(async move {
            link_tickets(n, r, parse_other(o)?).await?;
            other.set(String::new());
            Ok(())
        }));
    };
    let on_unlink = move |o: TicketNumber| {
        let n = number.get_untracked();
        run(Box::pin(async move {
            unlink_tickets(n, o).await?;
            Ok(())
        }));
    };
    let on_merge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(t) = current.get_untracked() else { return };
        let into = merge_into.get_untracked();
        run(Box::pin(async move {
            let into = parse_other(into)?;
            if !confirm(&format!(
                "Merge {} into {into}? Its comments move to {into} and {} is closed as a duplicate.",
                t.number, t.number
            )) {
                return Ok(());
            }
            // The target's version as of now: a change made after this refuses the merge.
            let target = crate::tickets::api::get_ticket(into).await?;
            merge_tickets(t.number, t.version, into, target.ticket.version).await?;
            merge_into.set(String::new());
            Ok(())
        }));
    };
    view! {
        <section class=format!("{CARD} space-y-3 p-5") data-testid="links">
            <h2 class="text-sm font-semibold text-fg">"Linked tickets"</h2>
            <ErrorNotice error=error />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match links.await {
                        Ok(list) if list.is_empty() => view! { <p class="text-sm text-muted">"No links yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="space-y-2">
                                {list.into_iter().map(|l| view! { <LinkRow link=l on_unlink busy /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="text-sm text-danger">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <form class="space-y-2 border-t border-line pt-3" on:submit=on_link>
                <label for="link-relation" class="sr-only">"Relation"</label>
                <select id="link-relation" class=INPUT
                    on:change=move |ev| { if let Some(r) = Relation::parse(&event_target_value(&ev)) { relation.set(r); } }>
                    {Relation::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=move || relation.get() == r>{r.label()}</option>
                    }).collect_view()}
                </select>
                <div class="flex gap-2">
                    <label for="link-other" class="sr-only">"Ticket number"</label>
                    <input id="link-other" class=INPUT placeholder="TKT-42" bind:value=other />
                    <button type="submit" class=BTN_SECONDARY disabled=move || busy.get() || other.get().trim().is_empty()>"Link"</button>
                </div>
            </form>
            <form class="flex gap-2 border-t border-line pt-3" on:submit=on_merge>
                <label for="merge-into" class="sr-only">"Merge into ticket"</label>
                <input id="merge-into" class=INPUT placeholder="Duplicate of TKT-…" bind:value=merge_into />
                <button type="submit" class=BTN_DANGER disabled=move || busy.get() || merge_into.get().trim().is_empty()>"Merge"</button>
            </form>
        </section>
    }
}

#[component]
fn LinkRow(
    link: TicketLink,
    on_unlink: impl Fn(TicketNumber) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let other = link.other;
    view! {
        <li class="flex items-start justify-between gap-2 text-sm" data-testid="link">
            <div class="min-w-0">
                <p class="text-xs text-muted">{link.relation.label()}</p>
                <a class="font-mono text-xs text-accent hover:underline" href=format!("/desk/tickets/{}", other.0)>{other.to_string()}</a>
                <span class="ml-1 text-fg">{link.title.clone()}</span>
                <div class="mt-0.5"><Badge text=link.status_name.clone() tone=category_tone(link.status_category) /></div>
            </div>
            <button type="button" class=BTN_GHOST aria-label=format!("Unlink {other}") disabled=move || busy.get()
                on:click=move |_| on_unlink(other)>"Unlink"</button>
        </li>
    }
}
