//! A keyboard-first chooser: a dialog with a filter field and a list. Type to
//! narrow, arrows to move, Enter to pick, Escape to close. Used for status,
//! priority and assignee on a ticket (`s`, `p`, `a`).
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Marks the current value.
    pub current: bool,
}

#[component]
pub fn Picker(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    on_pick: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            request_animation_frame(move || {
                let _ = el.focus();
            });
        }
    });
    let shown = Memo::new(move |_| {
        let f = filter.get().to_lowercase();
        choices.get().into_iter().filter(|c| f.is_empty() || c.label.to_lowercase().contains(&f)).collect::<Vec<_>>()
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = shown.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" { 1 } else { n - 1 };
                selected.update(|s| *s = (*s + step) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(c) = shown.with_untracked(|s| s.get(selected.get_untracked()).cloned()) {
                    on_pick.run(c.value);
                }
            }
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                on_close.run(());
            }
            _ => {}
        }
    };
    view! {
        <div class="fixed inset-0 z-50 flex items-start justify-center bg-black/50 px-4 pt-32" on:click=move |_| on_close.run(())>
            <div role="dialog" aria-modal="true" aria-label=move || title.get() data-testid="picker"
                class="w-full max-w-sm overflow-hidden rounded-xl border border-line bg-surface shadow-2xl" on:click=|ev| ev.stop_propagation()>
                <p class="border-b border-line px-4 pt-3 pb-2 text-xs font-semibold uppercase tracking-wide text-faint">{move || title.get()}</p>
                <input node_ref=input type="text" aria-label="Filter" autocomplete="off" placeholder="Type to filter…"
                    class="w-full border-b border-line bg-transparent px-4 py-3 text-sm text-fg placeholder:text-faint focus:outline-none"
                    prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); selected.set(0); }
                    on:keydown=on_key />
                <ul role="listbox" class="max-h-72 overflow-y-auto py-1">
                    {move || shown.get().into_iter().enumerate().map(|(i, c)| {
                        let value = c.value.clone();
                        view! {
                            <li role="option" aria-selected=move || (selected.get() == i).to_string()
                                class=move || if selected.get() == i { "flex cursor-pointer items-center justify-between bg-accent/15 px-4 py-2 text-sm text-fg" } else { "flex cursor-pointer items-center justify-between px-4 py-2 text-sm text-fg hover:bg-raised" }
                                on:mouseenter=move |_| selected.set(i)
                                on:click=move |_| on_pick.run(value.clone())>
                                <span>{c.label.clone()}</span>
                                {c.current.then(|| view! { <span class="text-xs text-faint">"current"</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </div>
    }
}
