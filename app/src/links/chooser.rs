//! Choose one record of a kind by typing: used for "assigned to", location and
//! vendor on forms. Shows the current choice; typing searches; a click picks.
use super::api::search_records;
use super::model::{LinkCandidate, RecordKind};
use crate::ui::INPUT;
use leptos::prelude::*;

#[component]
pub fn RecordChooser(
    kind: RecordKind,
    #[prop(into)] label: String,
    /// The chosen record's title (empty when none).
    #[prop(into)]
    title: Signal<String>,
    on_pick: Callback<Option<LinkCandidate>>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<LinkCandidate>::new());
    let editing = RwSignal::new(false);
    let seq = StoredValue::new(0u64);
    let search = move |q: String| {
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(r) = search_records(q, vec![kind]).await {
                if seq.get_value() == mine {
                    results.set(r);
                }
            }
        });
    };
    view! {
        <div class="relative">
            <span class=crate::ui::LABEL>{label.clone()}</span>
            <div class="flex gap-2">
                <input type="text" class=INPUT aria-label=label data-testid=testid autocomplete="off"
                    placeholder=move || if title.get().is_empty() { "Type to search…".to_string() } else { title.get() }
                    prop:value=move || if editing.get() { query.get() } else { title.get() }
                    on:focus=move |_| { editing.set(true); query.set(String::new()); }
                    on:blur=move |_| {
                        // Let a click on a result land before the list closes.
                        set_timeout(move || editing.set(false), std::time::Duration::from_millis(200));
                    }
                    on:input=move |ev| { let q = event_target_value(&ev); query.set(q.clone()); search(q); } />
                <Show when=move || !title.get().is_empty()>
                    <button type="button" class=crate::ui::BTN_GHOST aria-label="Clear" on:click=move |_| on_pick.run(None)>"✕"</button>
                </Show>
            </div>
            <Show when=move || editing.get() && !results.get().is_empty()>
                <ul role="listbox" class="absolute z-20 mt-1 max-h-60 w-full overflow-y-auto rounded-md border border-line bg-surface py-1 shadow-lg">
                    {move || results.get().into_iter().map(|c| {
                        let chosen = c.clone();
                        view! {
                            <li role="option" class="cursor-pointer px-3 py-1.5 text-sm text-fg hover:bg-raised"
                                on:mousedown=move |ev| { ev.prevent_default(); on_pick.run(Some(chosen.clone())); editing.set(false); }>
                                {c.title.clone()}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}
