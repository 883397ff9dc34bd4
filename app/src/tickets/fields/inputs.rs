//! Form controls for classification and custom fields, shared by the new-ticket
//! form and the ticket's side panel.
use super::{CategoryId, CustomField, FieldKind, Level, TicketCatalog};
use crate::ui::{INPUT, LABEL};
use leptos::prelude::*;
use serde_json::{Map, Value};

/// A category picker; `None` = no category.
#[component]
pub fn CategorySelect(
    catalog: Signal<TicketCatalog>,
    #[prop(into)] value: Signal<Option<CategoryId>>,
    on_pick: Callback<Option<CategoryId>>,
    id: &'static str,
) -> impl IntoView {
    view! {
        <select id=id class=INPUT on:change=move |ev| {
            on_pick.run(event_target_value(&ev).parse::<uuid::Uuid>().ok().map(CategoryId));
        }>
            <option value="" prop:selected=move || value.get().is_none()>"No category"</option>
            {move || catalog.get().category_choices().into_iter().map(|(c, label)| view! {
                <option value=c.0.to_string() prop:selected=move || value.get() == Some(c)>{label}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
pub fn LevelSelect(#[prop(into)] value: Signal<Level>, on_pick: Callback<Level>, id: &'static str) -> impl IntoView {
    view! {
        <select id=id class=INPUT on:change=move |ev| {
            if let Some(l) = Level::parse(&event_target_value(&ev)) { on_pick.run(l) }
        }>
            {Level::ALL.into_iter().map(|l| view! { <option value=l.label() prop:selected=move || value.get() == l>{l.label()}</option> }).collect_view()}
        </select>
    }
}

/// One input per active custom field, editing `values` in place (the server
/// checks them again on save).
#[component]
pub fn CustomFieldInputs(fields: Vec<CustomField>, values: RwSignal<Map<String, Value>>) -> impl IntoView {
    fields
        .into_iter()
        .filter(|f| f.active)
        .map(|f| {
            let id = format!("cf_{}", f.key);
            let key = f.key.clone();
            let get = {
                let key = key.clone();
                move || values.with(|v| v.get(&key).cloned().unwrap_or(Value::Null))
            };
            let set = {
                let key = key.clone();
                move |v: Value| values.update(|m| {
                    m.insert(key.clone(), v);
                })
            };
            let label = format!("{}{}", f.label, if f.required { " *" } else { "" });
            let control = match f.kind {
                FieldKind::Checkbox => view! {
                    <input id=id.clone() type="checkbox" class="h-4 w-4 accent-accent" prop:checked=move || get() == Value::Bool(true)
                        on:change=move |ev| set(Value::Bool(event_target_checked(&ev))) />
                }
                .into_any(),
                FieldKind::Select => {
                    let options = f.options.clone();
                    view! {
                        <select id=id.clone() class=INPUT on:change=move |ev| set(Value::String(event_target_value(&ev)))>
                            <option value="" prop:selected={ let get = get.clone(); move || get().is_null() }>"—"</option>
                            {options.into_iter().map(|o| {
                                let (get, v, value) = (get.clone(), o.clone(), o.clone());
                                view! { <option value=value prop:selected=move || get() == Value::String(v.clone())>{o}</option> }
                            }).collect_view()}
                        </select>
                    }
                    .into_any()
                }
                FieldKind::MultiSelect => {
                    let options = f.options.clone();
                    view! {
                        <div id=id.clone() class="flex flex-wrap gap-x-4 gap-y-1">
                            {options.into_iter().map(|o| {
                                let (get, set, v) = (get.clone(), set.clone(), o.clone());
                                let on = { let (get, v) = (get.clone(), v.clone()); move || get().as_array().is_some_and(|a| a.iter().any(|x| x.as_str() == Some(&v))) };
                                view! {
                                    <label class="flex items-center gap-1.5 text-sm text-fg">
                                        <input type="checkbox" class="h-4 w-4 accent-accent" prop:checked=on on:change=move |ev| {
                                            let mut list: Vec<Value> = get().as_array().cloned().unwrap_or_default();
                                            list.retain(|x| x.as_str() != Some(&v));
                                            if event_target_checked(&ev) { list.push(Value::String(v.clone())); }
                                            set(Value::Array(list));
                                        } />
                                        {o}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    }
                    .into_any()
                }
                kind => {
                    let input_type = match kind {
                        FieldKind::Number => "number",
                        FieldKind::Date => "date",
                        _ => "text",
                    };
                    view! {
                        <input id=id.clone() type=input_type class=INPUT step="any"
                            prop:value=move || super::display_value(&get())
                            on:change=move |ev| set(Value::String(event_target_value(&ev))) />
                    }
                    .into_any()
                }
            };
            view! { <div data-field=key><label class=LABEL for=id>{label}</label>{control}</div> }
        })
        .collect_view()
}
