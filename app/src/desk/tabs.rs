//! The tab strip across the top of the console: the queue, then every ticket the
//! agent has open. The list lives on the server (`desk/tabs`), so it survives a
//! reload and follows the agent to another device; this is the browser's copy.
use super::model::DeskTab;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

#[derive(Clone, Copy)]
pub struct DeskTabs {
    pub tabs: RwSignal<Vec<DeskTab>>,
    loaded: RwSignal<bool>,
}

impl DeskTabs {
    /// Created once at the root, so tabs keep their state across pages.
    pub fn provide() -> DeskTabs {
        let t = DeskTabs { tabs: RwSignal::new(Vec::new()), loaded: RwSignal::new(false) };
        provide_context(t);
        t
    }

    /// Fetches the tabs once per page load (browser only).
    pub fn load(self) {
        if self.loaded.get_untracked() {
            return;
        }
        self.loaded.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(t) = super::api::list_tabs().await {
                self.tabs.set(t);
            }
        });
    }

    /// Opens `number` as a tab (the server keeps order and the limit).
    pub async fn open_now(self, number: TicketNumber) {
        self.loaded.set(true);
        if let Ok(t) = super::api::open_tab(number).await {
            self.tabs.set(t);
        }
    }

    pub fn set_draft(self, number: TicketNumber, has: bool) {
        let differs = self.tabs.with_untracked(|t| t.iter().any(|x| x.number == number && x.has_draft != has));
        if differs {
            self.tabs.update(|t| t.iter_mut().filter(|x| x.number == number).for_each(|x| x.has_draft = has));
        }
    }

    /// Where Alt+`n` goes: 1 is the queue, 2.. the ticket tabs in order.
    pub fn href(self, n: usize) -> Option<String> {
        match n {
            1 => Some("/desk".into()),
            n => self.tabs.with_untracked(|t| t.get(n.checked_sub(2)?).map(|x| ticket_href(x.number))),
        }
    }
}

pub fn ticket_href(n: TicketNumber) -> String {
    format!("/desk/tickets/{}", n.0)
}

pub fn use_desk_tabs() -> DeskTabs {
    expect_context::<DeskTabs>()
}

const TAB: &str = "group flex min-w-0 max-w-[14rem] items-center gap-2 rounded-t-md border border-b-0 px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent";
const TAB_ON: &str = "border-line bg-surface text-fg";
const TAB_OFF: &str = "border-transparent text-muted hover:bg-raised/60 hover:text-fg";

#[component]
pub fn TabStrip() -> impl IntoView {
    let desk = use_desk_tabs();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| desk.load());
    let path = use_location().pathname;
    let navigate = use_navigate();
    let close = move |number: TicketNumber, has_draft: bool| {
        if has_draft && !crate::ui::confirm(&format!("Discard the unsent reply on {number}?")) {
            return;
        }
        let here = path.get_untracked() == ticket_href(number);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let before = desk.tabs.get_untracked();
            if let Ok(t) = super::api::close_tab(number).await {
                if here {
                    // Go to the neighbour on the right, else the left, else the queue.
                    let i = before.iter().position(|x| x.number == number).unwrap_or(0);
                    let next = t.get(i).or_else(|| i.checked_sub(1).and_then(|j| t.get(j)));
                    navigate(
                        &next.map(|x| ticket_href(x.number)).unwrap_or_else(|| "/desk".into()),
                        Default::default(),
                    );
                }
                desk.tabs.set(t);
            }
        });
    };
    view! {
        <nav aria-label="Open tickets" data-testid="tabs" class="-mt-2 mb-6 flex items-end gap-1 overflow-x-auto border-b border-line">
            <a href="/desk" data-tab="queue" title="Queue (Alt+1)"
                class=move || format!("{TAB} {}", if path.get() == "/desk" { TAB_ON } else { TAB_OFF })
                aria-current=move || (path.get() == "/desk").then_some("page")>
                <span class="font-medium">"Queue"</span>
            </a>
            <For each=move || desk.tabs.get().into_iter().enumerate() key=|(i, t)| (*i, t.number, t.has_draft, t.title.clone()) let:item>
                {
                    let (i, t) = item;
                    let href = ticket_href(t.number);
                    let active = { let href = href.clone(); move || path.get() == href };
                    let active2 = active.clone();
                    let close = close.clone();
                    let (number, has_draft) = (t.number, t.has_draft);
                    let hint = if i < 8 { format!("{} · {} (Alt+{})", t.number, t.title, i + 2) } else { format!("{} · {}", t.number, t.title) };
                    view! {
                        <div class=move || format!("{TAB} {}", if active() { TAB_ON } else { TAB_OFF }) data-tab=t.number.to_string()>
                            <a href=href class="flex min-w-0 items-center gap-2 focus-visible:outline-none" title=hint
                                aria-current=move || active2().then_some("page")>
                                <span class="shrink-0 font-mono text-xs text-faint">{t.number.to_string()}</span>
                                <span class="truncate">{t.title.clone()}</span>
                                {has_draft.then(|| view! { <span class="h-1.5 w-1.5 shrink-0 rounded-full bg-accent" title="Unsent reply" data-testid="draft-dot"></span> })}
                            </a>
                            <button type="button" class="-mr-1 shrink-0 rounded px-1 text-faint hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent"
                                aria-label=format!("Close {}", t.number) on:click=move |_| close(number, has_draft)>"×"</button>
                        </div>
                    }
                }
            </For>
        </nav>
    }
}
